//! Conditions on named objects and on event quantities: "the leading jet must have
//! pT > 100 GeV and |η| < 2.4", "both leading jets in opposite hemispheres", "the muon and
//! the leading tau have to carry opposite charge", "MET > 30 GeV", "81 < m_ll < 101",
//! "|m_ll − 91.1876| < 10", "Δφ(j, MET) > 0.4 ∀ jets", "every selected jet must be separated
//! from the MET by Δφ > 0.4", "OS", "q(μ)·q(τ1) < 0".

mod apart;
mod implied;
mod labeled;
mod pairs;
mod value;

use crate::ir::{Cmp, Cut, Filter, Kind, Prop, Quantity, Stmt, Sys};
use crate::lexicon::prop_word;

use super::base::{P, R};
use super::ctx::Focus;
use super::filters::eta_bound;
use super::objects::first_n;
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
    "at",
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
    /// "the photons are separated by ΔR > 0.4": a kind in the plural taken as its two
    /// leading objects, which only a pair's condition (a relation, a separation) may follow.
    pub pair_only: bool,
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
                    pair_only: false,
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
                        pair_only: false,
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
                        pair_only: false,
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
                    pair_only: false,
                },
                e,
            ));
        }
        let Some((sys, e)) = self.sys(j, true) else {
            return self.plural_pair(j);
        };
        let group = matches!(self.w(j), "both" | "two" | "three" | "four")
            || self.w(j).parse::<usize>().is_ok();
        let listed = (j..e).any(|k| self.is(k, &["and", ","]));
        Some((
            Subject {
                sys,
                each_member: group || listed,
                every: None,
                pair_only: false,
            },
            e,
        ))
    }

    /// "the photons are separated by more than 0.4 in ΔR", "the muons are OS": a kind in the
    /// plural as the subject of a pair's condition is its two leading objects.
    fn plural_pair(&self, j: usize) -> R<Subject> {
        let k = self.skip_of(j, &["leading", "selected"]);
        let ((kind, Some(true)), e) = self.kind(k)? else {
            return None;
        };
        let subj = Subject {
            sys: first_n(kind, 2),
            each_member: false,
            every: None,
            pair_only: true,
        };
        (kind != Kind::Met).then_some((subj, e))
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
        // "must be central (|η| < 2)": a word the cut in parentheses says exactly.
        let adjective = |k: usize| self.is(k, &["central", "centrally", "forward", "hard", "soft"]);
        let paren = if adjective(j) { j + 1 } else { j };
        if self.w(paren) == "(" && paren > i && adjective(paren - 1) {
            let (cuts, e) = self.subject_cond(paren + 1, subj)?;
            return Some((cuts, self.eat(e, ")")?));
        }
        if let Some(r) = self.pair_cond(j, subj) {
            return Some(r);
        }
        if subj.pair_only {
            return None;
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
        // "with more than 100 GeV of transverse momentum".
        let (prop, e) = match self
            .eat_any(e, &["of", "in"])
            .map(|k| (prop_word(self.w(k)), k))
        {
            Some((Some(p @ (Prop::Pt | Prop::Energy | Prop::Mass)), k)) => (p, k + 1),
            _ => (prop, e),
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
