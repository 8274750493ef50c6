//! Groups of objects: "the two leading jets", "both jets", "the four leptons", "the
//! remaining two leptons", "the dijet", "their" (the focus), "4ℓ", "eμ".

use crate::ir::{Kind, ObjRef, Sys};
use crate::lexicon::word_number;
use crate::read::base::{P, R};

use super::{first_n, sum};

impl P<'_> {
    /// Groups: "the two leading jets", "both jets", "the four leptons", "all jets",
    /// "the dijet", "their" (the focus), "4ℓ".
    pub(super) fn group(&self, j: usize) -> R<Sys> {
        let w = self.w(j);
        if matches!(w, "their" | "them" | "they") {
            return self.focus_sys(j + 1);
        }
        if let Some(s) = self.di(j) {
            return Some(s);
        }
        if let Some(s) = self.mixed_pair(j).or_else(|| self.kind_pair(j)) {
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

    /// "the muon pair", "the lepton pair": the two leading objects of the kind.
    fn kind_pair(&self, j: usize) -> R<Sys> {
        let ((kind, plural), e) = self.kind(j)?;
        if plural == Some(true) || kind == Kind::Met || self.w(e) != "pair" {
            return None;
        }
        Some((first_n(kind, 2), e + 1))
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
}
