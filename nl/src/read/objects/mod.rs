//! Object words and systems: "muons", "e/μ", "b-tagged jets", "the leading jet", `j1`,
//! "the second one", "the two leading jets", "the dimuon system", "the Z candidate", "the
//! lepton not in the Z pair", "lepton + MET", `m(μ, τ1)`'s argument list.

mod cands;
mod group;
mod single;

pub use cands::z_cand;

use crate::ir::{Kind, ObjRef, Sys};
use crate::lexicon::{kind_word, ordinal, symbol};

use super::base::{P, R};

/// Adjectives that do not change which objects are meant.
const ADJ: &[&str] = &[
    "selected",
    "isolated",
    "signal",
    "good",
    "reconstructed",
    "charged",
    "identified",
    "tight",
    "loose",
    "medium",
    "hard",
    "prompt",
    "such",
    "these",
    "those",
    "said",
    "above",
    "offline",
    "baseline",
    "candidate",
    "final",
    "state",
    "visible",
    "tagging",
];

/// A set of kinds named together: "electrons or muons" is one kind (leptons), "electrons
/// and muons" two.
#[derive(Debug, Clone, PartialEq)]
pub struct Kinds {
    pub kinds: Vec<Kind>,
    pub plural: Option<bool>,
}

impl Kinds {
    /// The single kind this names, when it names one.
    pub fn one(&self) -> Option<Kind> {
        (self.kinds.len() == 1).then(|| self.kinds[0])
    }
}

