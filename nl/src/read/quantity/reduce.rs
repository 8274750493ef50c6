//! Reductions over objects: "the minimum Δφ between any jet and the MET", "the maximum
//! of |η| over the three leading jets", `min(a, b)`, and scalar sums ("the scalar sum of
//! the jet pT").

use super::mentions_each;
use crate::ir::{Func, Kind, Op, Prop, Quantity, Reduce, Sys};
use crate::read::base::{P, R};

impl P<'_> {
    /// After "minimum"/"maximum": a reduction over objects ("the minimum Δφ between any jet
    /// and the MET", "the maximum of |η| over the three leading jets", "min Δφ(j, MET)",
    /// "the smaller of its two ΔR with the leptons"), or `min(a, b)`.
    pub(super) fn reduce(&self, i: usize, r: Reduce, subj: Option<&Sys>) -> R<Quantity> {
        let f = if r == Reduce::Min {
            Func::Min
        } else {
            Func::Max
        };
        if self.w(i) == "(" {
            if let Some(x) = self.func(i, f, subj) {
                return Some(x);
            }
        }
        let j = self.skip_of(i, &["of", "the", "value", "two", "its"]);
        // "the smaller of its two ΔR with the leptons": the focus is one end of each ΔR.
        let its = (i..j)
            .any(|m| self.w(m) == "its")
            .then(|| self.ctx.focus.as_ref().and_then(|f| f.sys.clone()))
            .flatten();
        let subj = its.as_ref().or(subj);
        // "over the three leading jets" after the quantity decides the objects.
        for kind in [
            Kind::Jet,
            Kind::Lepton,
            Kind::Photon,
            Kind::Electron,
            Kind::Muon,
            Kind::Tau,
            Kind::BJet,
        ] {
            let p = self.with_each(Some(kind));
            let each = Sys::Each(kind);
            let first = if its.is_some() {
                p.expr(j, subj)
            } else {
                p.expr(j, Some(&each))
            };
            let Some((q, e)) = first.or_else(|| p.expr(j, subj)) else {
                continue;
            };
            let (first, e) = match self.over(e, kind) {
                Some(x) => x,
                None if mentions_each(&q, kind) => (None, e),
                None => continue,
            };
            if !mentions_each(&q, kind) {
                continue;
            }
            return Some((
                Quantity::Reduce {
                    reduce: r,
                    kind,
                    first,
                    of: Box::new(q),
                },
                e,
            ));
        }
        // "the smaller of X and Y".
        let (a, e) = self.expr(j, subj)?;
        let e = self.eat_any(e, &["and", ","])?;
        let (b, e) = self.expr(e, subj)?;
        Some((Quantity::Func(f, vec![a, b]), e))
    }

    /// "over the three leading jets", "over all of them", "taken over all jets": which
    /// objects a reduction ranges over (`None` = all of them).
    pub fn over(&self, i: usize, kind: Kind) -> R<Option<usize>> {
        let j = self.skip_of(i, &[",", "taken", "computed"]);
        let j = self.eat_any(j, &["over", "among", "for", "of", "in", "with"])?;
        let j = self.skip_of(j, &["all", "of", "the", "any", "every", "each", "selected"]);
        if self.is(j, &["them", "these", "those"]) {
            return Some((None, j + 1));
        }
        if let Some((n, e)) = self.int(j) {
            let e = self.skip_of(e, &["leading", "hardest", "selected"]);
            let ((k, _), e) = self.kind(e)?;
            return (k == kind).then_some((Some(n), e));
        }
        let j = self.skip_of(j, &["leading", "selected"]);
        let ((k, _), e) = self.kind(j)?;
        (k == kind).then_some((None, e))
    }

    /// "the scalar sum of the pT of the selected jets (and of both leptons)", "Σ pT of the
    /// jets", "the sum of X and Y".
    pub(super) fn scalar_sum(&self, j: usize) -> R<Quantity> {
        let mut k = self.skip_of(
            j,
            &[
                "scalar",
                "sum",
                "σ",
                "of",
                "the",
                "pt",
                "transverse",
                "momenta",
                "momentum",
            ],
        );
        let mut parts: Vec<Quantity> = Vec::new();
        loop {
            let kk = self.skip_of(
                k,
                &[
                    "of",
                    "the",
                    "pt",
                    "all",
                    "scalar",
                    "sum",
                    "transverse",
                    "momenta",
                    "momentum",
                    "selected",
                ],
            );
            let Some((q, e)) = self.summand(kk) else {
                break;
            };
            parts.push(q);
            k = e;
            let after = |n: usize| {
                self.skip_of(
                    n,
                    &[
                        "of", "the", "both", "all", "scalar", "pt", "sum", "selected",
                    ],
                )
            };
            match self.eat_any(k, &["and", ",", "+", "plus"]) {
                Some(n) if self.kind(after(n)).is_some() || self.sys(after(n), false).is_some() => {
                    k = n
                }
                _ => break,
            }
        }
        if parts.is_empty() || k <= j + 1 {
            return self
                .binary_words(self.skip_of(j + 1, &["of"]), Op::Add, None)
                .filter(|_| self.w(j) == "sum");
        }
        let mut it = parts.into_iter();
        let first = it.next()?;
        Some((
            it.fold(first, |a, b| {
                Quantity::Bin(Op::Add, Box::new(a), Box::new(b))
            }),
            k,
        ))
    }

    /// One term of a scalar sum at `kk`: a collection's pT sum ("the selected jets", "the jet
    /// pT", "their transverse momenta") or a system's ("the leading lepton").
    fn summand(&self, kk: usize) -> R<Quantity> {
        // "the selected jets", "the jet pT": the collection.
        let mut collection = self
            .kind(kk)
            .filter(|((_, p), e)| *p == Some(true) || self.is(*e, &["pt", "momenta", "momentum"]));
        // "the scalar sum of their transverse momenta", after "jets with ...".
        if let (None, "their", Some(f)) = (&collection, self.w(kk), &self.ctx.focus) {
            if f.sys.is_none() && f.n.is_none_or(|n| n > 1) {
                collection = Some(((f.kind, Some(true)), self.skip_of(kk + 1, &["pt"])));
            }
        }
        if let Some(((kind, _), e)) = collection {
            let q = if kind == Kind::Jet {
                Quantity::Ht
            } else {
                pt_sum(Sys::All(kind))
            };
            return Some((q, self.skip_of(e, &["pt"])));
        }
        let (s, e) = self.sys(kk, false)?;
        Some((pt_sum(s), e))
    }
}

/// The scalar pT sum of a system's parts.
fn pt_sum(s: Sys) -> Quantity {
    match s {
        Sys::All(kind) => Quantity::Reduce {
            reduce: Reduce::Sum,
            kind,
            first: None,
            of: Box::new(Quantity::Prop(Prop::Pt, Sys::Each(kind))),
        },
        Sys::Sum(v) => {
            let mut it = v.into_iter().map(pt_sum);
            let first = it.next().unwrap_or(Quantity::Num(0.0));
            it.fold(first, |a, b| {
                Quantity::Bin(Op::Add, Box::new(a), Box::new(b))
            })
        }
        s => Quantity::Prop(Prop::Pt, s),
    }
}
