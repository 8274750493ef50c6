//! Object words and systems: "muons", "e/μ", "b-tagged jets", "the leading jet", `j1`,
//! "the second one", "the two leading jets", "the dimuon system", "the Z candidate", "the
//! lepton not in the Z pair", "lepton + MET", `m(μ, τ1)`'s argument list.

use crate::ir::{Cand, Kind, ObjRef, PairRel, Sys};
use crate::lexicon::{kind_word, ordinal, symbol, word_number};

use super::base::{MZ, P, R};
use super::ctx::Def;

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

    /// One object: `j1`, "jet 1", "the leading jet", "the second one", "the muon", "MET",
    /// "the W lepton", a name the text gave it.
    pub fn obj(&self, i: usize) -> R<Sys> {
        let j = self.skip_of(i, &["the", "a", "an", "its", "their"]);
        let w = self.w(j);
        if let Some((kind, index)) = symbol(w) {
            return Some(
                self.member_of(j + 1, kind, index)
                    .unwrap_or((Sys::Obj(ObjRef { kind, index }), j + 1)),
            );
        }
        if let Some(s) = self.z_code(j) {
            return Some(s);
        }
        if let Some(s) = self.named(j) {
            return Some(s);
        }
        if w == "met" {
            return Some((Sys::Obj(ObjRef::MET), j + 1));
        }
        if let Some(s) = self.ranked(j) {
            return Some(s);
        }
        if let Some(s) = self.rest(j) {
            return Some(s);
        }
        let ((kind, plural), k) = self.kind(j)?;
        if kind == Kind::Met {
            return Some((Sys::Obj(ObjRef::MET), k));
        }
        // "jet 1", "lepton 2".
        if plural != Some(true) {
            if let Some((n, e)) = self.int(k) {
                if (1..=9).contains(&n) && self.unit(e).is_none() && self.kind(e).is_none() {
                    return Some((Sys::Obj(ObjRef { kind, index: n - 1 }), e));
                }
            }
        }
        if plural == Some(true) {
            return None;
        }
        if self.each == Some(kind.base()) || self.each == Some(kind) {
            return Some((Sys::Each(kind), k));
        }
        Some((Sys::Obj(ObjRef { kind, index: 0 }), k))
    }

    /// "the leading jet", "the 3rd muon", "the second one", "the fourth" (of the focus).
    fn ranked(&self, j: usize) -> R<Sys> {
        let index = ordinal(self.w(j))?;
        // "the second-leading lepton", "the third highest jet".
        let mut k = self.skip_of(j + 1, &["selected", "isolated", "reconstructed"]);
        if index > 0 {
            k = self.skip_of(k, &["leading", "highest", "hardest", "most"]);
        }
        if let Some(((kind, plural), e)) = self.kind(k) {
            if plural == Some(true) || kind == Kind::Met {
                return None;
            }
            return Some((Sys::Obj(ObjRef { kind, index }), e));
        }
        k = self.opt(k, "one");
        let kind = self.ctx.focus.as_ref().map_or(Kind::Jet, |f| f.kind);
        (kind != Kind::Met).then_some((Sys::Obj(ObjRef { kind, index }), k))
    }

    /// "the remaining lepton", "the other lepton", "the W lepton", "the lepton not in the Z
    /// pair": the leading object of the candidate's kind outside the last candidate pair.
    fn rest(&self, j: usize) -> R<Sys> {
        let cand = self.ctx.cand?;
        let k = match self.w(j) {
            "remaining" | "other" | "third" | "w" | "l_w" | "lw" => j + 1,
            _ => j,
        };
        if k == j + 1 && matches!(self.w(j), "l_w" | "lw") {
            return Some((Sys::Rest(cand, 0), k));
        }
        let ((kind, plural), mut e) = self
            .kind(k)
            .or_else(|| (self.w(k) == "one").then_some(((cand.kind, Some(false)), k + 1)))?;
        if kind != cand.kind || plural == Some(true) {
            return None;
        }
        let named = k == j + 1;
        // "not in the Z pair", "not used for the Z candidate", "not belonging to Z".
        let tail = self.skip_of(e, &[",", "i.e.", "ie", "the", "one"]);
        if self.w(tail) == "not" {
            let mut t = self.skip_of(
                tail + 1,
                &[
                    "in",
                    "used",
                    "for",
                    "belonging",
                    "to",
                    "part",
                    "of",
                    "the",
                    "from",
                ],
            );
            t = self.skip_of(t, &["z", "z1", "pair", "candidate", "boson"]);
            if t > tail + 2 {
                e = t;
            } else if !named {
                return None;
            }
        } else if !named {
            return None;
        }
        if self.w(j) == "third" && !named {
            return None;
        }
        Some((Sys::Rest(cand, 0), e))
    }

    /// A name the text defined for an object or system ("Z1", "ℓ_W", "the top candidate").
    fn named(&self, j: usize) -> R<Sys> {
        for (len, name) in self.name_at(j) {
            if let Some(Def::S(s)) = self.ctx.lookup(&name) {
                return Some(self.system_word((s.clone(), j + len)));
            }
        }
        None
    }

    /// Candidate names starting at `j`, longest first: "hadronic top", "top", "w lepton".
    pub fn name_at(&self, j: usize) -> Vec<(usize, String)> {
        let mut v = Vec::new();
        for len in (1..=3).rev() {
            if j + len > self.toks.len() {
                continue;
            }
            let words: Vec<&str> = (j..j + len).map(|k| self.w(k)).collect();
            if words.iter().all(|w| w.chars().any(char::is_alphanumeric)) {
                v.push((len, words.join(" ")));
            }
        }
        v
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

    /// Groups: "the two leading jets", "both jets", "the four leptons", "all jets",
    /// "the dijet", "their" (the focus), "4ℓ".
    fn group(&self, j: usize) -> R<Sys> {
        let w = self.w(j);
        if matches!(w, "their" | "them" | "they") {
            return self.focus_sys(j + 1);
        }
        if let Some(s) = self.di(j) {
            return Some(s);
        }
        if let Some(s) = self.mixed_pair(j) {
            return Some(s);
        }
        // "the third and fourth b-jets" as one system.
        if let Some((objs, e)) = self.coordinated(j) {
            return Some((sum(objs), e));
        }
        if matches!(w, "all" | "every") && self.int(self.skip_of(j + 1, &["the", "of"])).is_some() {
            return self.group(self.skip_of(j + 1, &["the", "of"]));
        }
        if let Some(r) = self.rest_group(j) {
            return Some(r);
        }
        // "such taus", "these jets", "the pair": the focus objects (the last ones of that
        // kind the text spoke of).
        if matches!(w, "such" | "these" | "those" | "pair")
            || (w == "this" && self.w(j + 1) == "pair")
        {
            let k = self.skip_of(j + 1, &["pair", "two"]);
            let (f, e) = match self.kind(k) {
                Some(((kind, _), e)) => (self.ctx.focus_of_kind(kind)?, e),
                None if matches!(w, "pair" | "this") => (self.ctx.focus.as_ref()?, k),
                None => return None,
            };
            if let Some(s) = f
                .sys
                .clone()
                .filter(|s| matches!(s, Sys::Sum(_) | Sys::Cand(_)))
            {
                return Some((s, e));
            }
            return match f.n {
                Some(n) if n >= 2 => Some((first_n(f.kind, n), e)),
                _ => None,
            };
        }
        if matches!(w, "all" | "every") {
            let k = self.skip_of(j + 1, &["the", "of", "selected"]);
            let ((kind, plural), e) = self.kind(k)?;
            return (plural == Some(true) && kind != Kind::Met).then_some((Sys::All(kind), e));
        }
        let (n, k) = match w {
            "both" => (2, j + 1),
            "first" | "leading"
                if word_number(self.w(j + 1)).is_some()
                    || self.toks.get(j + 1).is_some_and(|t| t.num.is_some()) =>
            {
                let (n, k) = self.int(j + 1)?;
                (n, k)
            }
            _ => self.int(j)?,
        };
        if !(2..=8).contains(&n) {
            return None;
        }
        let k = self.skip_of(k, &["leading", "hardest", "highest", "first", "selected"]);
        let k = self.skip_of(k, &["pt"]);
        // "the two leading ones": of the focus kind.
        if self.is(k, &["ones", "one"]) {
            let kind = self.ctx.focus.as_ref().map_or(Kind::Jet, |f| f.kind);
            return Some((first_n(kind, n), k + 1));
        }
        let ((kind, plural), e) = self.kind(k)?;
        if plural == Some(false) || kind == Kind::Met {
            // "four-lepton system": a count glued to a singular kind with "system".
            if !(plural == Some(false) && self.is(e, &["system", "mass", "invmass"])) {
                return None;
            }
        }
        Some((first_n(kind, n), e))
    }

    /// "the remaining two leptons", "the two other muons", "the two leptons not in Z1", "the
    /// two muons that do not belong to the Z candidate": the objects outside a candidate.
    fn rest_group(&self, j: usize) -> R<Sys> {
        let lead = self.is(j, &["remaining", "other"]);
        let k = if lead { j + 1 } else { j };
        let (n, k) = self.int(k)?;
        let k2 = self.skip_of(k, &["remaining", "other"]);
        let lead = lead || k2 > k;
        let ((kind, _), mut e) = self.kind(k2)?;
        let mut cand = self.ctx.cand;
        let t = self.skip_of(e, &["that", "which", "do", "does", "are", "is"]);
        if self.w(t) == "not" {
            let u = self.skip_of(
                t + 1,
                &[
                    "in",
                    "used",
                    "for",
                    "belonging",
                    "belong",
                    "to",
                    "part",
                    "of",
                    "the",
                    "from",
                ],
            );
            if let Some((Sys::Cand(c), e2)) = self.candidate(u).or_else(|| self.named(u)) {
                cand = Some(c);
                e = self.skip_of(e2, &["pair", "candidate"]);
            } else {
                return None;
            }
        } else if !lead {
            return None;
        }
        let c = cand?;
        if kind != c.kind
            && !(c.kind == Kind::Lepton && matches!(kind, Kind::Electron | Kind::Muon))
        {
            return None;
        }
        Some((sum((0..n).map(|i| Sys::Rest(c, i)).collect()), e))
    }

    /// "dijet", "di-muon", "dilepton", "diphoton", "di-tau": the two leading objects.
    fn di(&self, j: usize) -> R<Sys> {
        let w = self.w(j);
        let (kind, e) = if w == "di" {
            let ((k, _), e) = self.kind(j + 1)?;
            (k, e)
        } else {
            let k = match w {
                "dijet" | "dijets" => Kind::Jet,
                "dilepton" | "dileptons" => Kind::Lepton,
                "dimuon" | "dimuons" => Kind::Muon,
                "dielectron" | "dielectrons" => Kind::Electron,
                "diphoton" | "diphotons" => Kind::Photon,
                "ditau" | "ditaus" => Kind::Tau,
                "dibjet" => Kind::BJet,
                _ => return None,
            };
            (k, j + 1)
        };
        (kind != Kind::Met).then(|| (first_n(kind, 2), e))
    }

    /// "the electron–muon pair", "the lepton–tau system": the leading object of each kind.
    fn mixed_pair(&self, j: usize) -> R<Sys> {
        let ((a, pa), k) = self.kind(j)?;
        let ((b, pb), e) = self.kind(k)?;
        let single = pa != Some(true) && pb != Some(true);
        if !single || a == b || a == Kind::Met || b == Kind::Met || !self.is(e, &["pair", "system"])
        {
            return None;
        }
        let obj = |kind| Sys::Obj(ObjRef { kind, index: 0 });
        Some((sum(vec![obj(a), obj(b)]), e))
    }

    /// "their", "them": the focus system, or the counted objects of the focus kind.
    fn focus_sys(&self, e: usize) -> R<Sys> {
        let f = self.ctx.focus.as_ref()?;
        if let Some(s) = &f.sys {
            return Some((s.clone(), e));
        }
        let n = f.n.filter(|n| *n >= 2)?;
        Some((first_n(f.kind, n), e))
    }

    /// Candidates: "the Z candidate", "Z", "Z(ll)", "the SFOS pair closest to the Z mass",
    /// "the leptonic W", "the hadronic W".
    pub fn candidate(&self, j: usize) -> R<Sys> {
        let w = self.w(j);
        match w {
            "z" | "z1" | "z0" => {
                if let Some(s) = self.z_code(j) {
                    return Some(s);
                }
                let e = self.skip_of(j + 1, &["boson", "candidate", "pair"]);
                let cand = self.ctx.cand.unwrap_or(z_cand(Kind::Lepton));
                Some((Sys::Cand(cand), e))
            }
            "leptonic" if self.w(j + 1) == "w" => {
                Some((lep_w(), self.skip_of(j + 2, &["candidate", "boson"])))
            }
            "w" if self.w(j + 1) == "leptonic" => Some((lep_w(), j + 2)),
            // "leptonic and hadronic W systems": the first of two.
            "leptonic"
                if self.w(j + 1) == "and"
                    && self.w(j + 2) == "hadronic"
                    && self.w(j + 3) == "w" =>
            {
                Some((lep_w(), j + 1))
            }
            "hadronic" if self.w(j + 1) == "w" => Some((
                self.hadronic_w(),
                self.skip_of(j + 2, &["candidate", "boson"]),
            )),
            "w_lep" | "wlep" => Some((lep_w(), j + 1)),
            "w_had" | "whad" => Some((self.hadronic_w(), j + 1)),
            _ => self.closest_pair(j).map(|(c, e)| (Sys::Cand(c), e)),
        }
    }

    /// The hadronic W by the convention of DESIGN §5: the two leading jets, or the two
    /// leading light jets once the cuts require b-tagged jets (the b-jets come from the tops).
    fn hadronic_w(&self) -> Sys {
        first_n(
            if self.ctx.btagged {
                Kind::LightJet
            } else {
                Kind::Jet
            },
            2,
        )
    }

    /// `Z(ll)`, `Z(ee)`, `Z(mumu)`: the canonical Z candidate of a flavour, whatever names
    /// the text gave.
    fn z_code(&self, j: usize) -> R<Sys> {
        if !(self.is(j, &["z", "z0"]) && self.w(j + 1) == "(" && self.glued(j + 1)) {
            return None;
        }
        let (kind, e) = self.flavour_code(j + 2)?;
        Some((Sys::Cand(z_cand(kind)), self.eat(e, ")")?))
    }

    /// The canonical members of a candidate: `l1 not in Z(ll)` (the leading lepton outside
    /// the pair), `l2 of Z(ll)` (its second leg).
    fn member_of(&self, j: usize, kind: Kind, index: usize) -> R<Sys> {
        let (rest, k) = match self.w(j) {
            "not" => (true, self.eat(j + 1, "in")?),
            "of" => (false, j + 1),
            _ => return None,
        };
        let (c, e) = if self.w(k) == "(" {
            let (c, e) = self.closest_pair(k + 1)?;
            (c, self.eat(e, ")")?)
        } else {
            let (Sys::Cand(c), e) = self.candidate(k)? else {
                return None;
            };
            (c, e)
        };
        if c.kind != kind {
            return None;
        }
        Some((
            if rest {
                Sys::Rest(c, index)
            } else {
                Sys::Leg(c, index)
            },
            e,
        ))
    }

    /// `ll`, `ee`, `mumu` inside `Z(...)`.
    pub(super) fn flavour_code(&self, j: usize) -> R<Kind> {
        let kind = match self.w(j) {
            "ll" => Kind::Lepton,
            "ee" => Kind::Electron,
            "mumu" | "muonmuon" => Kind::Muon,
            _ => {
                // The lexer expands `ll` to `( l1 + l2 )`.
                let (s, e) = self.sys(j, true)?;
                let Sys::Sum(v) = &s else { return None };
                let kinds: Vec<Kind> = v
                    .iter()
                    .filter_map(|p| match p {
                        Sys::Obj(o) => Some(o.kind),
                        _ => None,
                    })
                    .collect();
                return (kinds.len() == 2 && kinds[0] == kinds[1]).then(|| (kinds[0], e));
            }
        };
        Some((kind, j + 1))
    }

    /// "the SFOS (lepton) pair closest to the Z mass", "the same-flavour opposite-sign pair
    /// whose invariant mass is closest to 91.19 GeV", "the pair of jets closest to m_W".
    pub fn closest_pair(&self, j: usize) -> R<Cand> {
        let mut k = self.skip_of(j, &["the", "a", "an", ","]);
        let mut rel = None;
        loop {
            match self.w(k) {
                "sfos" => rel = Some(PairRel::Sfos),
                "os" if rel == Some(PairRel::Sf) => rel = Some(PairRel::Sfos),
                "sf" if rel == Some(PairRel::Os) => rel = Some(PairRel::Sfos),
                "os" => rel = Some(PairRel::Os),
                "sf" => rel = Some(PairRel::Sf),
                "," | "and" => {}
                _ => break,
            }
            k += 1;
        }
        let mut kind = None;
        let mut coded = false;
        if let Some(((kd, _), e)) = self.kind(k) {
            kind = Some(kd);
            k = e;
        } else if let Some((kd, e)) = (self.w(k) == "(").then(|| self.flavour_code(k)).flatten() {
            // "SFOS ℓℓ closest to mZ".
            kind = Some(kd);
            k = e;
            coded = true;
        }
        k = match self.eat_any(k, &["pair", "pairs", "combination"]) {
            Some(e) => e,
            None if coded => k,
            None => return None,
        };
        // "w/ m_ℓℓ closest to mZ": the pair's own mass, written as a symbol.
        let with = self.skip_of(k, &["with", "w/", "whose"]);
        if self.w(with) == "m"
            && self.w(with + 1) == "("
            && self
                .flavour_code(with + 1)
                .is_some_and(|(kd, _)| Some(kd) == kind || kind.is_none())
        {
            let (kd, e) = self.flavour_code(with + 1)?;
            kind = kind.or(Some(kd));
            k = self.eat(e, ")").unwrap_or(e);
        }
        if kind.is_none() && self.w(k) == "of" {
            if let Some(((kd, _), e)) = self.kind(k + 1) {
                kind = Some(kd);
                k = e;
            }
        }
        let kind = kind.unwrap_or(Kind::Lepton);
        k = self.skip_of(
            k,
            &[
                "with",
                "whose",
                "of",
                "having",
                "the",
                "invariant",
                "invmass",
                "mass",
                "m",
                "is",
                "has",
                "that",
                "which",
                "lies",
            ],
        );
        k = self.eat(k, "closest")?;
        k = self.skip_of(k, &["to", "the"]);
        let ((mass, _), e) = self.value_or_mass(k)?;
        let rel = rel.or(
            (kind != Kind::Jet && kind != Kind::BJet && kind != Kind::Photon)
                .then_some(PairRel::Sfos),
        );
        Some((Cand { kind, rel, mass }, e))
    }
}

/// The Z candidate of a flavour: the SFOS pair closest to m_Z.
pub fn z_cand(kind: Kind) -> Cand {
    Cand {
        kind,
        rel: Some(PairRel::Sfos),
        mass: MZ,
    }
}

/// The leading lepton and MET: the leptonic W.
pub fn lep_w() -> Sys {
    Sys::Sum(vec![
        Sys::Obj(ObjRef {
            kind: Kind::Lepton,
            index: 0,
        }),
        Sys::Obj(ObjRef::MET),
    ])
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