impl P<'_> {
    /// One kind word with its adjectives: "b-tagged jets", "hadronic taus", "light jets".
    pub fn kind(&self, i: usize) -> R<(Kind, Option<bool>)> {
        let j = self.skip_of(i, ADJ);
        let w = self.w(j);
        // "light (non-b-tagged) jets": a remark may stand between the adjective and "jets".
        let jet = |k: usize| {
            let k = if self.w(k) == "(" {
                (k..self.toks.len())
                    .find(|&m| self.w(m) == ")")
                    .map_or(k, |m| m + 1)
            } else {
                k
            };
            match self.w(k) {
                "jet" => Some((Some(false), k + 1)),
                "jets" => Some((Some(true), k + 1)),
                _ => None,
            }
        };
        let (kind, plural, k) = match w {
            "b" | "btagged" => match jet(j + 1) {
                Some((p, k)) => (Kind::BJet, p, k),
                None if w == "b" => (Kind::BJet, None, j + 1),
                None => return None,
            },
            "light" => {
                let (p, k) = jet(j + 1)?;
                (Kind::LightJet, p, k)
            }
            "hadronic" | "had" => match self.kind(j + 1)? {
                ((Kind::Tau, p), k) => (Kind::Tau, p, k),
                _ => return None,
            },
            "tau" if self.w(j + 1) == "jets" => (Kind::Tau, Some(true), j + 2),
            "tauh" | "tau_h" => (Kind::Tau, None, j + 1),
            _ => {
                let (k, p) = kind_word(w)?;
                (k, p, j + 1)
            }
        };
        Some((
            (kind, plural),
            self.btag_default(self.remark(k, kind), kind),
        ))
    }

    /// "(btag ≥ 1)", "(b-tag >= 1)" after b-jets restates the default working point.
    fn btag_default(&self, i: usize, kind: Kind) -> usize {
        if kind == Kind::BJet
            && self.w(i) == "("
            && self.w(i + 1) == "btag"
            && self.is(i + 2, &[">=", "="])
            && self.w(i + 3) == "1"
            && self.w(i + 4) == ")"
        {
            return i + 5;
        }
        i
    }

    /// Skips a parenthetical remark that only restates the kind: "(electrons or muons)",
    /// "(e/μ)", "(untagged)".
    fn remark(&self, i: usize, kind: Kind) -> usize {
        // "exactly one lepton, electron or muon, with pT > 25 GeV".
        if kind == Kind::Lepton && self.w(i) == "," {
            let flavour = |m: usize| {
                kind_word(self.w(m)).is_some_and(|(k, _)| matches!(k, Kind::Electron | Kind::Muon))
            };
            let end = (i + 1..self.toks.len()).find(|&m| !(flavour(m) || self.is(m, &["or", "/"])));
            if let Some(e) = end.filter(|&e| e > i + 2 && self.w(e) == "," && flavour(i + 1)) {
                return e;
            }
        }
        if self.w(i) != "(" {
            return i;
        }
        let mut j = i + 1;
        while !self.end(j) && self.w(j) != ")" {
            let w = self.w(j);
            let restates = matches!(w, "or" | "/" | "," | "and" | "i.e." | "ie" | "e.g")
                || (kind == Kind::LightJet && matches!(w, "light" | "non" | "untagged"))
                || (kind == Kind::BJet && matches!(w, "btagged" | "b" | "tagged"))
                || (kind == Kind::Tau && matches!(w, "hadronic" | "tauh"))
                || kind_word(w).is_some_and(|(k, _)| {
                    k == kind || (kind == Kind::Lepton && matches!(k, Kind::Electron | Kind::Muon))
                });
            if !restates {
                return i;
            }
            j += 1;
        }
        if self.end(j) {
            i
        } else {
            j + 1
        }
    }

    /// Kinds named together: "electrons or muons", "e/μ", "electrons and muons".
    pub fn kinds(&self, i: usize) -> R<Kinds> {
        let ((first, plural), mut j) = self.kind(i)?;
        let mut kinds = vec![first];
        let mut any_or = false;
        loop {
            let sep = self.w(j);
            if !matches!(sep, "or" | "/" | "and" | ",") {
                break;
            }
            let k = self.skip_of(j + 1, &["a", "an", "the", "any", "no"]);
            match self.kind(k) {
                Some(((kind, _), e)) if kind != Kind::Met && first != Kind::Met => {
                    any_or |= sep != "and" && sep != ",";
                    if !kinds.contains(&kind) {
                        kinds.push(kind);
                    }
                    j = e;
                }
                _ => break,
            }
        }
        let leptons = kinds
            .iter()
            .all(|k| matches!(k, Kind::Electron | Kind::Muon));
        if kinds.len() > 1 && any_or {
            if !leptons {
                return None;
            }
            kinds = vec![Kind::Lepton];
        }
        // "ℓ = e/μ", "ℓ (e/μ)": the lepton symbol restated.
        if kinds == [Kind::Lepton] && self.is(j, &["="]) {
            if let Some((k, e)) = self.kinds(j + 1) {
                if k.kinds == [Kind::Lepton] {
                    j = e;
                }
            }
        }
        Some((Kinds { kinds, plural }, j))
    }

    /// A system: objects and groups joined by `+` (or "and", "," inside an argument list).
    pub fn sys(&self, i: usize, list: bool) -> R<Sys> {
        let (first, mut j) = self.sys_atom(i)?;
        let mut parts = vec![first];
        loop {
            let sep = self.w(j);
            // `m(b1 b2 b3)`: symbols side by side in an argument list.
            let side = list && symbol(sep).is_some() && matches!(parts.last(), Some(Sys::Obj(_)));
            let joins = matches!(sep, "+" | "plus") || (list && matches!(sep, "and" | ",")) || side;
            if !joins {
                break;
            }
            let next = if side {
                j
            } else {
                self.skip_of(j + 1, &["and", "with", "the", "of"])
            };
            match self.sys_atom(next) {
                Some((s, e)) => {
                    parts.push(s);
                    j = e;
                }
                None => break,
            }
        }
        Some((sum(parts), j))
    }

    /// One part of a system: a group, a candidate, a parenthesised system or one object.
    fn sys_atom(&self, i: usize) -> R<Sys> {
        let j = self.skip_of(i, &["the", "a", "an", "its", "their"]);
        if self.w(j) == "(" {
            let (s, e) = self.sys(j + 1, true)?;
            return Some(self.system_word((s, self.eat(e, ")")?)));
        }
        if let Some(s) = self.z_code(j) {
            return Some(s);
        }
        if let Some(s) = self.named(j) {
            return Some(s);
        }
        if let Some(s) = self.group(j) {
            return Some(self.system_word(s));
        }
        // "the (vector) sum of the muon and the MET", "the system of the two b-jets".
        if self.is(j, &["sum", "system"]) && self.w(j + 1) == "of" {
            return self.sys(j + 2, true);
        }
        // "the system made of the two leptons and the missing momentum".
        if self.w(j) == "system"
            && self.is(j + 1, &["made", "formed", "built", "composed"])
            && self.is(j + 2, &["of", "from", "by"])
        {
            return self.sys(j + 3, true);
        }
        if let Some(s) = self.candidate(j) {
            return Some(self.system_word(s));
        }
        let (s, e) = self.obj(i)?;
        Some(self.system_word((s, e)))
    }

    /// "the leading and second jet", "the leading and subleading jets": two ranked objects of
    /// one kind, each on its own (their properties are two quantities, not one of a sum).
    pub fn coordinated(&self, i: usize) -> R<Vec<Sys>> {
        let j = self.skip_of(i, &["the"]);
        let a = ordinal(self.w(j))?;
        let k = self.skip_of(self.eat(j + 1, "and")?, &["the"]);
        let b = ordinal(self.w(k))?;
        let k = self.skip_of(k + 1, &["leading"]);
        let ((kind, _), e) = self.kind(k)?;
        if kind == Kind::Met || a == b {
            return None;
        }
        let obj = |index| Sys::Obj(ObjRef { kind, index });
        Some((vec![obj(a), obj(b)], e))
    }

    /// Skips "system", "pair", "candidate" after a system.
    fn system_word(&self, (s, e): (Sys, usize)) -> (Sys, usize) {
        let words = [
            "system",
            "systems",
            "pair",
            "candidate",
            "candidates",
            "boson",
            "bosons",
            "final",
            "state",
        ];
        let e = self.skip_of(e, &words);
        // "the diphoton system built from the two leading photons": its parts restated.
        let k = self.skip_of(
            self.opt(e, ","),
            &["built", "formed", "made", "reconstructed", "constructed"],
        );
        if k > e && self.is(k, &["from", "of", "out"]) {
            let k = self.skip_of(k, &["from", "of", "out", "the"]);
            if let Some((parts, e2)) = self.sys(k, true) {
                if !s.objects().is_empty() && parts.objects() == s.objects() {
                    return (s, e2);
                }
            }
        }
        (s, e)
    }
}

