//! Conditions on named objects and on event quantities: "the leading jet must have
//! pT > 100 GeV and |η| < 2.4", "both leading jets in opposite hemispheres", "the muon and
//! the leading tau have to carry opposite charge", "MET > 30 GeV", "81 < m_ll < 101",
//! "|m_ll − 91.1876| < 10", "Δφ(j, MET) > 0.4 ∀ jets", "every selected jet must be separated
//! from the MET by Δφ > 0.4", "OS", "q(μ)·q(τ1) < 0".

mod implied;
mod labeled;
mod pairs;
mod value;

use crate::ir::{Cmp, Cut, Filter, Kind, Op, Prop, Quantity, Stmt, Sys};

use super::base::{P, R};
use super::ctx::Focus;
use super::filters::eta_bound;
use super::objects::{first_n, sum};
use super::quantity::{mentions_each, split_pair};
use super::Reading;

/// Words between a subject and its conditions.
const VERBS: &[&str] = &[
    "must",
    "should",
    "has",
    "have",
    "to",
    "be",
    "is",
    "are",
    "need",
    "needs",
    "required",
    "satisfy",
    "satisfies",
    "carry",
    "carries",
    "lie",
    "lies",
    "sit",
    "sits",
    "with",
    "w/",
    "having",
    "also",
    "itself",
    "themselves",
    "both",
    "each",
    "then",
    ",",
    "further",
    "central",
    "centrally",
    "in",
    "addition",
];

/// Who conditions are about.
#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    pub sys: Sys,
    /// "both leading jets must have pT > 50": a per-object property applies to each member.
    pub each_member: bool,
    /// "every selected jet": the conditions hold for every object of a kind.
    pub every: Option<(Kind, Option<usize>)>,
}

