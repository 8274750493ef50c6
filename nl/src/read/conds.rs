//! Conditions on named objects and on event quantities: "the leading jet must have
//! pT > 100 GeV and |η| < 2.4", "both leading jets in opposite hemispheres", "the muon and
//! the leading tau have to carry opposite charge", "MET > 30 GeV", "81 < m_ll < 101",
//! "|m_ll − 91.1876| < 10", "Δφ(j, MET) > 0.4 ∀ jets", "every selected jet must be separated
//! from the MET by Δφ > 0.4", "OS", "q(μ)·q(τ1) < 0".

use crate::ir::{Cmp, Cut, Filter, Kind, ObjRef, Op, PairRel, Prop, Quantity, Stmt, Sys};
use crate::lexicon::{prop_word, VETOED};

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
        let q = Quantity::Prop(Prop::Pt, subj.sys.clone());
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
            Some(o) => super::objects::sum(vec![subj.sys.clone(), o]),
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

    /// "OS", "opposite-sign", "SFOS", "same flavour and opposite charge".
    pub fn pair_word(&self, i: usize) -> R<PairRel> {
        let mut j = self.skip_of(
            i,
            &["of", "with", "have", "has", "be", "are", "carry", "a", "an"],
        );
        let mut rel: Option<PairRel> = None;
        loop {
            let r = match self.w(j) {
                "os" => PairRel::Os,
                "ss" => PairRel::Ss,
                "sf" => PairRel::Sf,
                "sfos" => PairRel::Sfos,
                "df" => PairRel::Df,
                "dfos" => PairRel::Dfos,
                "," | "and" if rel.is_some() && self.pair_word_at(j + 1) => {
                    j += 1;
                    continue;
                }
                _ => break,
            };
            rel = Some(match (rel, r) {
                (None, r) => r,
                (Some(PairRel::Sf), PairRel::Os) | (Some(PairRel::Os), PairRel::Sf) => {
                    PairRel::Sfos
                }
                (Some(PairRel::Df), PairRel::Os) | (Some(PairRel::Os), PairRel::Df) => {
                    PairRel::Dfos
                }
                (Some(a), _) => a,
            });
            j += 1;
        }
        let j = self.skip_of(j, &["charge", "charges", "sign", "signs", "flavour"]);
        rel.map(|r| (r, j))
    }

    fn pair_word_at(&self, i: usize) -> bool {
        self.is(
            self.skip_of(i, &["of", "with", "have", "a", "an"]),
            &["os", "ss", "sf", "sfos", "df", "dfos"],
        )
    }

    /// The cuts a relation adds to a count: "exactly two OS muons" is a count and a charge
    /// cut on the two; "at least one OS pair" counts pairs.
    pub fn relation_stmts(&self, kind: Kind, cmp: crate::ir::CountCmp, rel: PairRel) -> Vec<Stmt> {
        use crate::ir::{CountCmp, Target};
        match cmp {
            CountCmp::Exactly(2) | CountCmp::AtLeast(2) => vec![Stmt::Cut(Cut::Pair {
                a: Sys::Obj(ObjRef { kind, index: 0 }),
                b: Sys::Obj(ObjRef { kind, index: 1 }),
                rel,
            })],
            _ => vec![Stmt::Cut(Cut::Count {
                target: Target::Pairs { kind, rel },
                cmp: CountCmp::AtLeast(1),
            })],
        }
    }

    /// A relation on its own: "OS", "SFOS", "OS eμ", "OS(l1, l2)", "q(μ)·q(τ1) < 0" is a
    /// value cut instead.
    pub fn relation_phrase(&self, i: usize) -> Option<Reading> {
        let (rel, j) = self.pair_word(i)?;
        if self.w(j) == "(" {
            let (s, e) = self.sys(j + 1, true)?;
            let e = self.eat(e, ")")?;
            let (a, b) = members(&s)?;
            return Some(Reading::new(vec![Stmt::Cut(Cut::Pair { a, b, rel })], e));
        }
        if let Some((s, e)) = self.sys(j, false) {
            if let Some((a, b)) = members(&s) {
                return Some(Reading::new(vec![Stmt::Cut(Cut::Pair { a, b, rel })], e));
            }
        }
        let (pair, e) = self.pronoun_pair_or_focus(j)?;
        let (a, b) = members(&pair)?;
        Some(Reading::new(vec![Stmt::Cut(Cut::Pair { a, b, rel })], e))
    }

    fn pronoun_pair_or_focus(&self, j: usize) -> R<Sys> {
        let f = self.ctx.focus.as_ref()?;
        if let Some(s) = &f.sys {
            if members(s).is_some() {
                return Some((s.clone(), j));
            }
        }
        if matches!(f.n, Some(2)) {
            return Some((first_n(f.kind, 2), j));
        }
        Some((self.ctx.recent_pair()?, j))
    }

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
    fn distance_form(&self, j: usize) -> R<Vec<Stmt>> {
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
        if (center - super::base::MZ).abs() > 1.0 || c.mass != super::base::MZ {
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
    fn restated_range(&self, k: usize, q: &Quantity) -> R<(Cmp, bool)> {
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

    /// A quantity, possibly named in passing: "the pT balance pT(j1)/pT(γ1)", "the visible
    /// mass m(μ, τ1)", "the invariant mass of the two leading photons, m_γγ,". The name, if
    /// any, is defined as the quantity.
    pub fn labeled(&self, i: usize) -> R<(Option<String>, Quantity)> {
        // "m_vis(τ1τ2)": a mass under a name of its own, defined where it is used.
        let w = self.w(i);
        if w.starts_with("m_")
            && self.ctx.lookup(w).is_none()
            && self.w(i + 1) == "("
            && self.glued(i + 1)
        {
            if let Some((q, e)) = self.expr(i, None) {
                return Some(((Some(w.to_owned()), q), e));
            }
        }
        // "the photon pT asymmetry (pT1 − pT2)/(pT1 + pT2)": a label with a noun of its own
        // names the formula after it, though its first words read as a quantity.
        if let Some(((Some(name), q), e)) = self.label_then_formula(i) {
            let noun = name.split('_').any(|w| !crate::lexicon::is_known(w));
            if noun && self.expr(i, None).is_none_or(|(_, e2)| e2 < e) {
                return Some(((Some(name), q), e));
            }
        }
        if let Some((q, e)) = self.expr(i, None) {
            let bare = (i..e)
                .filter(|m| !crate::lexicon::FILLER.contains(&self.w(*m)))
                .count()
                <= 1;
            // "a transverse mass m_T(e, MET)": a bare word and its explicit symbol.
            if let Some((q2, e2)) = self.explicit(e) {
                return Some(((None, if bare { q2 } else { q }), e2));
            }
            // "HT (the scalar sum of the jet pT)": a restatement in parentheses.
            if self.w(e) == "(" {
                // ("HT (400–2000 GeV)" is a range, not a restatement.)
                if let Some((_, e2)) = self
                    .expr(e + 1, None)
                    .filter(|(q2, e2)| self.w(*e2) == ")" && *q2 == q)
                {
                    return Some(((None, q), e2 + 1));
                }
            }
            if self.is(e, &[",", ":"]) {
                // "pT_γγ, the transverse momentum of the diphoton system": the same quantity
                // again.
                let at = self.skip_of(
                    e + 1,
                    &[
                        "defined", "as", "i.e.", "ie", "namely", "which", "is", "being",
                    ],
                );
                if let Some((q2, e2)) = self.expr(at, None) {
                    // "HT, the scalar sum of the pT of those jets, has to exceed 300 GeV".
                    let closed = if self.w(e2) == "," && self.cmp(e2 + 1).is_some() {
                        e2 + 1
                    } else {
                        e2
                    };
                    if q2 == q && self.explicit(e + 1).is_none() {
                        return Some(((None, q), closed));
                    }
                    // "m_T, the transverse mass of the eμ system and the E_T^miss": a bare
                    // name, then what it is.
                    let same_kind = std::mem::discriminant(&q) == std::mem::discriminant(&q2)
                        && matches!(self.w(e - 1), "mt" | "ht" | "meff" | "st" | "met");
                    if bare
                        && same_kind
                        && self.explicit(e + 1).is_none()
                        && (e + 1..e2).count() > 2
                    {
                        return Some(((None, q2), e2));
                    }
                }
                // "the transverse mass of the electron and the MET, m_T > 40": the name after
                // the comma restates it. In a list the comma separates items instead.
                if let Some((q2, e2)) = self.explicit(e + 1) {
                    let name = e2 == e + 2;
                    let then_cmp = self.cmp(self.opt(e2, ",")).is_some();
                    if then_cmp && (q2 == q || (name && !bare)) {
                        return Some(((None, q), self.opt(e2, ",")));
                    }
                }
                // "HT, the scalar sum of the pT of those jets, has to exceed 300 GeV".
                if let Some((q2, e2)) = self
                    .expr(e + 1, None)
                    .filter(|_| self.explicit(e + 1).is_none())
                {
                    if self.w(e2) == "," && (q2 == q || bare) && self.cmp(e2 + 1).is_some() {
                        return Some(((None, q2), e2 + 1));
                    }
                }
                // ", m_T = sqrt(2 pT(μ) MET (1 − cos Δφ)),": named and written out.
                if let Some(e2) = self.formula_apposition(e + 1, &q) {
                    return Some(((None, q), e2));
                }
            }
            return Some(((None, q), e));
        }
        self.label_then_formula(i)
    }

    /// "the pT balance pT(j1)/pT(γ1)", "the photon pT asymmetry (pT1 − pT2)/(pT1 + pT2)": a
    /// label of a few words, then the formula it names.
    fn label_then_formula(&self, i: usize) -> R<(Option<String>, Quantity)> {
        // The label: nouns, not verbs or
        // prepositions ("the pT balance", "the significance", "their separation").
        let j = self.skip_of(i, &["the", "a", "an", "this", "that", "their", "its"]);
        let label_word = |m: usize| {
            let w = self.w(m);
            self.toks.get(m).is_some_and(|t| t.num.is_none())
                && w.chars().all(|c| c.is_alphanumeric() || c == '_')
                && !crate::lexicon::FILLER.contains(&w)
                && !crate::lexicon::POS_VERBS.contains(&w)
                && !crate::lexicon::NEG_VERBS.contains(&w)
                && !crate::lexicon::OUTPUT_VERBS.contains(&w)
                && !crate::lexicon::NOTE_WORDS.contains(&w)
                && !matches!(
                    w,
                    "to" | "and" | "or" | "not" | "no" | "with" | "csv" | "file" | "events"
                )
        };
        for len in 1..=3 {
            let k = j + len;
            if k > self.toks.len() || !(j..k).all(label_word) {
                break;
            }
            if let Some((q, e)) = self.explicit(self.opt(k, "=")) {
                // One token, so the echo's "define pt_balance = ..." reads back.
                let name: Vec<&str> = (j..k).map(|m| self.w(m)).collect();
                return Some(((Some(name.join("_")), q), e));
            }
        }
        None
    }

    /// `NAME = formula` after a quantity in words: the formula restates it (its `Δφ` is
    /// between the quantity's objects).
    fn formula_apposition(&self, k: usize, q: &Quantity) -> Option<usize> {
        let k = self.skip_of(k, &["the", "i.e."]);
        let eq = (k..k + 3).find(|m| self.w(*m) == "=")?;
        let hint = match q {
            Quantity::Mt(s) => Some(super::objects::sum(vec![s.clone(), Sys::Obj(ObjRef::MET)])),
            Quantity::Prop(_, s) | Quantity::Delta(_, s, _) => Some(s.clone()),
            _ => None,
        };
        let p = P {
            formula: true,
            ..*self
        };
        let (f, e) = p.expr(eq + 1, hint.as_ref())?;
        let same = f == *q || matches!(q, Quantity::Mt(s) if mt_formula(&f, s));
        same.then(|| self.opt(e, ","))
    }

    /// A quantity written with symbols (`pT(j1)/pT(γ1)`, `m(μ, τ1)`, `|η_j1 + η_j2|/2`), not
    /// in words.
    fn explicit(&self, i: usize) -> R<Quantity> {
        let w = self.w(i);
        let symbolic = w == "|"
            || w == "("
            || (self.w(i + 1) == "(" && self.glued(i + 1))
            || matches!(
                w,
                "met" | "ht" | "meff" | "mt" | "m_z" | "m_z1" | "m_z2" | "m_w"
            )
            || crate::lexicon::func_word(w).is_some()
            || self.ctx.lookup(w).is_some();
        if !symbolic || prop_word(w).is_some() && self.w(i + 1) != "(" {
            return None;
        }
        let (q, e) = self.expr(i, None)?;
        // "m_T = sqrt(...)" is a definition, not the quantity alone; "(0–60 GeV)" is a range.
        (self.w(e) != "=" && !q.is_constant()).then_some((q, e))
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

/// Whether `f` is the transverse mass of `s` and the MET written out,
/// `sqrt(2 pT(s) MET (1 − cos Δφ(s, MET)))`, its factors in any order.
fn mt_formula(f: &Quantity, s: &Sys) -> bool {
    use crate::ir::{Delta, Func};
    let Quantity::Func(Func::Sqrt, args) = f else {
        return false;
    };
    let [inner] = args.as_slice() else {
        return false;
    };
    let mut factors = Vec::new();
    product_factors(inner, &mut factors);
    let met = Sys::Obj(ObjRef::MET);
    let is_met =
        |q: &Quantity| matches!(q, Quantity::Met) || *q == Quantity::Prop(Prop::Pt, met.clone());
    let cos_term = |q: &Quantity| match q {
        Quantity::Bin(Op::Sub, one, c) if **one == Quantity::Num(1.0) => match &**c {
            Quantity::Func(Func::Cos, v) => {
                matches!(v.as_slice(), [Quantity::Delta(Delta::Phi, a, b)] if (a == s && *b == met) || (b == s && *a == met))
            }
            _ => false,
        },
        _ => false,
    };
    factors.len() == 4
        && factors.iter().filter(|q| **q == Quantity::Num(2.0)).count() == 1
        && factors
            .iter()
            .filter(|q| **q == Quantity::Prop(Prop::Pt, s.clone()))
            .count()
            == 1
        && factors.iter().filter(|q| is_met(q)).count() == 1
        && factors.iter().filter(|q| cos_term(q)).count() == 1
}

/// The factors of a product.
fn product_factors(q: &Quantity, out: &mut Vec<Quantity>) {
    match q {
        Quantity::Bin(Op::Mul, a, b) => {
            product_factors(a, out);
            product_factors(b, out);
        }
        q => out.push(q.clone()),
    }
}
