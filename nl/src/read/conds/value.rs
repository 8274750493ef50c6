//! Cuts on event quantities: "MET > 30 GeV", "81 < m_ll < 101", "|m_ll − 91.1876| < 10",
//! the same said of rejected events, and cuts whose quantity ranges over objects
//! ("Δφ(j, MET) > 0.4 ∀ jets").

use crate::ir::{Cmp, Cut, Filter, Kind, Op, Prop, Quantity, Stmt, Sys};
use crate::lexicon::VETOED;
use crate::read::base::{P, R};
use crate::read::filters::eta_bound;
use crate::read::objects::first_n;
use crate::read::quantity::mentions_each;
use crate::read::Reading;

impl P<'_> {
    /// A cut on an event quantity.
    pub fn value_phrase(&self, i: usize) -> R<Vec<Stmt>> {
        let j = self.skip_of(i, &["the", "a", "an"]);
        // a < q < b
        if let Some(((a, _), k)) = self.value(j) {
            let k = self.eat_any(k, &["<", "<="])?;
            let (q, k) = self.labeled(k)?;
            let k = self.eat_any(k, &["<", "<="])?;
            let ((b, unit), k) = self.value(k)?;
            if unit && !q.1.has_gev() || a >= b {
                return None;
            }
            return Some((with_def(q, Cmp::Between(a, b)), k));
        }
        // |q - M| < X
        if let Some(r) = self.distance_form(j) {
            return Some(r);
        }
        let (q, k) = self.labeled(j)?;
        // "The mass m_ℓℓγ of ... must satisfy m_ℓℓγ + m_ℓℓ > 182 GeV": the quantity named,
        // then a cut written with it.
        if self.cmp(k).is_none() {
            let s = self.skip_of(
                k,
                &[
                    "must",
                    "should",
                    "has",
                    "to",
                    "satisfy",
                    "satisfies",
                    "fulfil",
                    "fulfill",
                    "obey",
                    ":",
                ],
            );
            if s > k
                && self.is(
                    s - 1,
                    &["satisfy", "satisfies", "fulfil", "fulfill", "obey"],
                )
            {
                let (stmts, e) = self.value_phrase(s)?;
                let uses = stmts
                    .iter()
                    .any(|st| matches!(st, Stmt::Cut(Cut::Value { q: f, .. }) if f.uses(&q.1)));
                return uses.then_some((stmts, e));
            }
        }
        let ((cmp, unit), mut e) = self
            .cmp(k)
            .or_else(|| self.bare_range(k))
            .or_else(|| self.restated_range(k, &q.1))?;
        if unit && !q.1.has_gev() {
            return None;
        }
        // "min Δφ(jet, MET) > 0.4 over all selected jets".
        if let Quantity::Reduce { kind, .. } = &q.1 {
            if let Some((_, e2)) = self.over(
                self.skip_of(e, &[",", "the", "minimum", "maximum", "min", "max"]),
                *kind,
            ) {
                e = e2;
            }
        }
        e = self.restated_tail(e, &q.1);
        let mut stmts = with_def(q.clone(), cmp);
        // "m_ll > 81 and < 101".
        if let Some(k2) = self.eat(e, "and") {
            if let Some(((c2, _), e2)) = self.cmp(k2) {
                stmts.push(Stmt::Cut(Cut::Value {
                    q: q.1.clone(),
                    cmp: c2,
                }));
                e = e2;
            }
        }
        Some((stmts, e))
    }

    /// "Events with a dimuon mass between 76 and 106 GeV are rejected", "veto events with
    /// m_ll in [81, 101]": a value cut said of the events thrown away.
    pub fn value_veto(&self, i: usize) -> Option<Reading> {
        const VERBS: &[&str] = &["veto", "reject", "discard", "remove", "exclude", "drop"];
        let lead = self.eat_any(i, VERBS);
        let start = lead.unwrap_or(i);
        if lead.is_none() && !self.is(i, &["events", "event"]) {
            return None;
        }
        let j = self.skip_of(
            start,
            &[
                "all", "events", "event", "with", "where", "if", "in", "which", "whose", "that",
                "have", "has", "having",
            ],
        );
        if j == start {
            return None;
        }
        let (stmts, e) = self.value_phrase(j)?;
        let k = self.skip_of(e, &["are", "is", "be", "must", "should", "will", "also"]);
        let trailing = self.eat_any(k, VETOED);
        if lead.is_some() == trailing.is_some() {
            return None;
        }
        let stmts = stmts
            .into_iter()
            .map(|s| match s {
                Stmt::Cut(Cut::Value { q, cmp }) => Stmt::Cut(Cut::Value {
                    q,
                    cmp: cmp.negated(),
                }),
                s => s,
            })
            .collect();
        Some(Reading::new(stmts, trailing.unwrap_or(e)))
    }

    /// `|m_ll − 91.1876| < 10`, `|m_Z − mZ| < 15`: a window around a mass.
    pub(super) fn distance_form(&self, j: usize) -> R<Vec<Stmt>> {
        let k = self.eat(j, "|")?;
        let (q, k) = self.term_only(k)?;
        let k = self.eat(k, "-")?;
        let ((center, _), k) = self.value_or_mass(k)?;
        let k = self.eat(k, "|")?;
        let ((cmp, _), e) = self.cmp(k)?;
        let cmp = match cmp {
            Cmp::Lt(w) | Cmp::Le(w) => Cmp::Within { center, width: w },
            Cmp::Gt(w) | Cmp::Ge(w) => Cmp::Away { center, width: w },
            _ => return None,
        };
        Some((
            vec![Stmt::Cut(Cut::Value {
                q: self.z_window(q, center),
                cmp,
            })],
            e,
        ))
    }

    /// `|m_ll − 91.19| < 10` once the text has built a Z candidate: m_ll is the candidate's
    /// mass, not the two leading leptons'.
    fn z_window(&self, q: Quantity, center: f64) -> Quantity {
        let Some(c) = self.ctx.cand else { return q };
        if (center - crate::read::base::MZ).abs() > 1.0 || c.mass != crate::read::base::MZ {
            return q;
        }
        match &q {
            Quantity::Prop(Prop::Mass, s) if *s == first_n(c.kind, 2) => {
                Quantity::Prop(Prop::Mass, Sys::Cand(c))
            }
            _ => q,
        }
    }

    /// A quantity that stops before `- M` (the mass being a number, not a candidate's).
    fn term_only(&self, k: usize) -> R<Quantity> {
        let close = (k..self.toks.len()).find(|&m| self.w(m) == "|")?;
        if let Some(minus) = (k..close).rev().find(|&m| self.w(m) == "-") {
            let left = P {
                toks: &self.toks[..minus],
                ..*self
            };
            if let Some((q, e)) = left.expr(k, None).filter(|(_, e)| *e == minus) {
                return Some((q, e));
            }
        }
        let (q, e) = self.expr(k, None)?;
        if self.w(e) == "-" {
            return Some((q, e));
        }
        // The expression swallowed "- M": take it apart again.
        match q {
            Quantity::Bin(Op::Sub, a, b) if matches!(*b, Quantity::Num(_)) => {
                let mut back = e;
                while back > k && self.w(back) != "-" {
                    back -= 1;
                }
                Some((*a, back))
            }
            _ => None,
        }
    }

    /// "|Δη_jj| > 3.0 between the two leading jets", "m(e, τ1, MET) > 60, the mass of
    /// electron + leading tau + MET": words after a cut that restate its quantity.
    pub fn restated_tail(&self, e: usize, q: &Quantity) -> usize {
        // "the ratio pT(b1b2)/m(b1b2) of the pT of the two-b-jet system to its mass".
        if let Quantity::Bin(Op::Div, ..) = q {
            if self.w(e) == "of" {
                if let Some((q2, e2)) = self.expr_words_ratio(e) {
                    if q2 == *q {
                        return e2;
                    }
                }
            }
        }
        if let Quantity::Delta(d, a, b) = q {
            if self.is(e, &["between", "of", "for"]) {
                if let Some((x, y, e2)) = self.pair_args(e, None) {
                    if (x == *a && y == *b) || (x == *b && y == *a) {
                        return e2;
                    }
                }
                let _ = d;
            }
        }
        if self.w(e) == "," {
            if let Some((q2, e2)) = self.expr(e + 1, None) {
                if q2 == *q && self.w(e2) != "=" {
                    return e2;
                }
            }
        }
        e
    }

    /// "the diphoton invariant mass must lie in the range 105 < m_γγ < 160 GeV": the window
    /// written around the quantity's own symbol.
    pub(super) fn restated_range(&self, k: usize, q: &Quantity) -> R<(Cmp, bool)> {
        let j = self.skip_of(
            k,
            &[
                "must", "should", "has", "to", "be", "lie", "lies", "is", "in", "the", "range",
                "window", "of", ":", "satisfy",
            ],
        );
        let ((a, _), j) = self.value(j)?;
        let j = self.eat_any(j, &["<", "<="])?;
        let (q2, j) = self.expr(j, None)?;
        let j = self.eat_any(j, &["<", "<="])?;
        let ((b, unit), e) = self.value(j)?;
        (q2 == *q && a < b).then_some(((Cmp::Between(a, b), unit), e))
    }

    /// `m_γγ 105–160`, `m_ll 81..101` in shorthand: a range right after the quantity.
    fn bare_range(&self, k: usize) -> R<(Cmp, bool)> {
        let ((a, b, u), e) = self.range(k)?;
        let sep = self.w(k + 1);
        (matches!(sep, "-" | ".." | "..." | "to") || self.w(k) == "[")
            .then_some(((Cmp::Between(a, b), u), e))
    }

    /// "Δφ(j, MET) > 0.4 ∀ jets", "min Δφ(j, MET) > 0.5, taken over all of them", "for
    /// every jet": a value cut whose quantity ranges over objects.
    pub fn every_phrase(&self, i: usize) -> Option<Reading> {
        for kind in [
            Kind::Jet,
            Kind::Lepton,
            Kind::Photon,
            Kind::BJet,
            Kind::Electron,
            Kind::Muon,
            Kind::Tau,
        ] {
            let p = self.with_each(Some(kind));
            let Some((q, k)) = p.expr(self.skip_of(i, &["the"]), None) else {
                continue;
            };
            if !mentions_each(&q, kind) {
                continue;
            }
            let ((cmp, _), e) = self.cmp(k)?;
            // "Δφ(j, MET) > 0.4" alone is about the leading jet; "∀ jets", "for every jet",
            // "between any jet and the MET" make it a quantifier.
            let quantified = (i..k).any(|m| self.is(m, &["any", "every", "each", "all"]));
            let (first, e) = match self.every_tail(e, kind) {
                Some(x) => x,
                None if quantified => (None, e),
                None => continue,
            };
            let q = eta_bound(&q, cmp);
            let stmts = vec![Stmt::Cut(Cut::Every {
                kind,
                first,
                filter: Filter { q, cmp },
            })];
            return Some(Reading::new(stmts, e));
        }
        None
    }

    /// "∀ jets", "for all jets", "for every selected jet", "for the four leading jets".
    fn every_tail(&self, i: usize, kind: Kind) -> R<Option<usize>> {
        let j = self.skip_of(i, &[",", "for", "of", "taken", "over", "required"]);
        let j = self.eat_any(j, &["every", "all", "each", "any"])?;
        let j = self.skip_of(j, &["of", "the", "selected", "them"]);
        if let Some((n, e)) = self.int(j) {
            let e = self.skip_of(e, &["leading"]);
            let ((k, _), e) = self.kind(e)?;
            return (k.base() == kind.base()).then_some((Some(n), e));
        }
        match self.kind(j) {
            Some(((k, _), e)) if k.base() == kind.base() => Some((None, e)),
            _ => Some((None, j)),
        }
    }
}

/// A Value cut, and the definition of its label.
fn with_def((name, q): (Option<String>, Quantity), cmp: Cmp) -> Vec<Stmt> {
    let mut v = Vec::new();
    if let Some(name) = name {
        v.push(Stmt::Define { name, q: q.clone() });
    }
    v.push(Stmt::Cut(Cut::Value { q, cmp }));
    v
}