impl P<'_> {
    /// The subject of a condition: an object, a group, a system, a pronoun, or "every jet".
    pub fn subject(&self, i: usize) -> R<Subject> {
        let j = self.skip_of(i, &["the", "a", "an"]);
        let plain = |sys, e| {
            Some((
                Subject {
                    sys,
                    each_member: false,
                    every: None,
                },
                e,
            ))
        };
        match self.w(j) {
            "it" => return plain(self.ctx.focus.as_ref()?.sys.clone()?, j + 1),
            "they" | "two" | "both" | "pair" if self.pronoun_pair(j).is_some() => {
                let (sys, e) = self.pronoun_pair(j)?;
                return Some((
                    Subject {
                        sys,
                        each_member: true,
                        every: None,
                    },
                    e,
                ));
            }
            "every" | "each" | "all" | "any" => {
                let k = self.skip_of(j + 1, &["of", "the", "selected", "remaining"]);
                let (first, k) = match self.int(k) {
                    Some((n, e)) => (Some(n), self.skip_of(e, &["leading"])),
                    None => (None, k),
                };
                let ((kind, _), e) = self.kind(k)?;
                if kind == Kind::Met {
                    return None;
                }
                let every = Some((kind, first));
                return Some((
                    Subject {
                        sys: Sys::Each(kind),
                        each_member: false,
                        every,
                    },
                    e,
                ));
            }
            _ => {}
        }
        if let Some((objs, e)) = self.coordinated(j) {
            return Some((
                Subject {
                    sys: Sys::Sum(objs),
                    each_member: true,
                    every: None,
                },
                e,
            ));
        }
        let (sys, e) = self.sys(j, true)?;
        let group = matches!(self.w(j), "both" | "two" | "three" | "four")
            || self.w(j).parse::<usize>().is_ok();
        let listed = (j..e).any(|k| self.is(k, &["and", ","]));
        Some((
            Subject {
                sys,
                each_member: group || listed,
                every: None,
            },
            e,
        ))
    }

    /// "they", "the two", "both", "the pair": the focus pair.
    fn pronoun_pair(&self, j: usize) -> R<Sys> {
        let f = self.ctx.focus.as_ref()?;
        let e = match self.w(j) {
            "they" => j + 1,
            "two" | "both" => self.skip_of(j + 1, &["of", "them", "leading", "ones", "one"]),
            "pair" => j + 1,
            _ => return None,
        };
        if self.kind(e).is_some() {
            return None;
        }
        if let Some(s) = &f.sys {
            if matches!(s, Sys::Sum(v) if v.len() == 2) || matches!(s, Sys::Cand(_)) {
                return Some((s.clone(), e));
            }
        }
        if f.n == Some(2) {
            return Some((first_n(f.kind, 2), e));
        }
        let pair = self.ctx.recent_pair()?;
        Some((pair, e))
    }

    /// A subject and its conditions.
    pub fn subject_phrase(&self, i: usize) -> Option<Reading> {
        let (subj, j) = self.subject(i)?;
        // "The leading jet: pT > 100 GeV" at the start of a clause; inside a sentence a colon
        // ends a label ("aligned with one of the two leading jets: min(...) < 0.3").
        let starts = i == 0
            || self.is(i - 1, &[",", ";", "and"])
            || crate::lexicon::POS_VERBS.contains(&self.w(i - 1));
        let j = if starts { self.opt(j, ":") } else { j };
        let (cuts, e) = self.subject_conds(j, &subj)?;
        let mut r = Reading::new(cuts.into_iter().map(Stmt::Cut).collect(), e);
        if subj.every.is_none() {
            let kind = focus_kind(&subj.sys);
            r.focus = kind.map(|kind| Focus {
                kind,
                n: None,
                sys: Some(subj.sys.clone()),
            });
        }
        Some(r)
    }

    /// Conditions joined by "and" and commas.
    pub fn subject_conds(&self, i: usize, subj: &Subject) -> R<Vec<Cut>> {
        let (mut cuts, mut j) = self.subject_cond(i, subj)?;
        loop {
            let k = self.skip_of(j, &[",", "and", "with", "while"]);
            match self.subject_cond(k, subj) {
                Some((c, e)) if k > j => {
                    cuts.extend(c);
                    j = e;
                }
                _ => return Some((cuts, j)),
            }
        }
    }

    /// One condition on the subject.
    fn subject_cond(&self, i: usize, subj: &Subject) -> R<Vec<Cut>> {
        let j = self.skip_of(i, VERBS);
        let mut j = self.skip_of(j, &["an", "a", "the", "their", "its"]);
        // "back to back in azimuth with Δφ > 2.7": the direction named, then the cut on it.
        if self.is(j, &["dphi", "deta", "dr"]) && self.is(j + 1, &["with", ",", "by", ":"]) {
            let k = self.opt(j + 2, "|");
            if self.w(k) == self.w(j) {
                j += 2;
            }
        }
        if let Some((rel, e)) = self.pair_word(j) {
            let (a, b) = members(&subj.sys)?;
            return Some((vec![Cut::Pair { a, b, rel }], e));
        }
        if let Some(r) = self.relative_to(j, subj) {
            return Some(r);
        }
        if let Some(r) = self.hemispheres(j, subj) {
            return Some(r);
        }
        if let Some(r) = self.separated(j, subj) {
            return Some(r);
        }
        if let Some(r) = self.closer_than(j, subj) {
            return Some(r);
        }
        if self.w(j) == "btagged" {
            return Some((
                self.per_member(
                    subj,
                    Quantity::Prop(Prop::Btag, subj.sys.clone()),
                    Cmp::Ge(1.0),
                ),
                j + 1,
            ));
        }
        // "it has to satisfy |m_ll − 91.1876 GeV| < 10 GeV".
        if let Some((stmts, e)) = self.distance_form(j) {
            let cuts = stmts.into_iter().filter_map(|s| match s {
                Stmt::Cut(c) => Some(c),
                _ => None,
            });
            return Some((cuts.collect(), e));
        }
        if let Some(((a, _), k)) = self.value(j) {
            let k = self.eat_any(k, &["<", "<="])?;
            let (q, k) = self.subj_expr(k, subj)?;
            let k = self.eat_any(k, &["<", "<="])?;
            let ((b, _), k) = self.value(k)?;
            return (a < b).then(|| (self.per_member(subj, q, Cmp::Between(a, b)), k));
        }
        if let Some((q, k)) = self.subj_expr(j, subj) {
            if let Some(((cmp, unit), e)) = self.cmp(k).or_else(|| self.restated_range(k, &q)) {
                if unit && !q.has_gev() {
                    return None;
                }
                let q = eta_bound(&q, cmp);
                return Some((self.per_member(subj, q, cmp), e));
            }
        }
        // "the leading one above 100 GeV": a threshold with a unit is on pT.
        let ((cmp, unit), e) = self.cmp(j)?;
        if !unit {
            return None;
        }
        // "the dimuon system close to the Z": a window around a mass is on a system's mass.
        let window = matches!(cmp, Cmp::Within { .. } | Cmp::Away { .. });
        let prop = if window && matches!(subj.sys, Sys::Sum(_) | Sys::Cand(_)) {
            Prop::Mass
        } else {
            Prop::Pt
        };
        let q = Quantity::Prop(prop, subj.sys.clone());
        Some((self.per_member(subj, q, cmp), e))
    }

    /// A quantity in a condition on the subject; bare properties are the subject's.
    fn subj_expr(&self, i: usize, subj: &Subject) -> R<Quantity> {
        let p = match subj.every {
            Some((k, _)) => self.with_each(Some(k.base())),
            None => *self,
        };
        let (q, e) = p.expr(i, Some(&subj.sys))?;
        // "their azimuthal separation Δφ_jj": the symbol restates the words.
        if let Some((q2, e2)) = self.explicit(e) {
            return Some((q2, e2));
        }
        Some((q, e))
    }

    /// The cut on the subject: on each member for a group and a per-object property, for
    /// every object for a quantifier, else on the subject itself.
    fn per_member(&self, subj: &Subject, q: Quantity, cmp: Cmp) -> Vec<Cut> {
        if let Some((kind, first)) = subj.every {
            let q = if mentions_each(&q, kind) || mentions_each(&q, kind.base()) {
                q
            } else {
                return vec![Cut::Value { q, cmp }];
            };
            return vec![Cut::Every {
                kind,
                first,
                filter: Filter { q, cmp },
            }];
        }
        let distribute = subj.each_member
            && matches!(&q, Quantity::Prop(p, s) if *s == subj.sys && *p != Prop::Mass);
        match (&subj.sys, distribute) {
            (Sys::Sum(parts), true) => {
                let Quantity::Prop(p, _) = q else {
                    return Vec::new();
                };
                parts
                    .iter()
                    .map(|s| Cut::Value {
                        q: Quantity::Prop(p, s.clone()),
                        cmp,
                    })
                    .collect()
            }
            _ => vec![Cut::Value { q, cmp }],
        }
    }

    /// "(back-to-back) with the leading photon, Δφ(γ1, j1) > 2.9": another object named, then
    /// the separation between the two.
    fn relative_to(&self, j: usize, subj: &Subject) -> R<Vec<Cut>> {
        if subj.every.is_some() {
            return None;
        }
        let (other, k) = self.sys(j, false)?;
        let k = self.eat_any(k, &[",", ":"])?;
        let (stmts, e) = self.value_phrase(k)?;
        let [Stmt::Cut(
            c @ Cut::Value {
                q: Quantity::Delta(_, a, b),
                ..
            },
        )] = stmts.as_slice()
        else {
            return None;
        };
        let same = (*a == subj.sys && *b == other) || (*b == subj.sys && *a == other);
        same.then(|| (vec![c.clone()], e))
    }

    /// "in opposite hemispheres", "in the same hemisphere": the product of the η's.
    fn hemispheres(&self, i: usize, subj: &Subject) -> R<Vec<Cut>> {
        let j = self.skip_of(i, &["in", "the"]);
        let (cmp, e) = match self.w(j) {
            "opposite" => (Cmp::Lt(0.0), j + 1),
            "same" | "sf" => (Cmp::Gt(0.0), j + 1),
            _ => return None,
        };
        let e = self.eat_any(e, &["hemisphere", "hemispheres", "sides"])?;
        let (a, b) = split_pair(subj.sys.clone())?;
        let q = Quantity::Bin(
            Op::Mul,
            Box::new(Quantity::Prop(Prop::Eta, a)),
            Box::new(Quantity::Prop(Prop::Eta, b)),
        );
        let mut e = e;
        // "(η_j1 · η_j2 < 0)", ", η1·η2 < 0" restate it.
        if self.is(e, &["(", ","]) {
            if let Some((r, k)) = self.value_phrase(e + 1) {
                let same = r == vec![Stmt::Cut(Cut::Value { q: q.clone(), cmp })];
                if same && self.w(e) == "(" && self.w(k) == ")" {
                    e = k + 1;
                } else if same && self.w(e) == "," {
                    e = k;
                }
            }
        }
        Some((vec![Cut::Value { q, cmp }], e))
    }

    /// "separated by ΔR > 0.4", "separated from the MET by Δφ > 0.4", "be separated by a
    /// ΔR between 0.8 and 2.8".
    fn separated(&self, i: usize, subj: &Subject) -> R<Vec<Cut>> {
        let j = self.eat_any(i, &["separated", "apart", "isolated"])?;
        let (other, j) = match self.eat(j, "from") {
            Some(k) => {
                let (s, e) = self.sys(k, false)?;
                (Some(s), e)
            }
            None => (None, j),
        };
        let j = self.skip_of(j, &["by", "a", "an", "in", "with"]);
        let pair = match other {
            Some(o) => sum(vec![subj.sys.clone(), o]),
            None => subj.sys.clone(),
        };
        let (q, k) = self.expr(j, Some(&pair))?;
        if !matches!(q, Quantity::Delta(..)) {
            return None;
        }
        let ((cmp, unit), e) = self.cmp(k)?;
        if unit {
            return None;
        }
        Some((
            self.per_member(
                &Subject {
                    each_member: false,
                    ..subj.clone()
                },
                q,
                cmp,
            ),
            e,
        ))
    }

    /// "closer than ΔR = 3.0", "farther apart than Δφ = 1": a separation bound said with
    /// a comparative.
    fn closer_than(&self, i: usize, subj: &Subject) -> R<Vec<Cut>> {
        let (near, j) = match self.w(i) {
            "closer" | "nearer" => (true, i + 1),
            "farther" | "further" => (false, i + 1),
            _ => return None,
        };
        let j = self.eat(self.skip_of(j, &["apart", "together"]), "than")?;
        let (q, k) = self.expr(j, Some(&subj.sys))?;
        if !matches!(q, Quantity::Delta(..)) {
            return None;
        }
        let k = self.eat_any(k, &["=", "of"])?;
        let ((v, unit), e) = self.value(k)?;
        if unit {
            return None;
        }
        let cmp = if near { Cmp::Lt(v) } else { Cmp::Gt(v) };
        Some((vec![Cut::Value { q, cmp }], e))
    }
}

/// The two members of a pair, when both are single objects (charges and flavours are the
/// objects').
fn members(s: &Sys) -> Option<(Sys, Sys)> {
    let single = |x: &Sys| {
        matches!(x, Sys::Obj(o) if o.kind != Kind::Met) || matches!(x, Sys::Leg(..) | Sys::Rest(..))
    };
    split_pair(s.clone()).filter(|(a, b)| single(a) && single(b))
}

/// The kind a subject speaks of, for "the leading one", "its pT".
fn focus_kind(s: &Sys) -> Option<Kind> {
    match s {
        Sys::Obj(o) => Some(o.kind),
        Sys::Sum(v) => v.iter().find_map(|p| match p {
            Sys::Obj(o) => Some(o.kind),
            _ => None,
        }),
        Sys::Cand(c) | Sys::Leg(c, _) | Sys::Rest(c, _) => Some(c.kind),
        Sys::All(k) | Sys::Each(k) => Some(*k),
    }
}