/// The `n` leading objects of a kind, summed.
pub fn first_n(kind: Kind, n: usize) -> Sys {
    sum((0..n)
        .map(|index| Sys::Obj(ObjRef { kind, index }))
        .collect())
}

/// A sum of parts, flattened and in a fixed order (objects by kind and rank first), so
/// "the photon and the two jets" and "the two jets and the photon" are one system.
pub fn sum(parts: Vec<Sys>) -> Sys {
    let mut flat = Vec::new();
    for p in parts {
        match p {
            Sys::Sum(v) => flat.extend(v),
            p => flat.push(p),
        }
    }
    let key = |s: &Sys| match s {
        Sys::Obj(o) => (0, o.kind, o.index),
        Sys::Leg(c, i) => (1, c.kind, *i),
        Sys::Rest(c, i) => (2, c.kind, *i),
        Sys::Cand(c) => (3, c.kind, 0),
        Sys::All(k) => (4, *k, 0),
        Sys::Each(k) => (5, *k, 0),
        Sys::Sum(_) => (6, Kind::Met, 0),
    };
    flat.sort_by_key(key);
    flat.dedup();
    if flat.len() == 1 {
        flat.pop().unwrap_or(Sys::Obj(ObjRef::MET))
    } else {
        Sys::Sum(flat)
    }
}
