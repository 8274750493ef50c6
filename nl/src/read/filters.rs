//! Conditions on each object of a collection: "pT > 20 GeV and |η| < 2.4", "above 10 GeV",
//! "(pT > 25, |η| < 2.5)", "excluding 1.37 < |η| < 1.52", "b-tagged".

use crate::ir::{Cmp, Filter, Kind, Prop, Quantity, Sys};
use crate::lexicon::{prop_word, VETOED};

use super::base::{P, R};

/// Words that may stand before a condition without changing it.
const LEAD_IN: &[&str] = &[
    "with",
    "having",
    "w/",
    "of",
    "and",
    "to",
    "have",
    "has",
    "be",
    "is",
    "are",
    "lie",
    "lies",
    "within",
    "in",
    "satisfying",
    "must",
    "should",
    "a",
    "an",
    "the",
    "central",
    "centrally",
    "need",
    "needs",
    "required",
    "require",
    "passing",
    "each",
    "inside",
    "region",
    "both",
    "forward",
    ",",
];

/// Words naming the detector region an exclusion removes: "the barrel-endcap transition
/// region", "the ECAL crack".
const REGION_WORDS: &[&str] = &[
    "the",
    "crack",
    "transition",
    "barrel",
    "endcap",
    "end",
    "cap",
    "ecal",
    "calorimeter",
    "region",
    "regions",
    "of",
    "between",
    "in",
    "gap",
    "(",
    "barrel-endcap",
];

