//! What attaches to counted objects: "exactly two muons, of opposite charge", "with an
//! invariant mass between 81 and 101 GeV", "pT > 25/20 GeV", "both with pT > 25 GeV",
//! "separated by ΔR > 0.4".

use crate::ir::{Cmp, CountCmp, Cut, Filter, Kind, ObjRef, Prop, Quantity, Stmt, Sys};
use crate::lexicon::prop_word;

use super::base::P;
use super::objects::first_n;
use super::Reading;

impl P<'_> {
    /// Adds to a count what follows it and is about the counted objects.
    pub fn attach(&self, r: &mut Reading, kind: Kind, cmp: CountCmp) {
        let n = match cmp {
            CountCmp::Exactly(n) | CountCmp::AtLeast(n) => n,
            CountCmp::AtMost(_) => return,
        };
        loop {
            let j = self.skip_of(
                r.end,
                &[
                    ",", "with", "w/", "which", "that", "whose", "who", "having", "and", "must",
                    "should", "be", "are", "have",
                ],
            );
            let found = self
                .relation_after(j, kind, cmp)
                .or_else(|| self.system_cut(j, kind, n))
                .or_else(|| self.slash_thresholds(j, kind, n))
                .or_else(|| self.both(j, kind, n))
                .or_else(|| self.apart(j, kind, n))
                .or_else(|| self.tagged_subcount(j, kind))
                .or_else(|| self.more_filters(j, kind, r));
            match found {
                Some((stmts, e)) if e > r.end => {
                    // "exactly two muons with pT > 20/15": the lower threshold defines them.
                    for s in stmts {
                        match s {
                            Stmt::Select { kind: k, filters } => merge_select(r, k, filters),
                            s => r.stmts.push(s),
                        }
                    }
                    r.end = e;
                }
                _ => return,
            }
        }
    }

    /// "of opposite charge", "oppositely charged", "with the same flavour".
    fn relation_after(&self, j: usize, kind: Kind, cmp: CountCmp) -> Option<(Vec<Stmt>, usize)> {
        let (rel, e) = self.pair_word(j)?;
        if matches!(cmp, CountCmp::Exactly(1) | CountCmp::AtLeast(1)) {
            let pair = self
                .ctx
                .recent_pair_with(Sys::Obj(ObjRef { kind, index: 0 }))?;
            let Sys::Sum(v) = pair else { return None };
            return Some((
                vec![Stmt::Cut(Cut::Pair {
                    a: v[0].clone(),
                    b: v[1].clone(),
                    rel,
                })],
                e,
            ));
        }
        Some((self.relation_stmts(kind, cmp, rel), e))
    }

    /// "whose invariant mass is between 81 and 101 GeV", "with an invariant mass above 20
    /// GeV", "their pT above 30 GeV": a cut on the counted objects as one system.
    fn system_cut(&self, j: usize, kind: Kind, n: usize) -> Option<(Vec<Stmt>, usize)> {
        if n < 2 {
            return None;
        }
        let k = self.skip_of(
            j,
            &[
                "an",
                "a",
                "the",
                "their",
                "combined",
                "total",
                "visible",
                "invariant",
                "dilepton",
                "dimuon",
                "dielectron",
                "diphoton",
                "dijet",
            ],
        );
        let p = match self.w(k) {
            "invmass" | "mass" | "m" => Prop::Mass,
            "pt" if self.w(j) == "their" || self.is(j, &["combined", "total"]) => Prop::Pt,
            _ => return None,
        };
        let sys = first_n(kind, n);
        let mut e = k + 1;
        // "with an invariant mass m_eμ above 20 GeV": the symbol restates it.
        if let Some(((_, q), e2)) = self.labeled(e) {
            if matches!(q, Quantity::Prop(Prop::Mass, _)) {
                e = e2;
            }
        }
        let e = self.skip_of(
            e,
            &["is", "must", "be", "should", "lie", "lies", "of", "to"],
        );
        let ((cmp, _), e) = self.cmp(e)?;
        Some((
            vec![Stmt::Cut(Cut::Value {
                q: Quantity::Prop(p, sys),
                cmp,
            })],
            e,
        ))
    }

    /// "pT > 25/20 GeV": thresholds for the leading, second, ... objects; the last one
    /// applies to all of them.
    fn slash_thresholds(&self, j: usize, kind: Kind, n: usize) -> Option<(Vec<Stmt>, usize)> {
        let p = prop_word(self.w(j)).filter(|p| *p == Prop::Pt)?;
        let op = self.w(j + 1);
        if !matches!(op, ">" | ">=") {
            return None;
        }
        let mut vals = Vec::new();
        let mut k = j + 2;
        loop {
            let (v, e) = self.number(k)?;
            vals.push(v);
            k = e;
            if self.w(k) != "/" {
                break;
            }
            k += 1;
        }
        let k = self.opt(k, "gev");
        if vals.len() < 2 || vals.len() > n.max(2) {
            return None;
        }
        let mk = |v: f64| if op == ">" { Cmp::Gt(v) } else { Cmp::Ge(v) };
        let last = *vals.last()?;
        let mut out = vec![Stmt::Select {
            kind,
            filters: vec![Filter::prop(kind, p, mk(last))],
        }];
        for (i, v) in vals.iter().enumerate().take(vals.len() - 1) {
            let q = Quantity::Prop(p, Sys::Obj(ObjRef { kind, index: i }));
            out.push(Stmt::Cut(Cut::Value { q, cmp: mk(*v) }));
        }
        Some((out, k))
    }

    /// "exactly 2 OS e, pT>25/20, |η|<2.47": more conditions on objects the count defined.
    fn more_filters(&self, j: usize, kind: Kind, r: &Reading) -> Option<(Vec<Stmt>, usize)> {
        let defines = r
            .stmts
            .iter()
            .any(|s| matches!(s, Stmt::Select { kind: k, .. } if *k == kind));
        if !defines || !self.is(j.saturating_sub(1), &[","]) {
            return None;
        }
        let (fs, e) = self.filters(j, kind)?;
        Some((vec![Stmt::Select { kind, filters: fs }], e))
    }

    /// "both with pT > 25 GeV": a condition on each of the counted objects.
    fn both(&self, j: usize, kind: Kind, n: usize) -> Option<(Vec<Stmt>, usize)> {
        let k = self.eat_any(j, &["both", "each", "all"])?;
        let k = self.skip_of(k, &["with", "having", "of", "them", "must", "have", "be"]);
        let (fs, e) = self.filters(k, kind)?;
        // "exactly one electron and one muon, each with pT > 25 GeV": the conditions define
        // both kinds of the pair just counted.
        if n == 1 {
            let Sys::Sum(v) = self
                .ctx
                .recent_pair_with(Sys::Obj(ObjRef { kind, index: 0 }))?
            else {
                return None;
            };
            let stmts = v
                .iter()
                .filter_map(|s| match s {
                    Sys::Obj(o) => Some(Stmt::Select {
                        kind: o.kind,
                        filters: fs.iter().map(|f| super::retarget(f, o.kind)).collect(),
                    }),
                    _ => None,
                })
                .collect();
            return Some((stmts, e));
        }
        let mut out = Vec::new();
        for index in 0..n {
            for f in &fs {
                if let Some(p) = f.as_prop() {
                    let q = Quantity::Prop(p, Sys::Obj(ObjRef { kind, index }));
                    out.push(Stmt::Cut(Cut::Value { q, cmp: f.cmp }));
                }
            }
        }
        (!out.is_empty()).then_some((out, e))
    }

    /// "separated by ΔR > 0.4", "separated by a ΔR between 0.8 and 2.8".
    fn apart(&self, j: usize, kind: Kind, n: usize) -> Option<(Vec<Stmt>, usize)> {
        if n != 2 {
            return None;
        }
        let subj = super::conds::Subject {
            sys: first_n(kind, 2),
            each_member: false,
            every: None,
            pair_only: false,
        };
        let (cuts, e) = self.subject_conds(j, &subj).filter(|(c, _)| {
            c.iter().all(|c| {
                matches!(
                    c,
                    Cut::Value {
                        q: Quantity::Delta(..),
                        ..
                    }
                )
            })
        })?;
        Some((cuts.into_iter().map(Stmt::Cut).collect(), e))
    }
}

/// Adds conditions to the definition a count made, or makes one.
fn merge_select(r: &mut Reading, kind: Kind, filters: Vec<Filter>) {
    for s in r.stmts.iter_mut() {
        if let Stmt::Select {
            kind: k,
            filters: f,
        } = s
        {
            if *k == kind {
                f.extend(filters);
                return;
            }
        }
    }
    r.stmts.insert(0, Stmt::Select { kind, filters });
}
