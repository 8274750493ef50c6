//! Saved features: "CSV: m_ll, pT(l1) and ΔR(l1, l2)", "E, px, py, pz of the leading jet",
//! "the pT of both muons (leading first)", "the pT of the leading jet and that of the second
//! one".

use crate::ir::{Prop, Quantity, Stmt, Sys};
use crate::lexicon::{prop_word, SAVE_VERBS};
use crate::read::base::{P, R};
use crate::read::ctx::Focus;
use crate::read::Reading;

/// Words that introduce or close a list of saved quantities, besides [`SAVE_VERBS`].
const SAVE_WORDS: &[&str] = &[
    "out",
    "record",
    "recorded",
    "output",
    "outputs",
    "export",
    "csv",
    "file",
    "columns",
    "column",
    "the",
    "a",
    "with",
    "in",
    "into",
    "to",
    "for",
    "each",
    "every",
    "selected",
    "event",
    "events",
    "we",
    "are",
    "is",
    "contains",
    "contain",
    "holds",
    "hold",
    "put",
    "give",
    "me",
    "send",
    "mlp",
    "features",
    "feature",
    "quantities",
    "variables",
    "further",
    "study",
    "following",
    "per",
    ":",
    "-",
    "list",
    "ntuple",
    "table",
    "also",
    "please",
    "and",
    "as",
    "well",
    "saving",
    "of",
    "i'd",
    "like",
    "you",
    "would",
    "then",
    "dump",
    "order",
    "this",
    "passing",
    "training",
    "ml",
    "analysis",
    "row",
    "one",
    "an",
    ",",
    "also",
    "include",
    "includes",
    "including",
    "keep",
    "then",
    "values",
];
impl P<'_> {
    /// A list of saved quantities.
    pub fn features(&self, i: usize) -> Option<Reading> {
        let mut out: Vec<Quantity> = Vec::new();
        let mut ctx = self.ctx.clone();
        let mut j = self.skip_of_lists(i, &[SAVE_VERBS, SAVE_WORDS]);
        loop {
            let p = P { ctx: &ctx, ..*self };
            let Some((qs, e)) = p.feature_item(j, out.last()) else {
                break;
            };
            for q in &qs {
                if let Some(f) = focus_of_quantity(q) {
                    ctx.focus = Some(f);
                }
            }
            out.extend(qs);
            j = e;
            let k = self.skip_of(j, &["and", ",", ";", "plus", "also", "then", "finally"]);
            let k = self.skip_of(k, &["the", "a", "an", "finally", "also"]);
            let p = P { ctx: &ctx, ..*self };
            if p.feature_item(k, out.last()).is_none() {
                break;
            }
            j = k;
        }
        if out.is_empty() {
            return None;
        }
        let end = self.skip_of(
            j,
            &[
                "to", "in", "into", "a", "the", "csv", "file", "for", "mlp", "training",
                "analysis", "each", "every", "selected", "event", "events", "per", "are", "saved",
                "stored", "written", "recorded", "goes", "go", "output", "ntuple",
            ],
        );
        let mut r = Reading::new(out.into_iter().map(Stmt::Feature).collect(), end);
        r.focus = ctx.focus;
        Some(r)
    }

    /// One saved item, possibly several quantities: "E, px, py, pz of the leading jet", "the
    /// mass and the pT of the top candidate", "the pT of both muons", "that of the second".
    fn feature_item(&self, j: usize, prev: Option<&Quantity>) -> R<Vec<Quantity>> {
        if let Some(r) = self.props_of(j) {
            return Some(r);
        }
        // "the leading and second jet pT".
        if let Some((objs, e)) = self.coordinated(j) {
            if let Some(p) = prop_word(self.w(e)) {
                return Some((
                    objs.into_iter().map(|s| Quantity::Prop(p, s)).collect(),
                    e + 1,
                ));
            }
        }
        // "that of the second one": the previous property of another object.
        if let (Some(Quantity::Prop(p, _)), "that" | "those") = (prev, self.w(j)) {
            let k = self.eat(j + 1, "of")?;
            let (s, e) = self.sys(k, false)?;
            return Some((vec![Quantity::Prop(*p, s)], e));
        }
        let (q, e) = self.feature_quantity(j)?;
        Some((vec![q], e))
    }

    /// Several properties of one system: "E, px, py, pz of the leading jet", "the mass and
    /// the pT of the top candidate", "the pT of both muons (leading first)".
    fn props_of(&self, j: usize) -> R<Vec<Quantity>> {
        let mut props = Vec::new();
        let mut k = j;
        loop {
            let kk = self.skip_of(k, &["the", "its"]);
            let p = match self.w(kk) {
                "e" | "energy" => Prop::Energy,
                w => prop_word(w)?,
            };
            props.push(p);
            k = kk + 1;
            let n = self.skip_of(k, &[",", "and"]);
            if n == k
                || !(prop_word(self.w(self.skip_of(n, &["the"]))).is_some()
                    || self.w(self.skip_of(n, &["the"])) == "e")
            {
                break;
            }
            k = n;
        }
        let k = self.eat(k, "of")?;
        let k2 = self.skip_of(k, &["the"]);
        let (sys, e) = self.sys(k, true)?;
        let e = self.skip_remark(e);
        // "the pT of both muons" is each muon's; "the pT of the four-lepton system" and any
        // mass are the system's.
        let system = (k2..e).any(|m| {
            self.is(
                m,
                &[
                    "system",
                    "pair",
                    "candidate",
                    "dijet",
                    "dilepton",
                    "diphoton",
                    "dimuon",
                    "dielectron",
                ],
            )
        });
        let members: Vec<Sys> = match (&sys, self.w(k2)) {
            (Sys::Sum(v), "both" | "all" | "two" | "three" | "four" | "each")
                if !system && !props.contains(&Prop::Mass) =>
            {
                v.clone()
            }
            _ => vec![sys.clone()],
        };
        if props.len() == 1 && members.len() == 1 {
            // A single property is read by the quantity grammar (it knows "pT of X and Y").
            return None;
        }
        let mut out = Vec::new();
        for s in &members {
            for p in &props {
                out.push(Quantity::Prop(*p, s.clone()));
            }
        }
        Some((out, e))
    }

    /// "(leading first)", "(in this order)", "(W leptonic)": a remark with no number or
    /// comparison in it.
    pub(super) fn skip_remark(&self, e: usize) -> usize {
        if self.w(e) != "(" {
            return e;
        }
        let close = (e..self.toks.len().min(e + 8)).find(|k| self.w(*k) == ")");
        match close {
            Some(c)
                if (e + 1..c)
                    .all(|k| self.toks[k].num.is_none() && !crate::lexicon::is_hard(self.w(k))) =>
            {
                c + 1
            }
            _ => e,
        }
    }

    /// A quantity to plot or save, possibly under a label the text defined.
    pub fn feature_quantity(&self, j: usize) -> R<Quantity> {
        let ((_, q), e) = self.labeled(j)?;
        // A constant is never a distribution.
        if q.is_constant() {
            return None;
        }
        // "m_eff = H_T + E_T^miss": the definition restated.
        if self.w(e) == "=" {
            if let Some((q2, e2)) = (P {
                formula: true,
                ..*self
            })
            .expr(e + 1, None)
            {
                if q2 == q {
                    return Some((q, e2));
                }
            }
        }
        // "ΔR(γ, j1) between the leading photon and the leading jet".
        let e = self.restated_tail(self.skip_remark(e), &q);
        Some((q, e))
    }
}

/// The focus after saving a quantity of one object ("the pT of the leading lepton, the pT
/// of the second").
pub(super) fn focus_of_quantity(q: &Quantity) -> Option<Focus> {
    match q {
        Quantity::Prop(_, s @ Sys::Obj(o)) if o.kind != crate::ir::Kind::Met => Some(Focus {
            kind: o.kind,
            n: None,
            sys: Some(s.clone()),
        }),
        // "the four-lepton invariant mass and its pT", "the Z candidate mass, its pT".
        Quantity::Prop(_, s @ Sys::Sum(v)) => match v.first() {
            Some(Sys::Obj(o)) => Some(Focus {
                kind: o.kind,
                n: None,
                sys: Some(s.clone()),
            }),
            _ => None,
        },
        Quantity::Prop(_, s @ (Sys::Cand(c) | Sys::Leg(c, _) | Sys::Rest(c, _))) => Some(Focus {
            kind: c.kind,
            n: None,
            sys: Some(s.clone()),
        }),
        _ => None,
    }
}