impl P<'_> {
    /// One or more conditions joined by "and", commas or "with".
    pub fn filters(&self, i: usize, kind: Kind) -> R<Vec<Filter>> {
        let (mut out, mut j) = self.filter(i, kind)?;
        loop {
            let k = self.skip_of(
                j,
                &[",", "and", "with", "w/", "while", "&", "within", "inside"],
            );
            // "... and count those with btag ≥ 1 as b-jets" starts a new statement.
            if self.is(
                k,
                &[
                    "count", "counted", "call", "called", "those", "these", "we", "define", "treat",
                ],
            ) {
                return Some((out, j));
            }
            let starts = k > j
                || self.is(
                    k,
                    &[
                        "(",
                        "|",
                        "excluding",
                        "except",
                        "outside",
                        "rejecting",
                        "but",
                        "not",
                        "in",
                    ],
                );
            match self.filter(k, kind) {
                Some((f, e)) if starts => {
                    out.extend(f);
                    j = e;
                }
                _ => return Some((out, j)),
            }
        }
    }

    /// One condition (a parenthesised list counts as one).
    pub fn filter(&self, i: usize, kind: Kind) -> R<Vec<Filter>> {
        let (fs, e) = self.filter_at(i, kind)?;
        // "pT>25/20": thresholds by rank, read with the count they belong to.
        if self.w(e) == "/" && self.number(e + 1).is_some() {
            return None;
        }
        Some((fs, e))
    }

    fn filter_at(&self, i: usize, kind: Kind) -> R<Vec<Filter>> {
        // "in the barrel, |η| < 1.44": the region named, then its bound.
        let r = self.skip_of(i, &["in", "the"]);
        let k = self.skip_of(r + 1, &["region", "part", ",", "i.e.", "ie"]);
        if self.is(r, &["barrel", "endcap", "endcaps", "forward", "central"]) && k > r + 1 {
            let (fs, e) = self.filter_at(k, kind)?;
            let eta = fs
                .iter()
                .all(|f| matches!(f.as_prop(), Some(Prop::AbsEta | Prop::Eta)));
            return eta.then_some((fs, e));
        }
        if self.w(i) == "(" {
            let (fs, e) = self.filters(i + 1, kind)?;
            return Some((fs, self.eat(e, ")")?));
        }
        let j = self.skip_of(self.skip(i), LEAD_IN);
        if let Some(r) = self.exclusion(j, kind) {
            return Some(r);
        }
        if let Some(r) = self.tagged(j, kind) {
            return Some(r);
        }
        if let Some(r) = self.window_filter(j, kind) {
            return Some(r);
        }
        if let Some(r) = self.prop_filter(j, kind) {
            return Some(r);
        }
        // "above 10 GeV": a threshold with an energy unit and no property is on pT.
        // "more than 40 GeV of transverse momentum", "above 20 GeV in E_T": the property
        // after the threshold.
        let ((cmp, unit), e) = self.cmp(j)?;
        let (prop, e) = self
            .eat_any(e, &["in", "of"])
            .and_then(|k| self.prop_term(k, kind))
            .filter(|(p, _)| matches!(p, Prop::Pt | Prop::Energy | Prop::Mass))
            .unwrap_or((Prop::Pt, e));
        unit.then(|| (vec![Filter::prop(kind, prop, cmp)], e))
    }

    /// "excluding 1.37 < |η| < 1.52", "excluding the transition region 1.37 < |η| < 1.52",
    /// "crack 1.37–1.52 excluded", "with the crack 1.37 < |η| < 1.52 removed", "but photons
    /// falling in the transition region 1.4442 < |η| < 1.566 are discarded".
    fn exclusion(&self, i: usize, kind: Kind) -> R<Vec<Filter>> {
        let neg = [
            "excluding",
            "except",
            "outside",
            "not",
            "exclude",
            "rejecting",
            "veto",
            "vetoing",
            "removing",
            "discarding",
            "without",
        ];
        let mut j = i;
        let mut negated = false;
        if self.w(j) == "but" {
            let ((k, _), e) = self.kind(j + 1)?;
            if k != kind {
                return None;
            }
            j = self.skip_of(
                e,
                &[
                    "falling", "lying", "that", "which", "fall", "lie", "are", "in", "inside",
                    "within",
                ],
            );
        } else if self.is(j, &neg) {
            negated = true;
            j += 1;
        } else {
            j = self.opt(j, "with");
        }
        let j = self.skip_of(j, REGION_WORDS);
        let ((a, b, p), k) = self.band(j, kind)?;
        let k = self.opt(k, ")");
        let t = self.skip_of(k, &["are", "is", "be", "must", "should"]);
        let trailing = self.eat_any(t, VETOED);
        if !(negated || trailing.is_some()) || a >= b {
            return None;
        }
        Some((
            vec![Filter::prop(kind, p, Cmp::Outside(a, b))],
            trailing.unwrap_or(k),
        ))
    }

    /// The band an exclusion removes: "1.37 < |η| < 1.52", "1.37–1.52" (in |η|), "|η| in
    /// [1.37, 1.52]"; its bounds and property, and the position after it.
    fn band(&self, j: usize, kind: Kind) -> R<(f64, f64, Prop)> {
        let Some(((a, _), k)) = self.value(j) else {
            let (p, k) = self.prop_term(j, kind)?;
            let k = self.eat_any(k, &["in", "between", "within"])?;
            let ((a, b, _), k) = self.range(k)?;
            return Some(((a, b, p), k));
        };
        if let Some(k2) = self.eat_any(k, &["<", "<="]) {
            let (p, k2) = self.prop_term(k2, kind)?;
            let k2 = self.eat_any(k2, &["<", "<="])?;
            let ((b, _), k2) = self.value(k2)?;
            return Some(((a, b, p), k2));
        }
        let ((a, b, _), k2) = self.range(j)?;
        Some(((a, b, Prop::AbsEta), k2))
    }

    /// "b-tagged", "not b-tagged", "untagged", "light".
    fn tagged(&self, i: usize, kind: Kind) -> R<Vec<Filter>> {
        let (cmp, e) = match self.w(i) {
            "btagged" => (Cmp::Ge(1.0), i + 1),
            "not" if self.w(i + 1) == "btagged" => (Cmp::Lt(1.0), i + 2),
            "light" | "untagged" => (Cmp::Lt(1.0), i + 1),
            _ => return None,
        };
        Some((vec![Filter::prop(kind, Prop::Btag, cmp)], e))
    }

    /// `a < prop < b`.
    fn window_filter(&self, i: usize, kind: Kind) -> R<Vec<Filter>> {
        let ((a, _), j) = self.value(i)?;
        let j = self.eat_any(j, &["<", "<="])?;
        let (p, j) = self.prop_term(j, kind)?;
        let j = self.eat_any(j, &["<", "<="])?;
        let ((b, _), j) = self.value(j)?;
        (a < b).then(|| (vec![Filter::prop(kind, p, Cmp::Between(a, b))], j))
    }

    /// A property of the object (or a quantity about it) and a comparison.
    fn prop_filter(&self, i: usize, kind: Kind) -> R<Vec<Filter>> {
        let each = Sys::Each(kind);
        let (q, j) = match self.prop_term(i, kind) {
            Some((p, j)) => (Quantity::Prop(p, each.clone()), j),
            None => self.with_each(Some(kind.base())).expr(i, Some(&each))?,
        };
        if !about_each(&q) {
            return None;
        }
        let ((cmp, unit), mut e) = self.cmp(j)?;
        if unit && !q.has_gev() {
            return None;
        }
        // "dR(jet, μ) > 0.4 to every selected muon": apart from all of them.
        if let Quantity::Delta(crate::ir::Delta::R, a, Sys::Obj(o)) = &q {
            let k = self.skip_of(e, &["to", "from", "with", "of"]);
            if self.is(k, &["every", "all", "any", "each"]) {
                let k2 = self.skip_of(k + 1, &["the", "selected", "of"]);
                if let Some(((k3, _), e2)) = self.kind(k2) {
                    if k3 == o.kind {
                        let q = Quantity::Delta(crate::ir::Delta::R, a.clone(), Sys::All(k3));
                        return Some((vec![Filter { q, cmp }], e2));
                    }
                }
            }
        }
        let q = eta_bound(&q, cmp);
        let mut out = vec![Filter { q: q.clone(), cmp }];
        // "pT > 20 and < 50": a second bound on the same property, the other way.
        if let Some(k) = self.eat(e, "and") {
            if let Some(((c2, _), e2)) = self.cmp(k) {
                let up = |c: Cmp| matches!(c, Cmp::Gt(_) | Cmp::Ge(_));
                let down = |c: Cmp| matches!(c, Cmp::Lt(_) | Cmp::Le(_));
                let opposite = (up(cmp) && down(c2)) || (down(cmp) && up(c2));
                if opposite && self.kind(e2).is_none() {
                    out.push(Filter { q, cmp: c2 });
                    e = e2;
                }
            }
        }
        Some((out, e))
    }

    /// A property word as the subject of a condition: `pT`, `|η|`, "transverse momentum",
    /// "pseudorapidity |η|", `η_j`.
    pub fn prop_term(&self, i: usize, kind: Kind) -> R<Prop> {
        if self.w(i) == "|" {
            let p = prop_word(self.w(i + 1))?;
            let j = self.skip_code(i + 2, kind);
            let j = self.eat(j, "|")?;
            return (p == Prop::Eta).then_some((Prop::AbsEta, j));
        }
        if self.is(i, &["abs", "absolute"]) {
            let j = self.skip_of(i + 1, &["value", "of", "("]);
            let p = prop_word(self.w(j))?;
            let k = self.opt(self.skip_code(j + 1, kind), ")");
            return (p == Prop::Eta).then_some((Prop::AbsEta, k));
        }
        let w = self.w(i);
        // "E >= 5" on an object is its energy; "e" elsewhere is the electron.
        if w == "e" {
            return self
                .is(i + 1, &[">", "<", ">=", "<="])
                .then_some((Prop::Energy, i + 1));
        }
        let p = prop_word(w)?;
        if p == Prop::Mass && w == "invmass" {
            return None;
        }
        let mut j = self.skip_code(i + 1, kind);
        // "pseudorapidity |η| < 2.4".
        if p == Prop::Eta && self.w(j) == "|" && self.w(j + 1) == "eta" && self.w(j + 2) == "|" {
            return Some((Prop::AbsEta, j + 3));
        }
        if self.w(j) == "(" && self.glued(j) {
            return None;
        }
        j = self.skip_of(j, &["value"]);
        Some((p, j))
    }

    /// `_j` after a property in a condition on jets (`|η_j| < 2.5`): the lexer writes it as
    /// `( j1 )`, which here means the object itself.
    fn skip_code(&self, i: usize, kind: Kind) -> usize {
        if self.w(i) == "(" && self.glued(i) && self.w(i + 2) == ")" {
            if let Some(((k, _), _)) = self.kind(i + 1) {
                if k == kind || k.base() == kind.base() {
                    return i + 3;
                }
            }
        }
        i
    }
}

/// Whether a quantity is about the object a condition is attached to.
fn about_each(q: &Quantity) -> bool {
    match q {
        Quantity::Prop(_, Sys::Each(_)) => true,
        Quantity::Delta(_, a, b) => matches!(a, Sys::Each(_)) || matches!(b, Sys::Each(_)),
        Quantity::Bin(_, a, b) => about_each(a) || about_each(b),
        Quantity::Func(_, v) => v.iter().any(about_each),
        _ => false,
    }
}

/// "η < 2.5" on an object means |η| < 2.5: an upper bound alone on η is an acceptance cut,
/// so the reader applies it to |η| and the echo says so.
pub fn eta_bound(q: &Quantity, cmp: Cmp) -> Quantity {
    match (q, cmp) {
        (Quantity::Prop(Prop::Eta, s), Cmp::Lt(v) | Cmp::Le(v)) if v > 0.0 => {
            Quantity::Prop(Prop::AbsEta, s.clone())
        }
        _ => q.clone(),
    }
}
