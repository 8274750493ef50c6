//! One object: `j1`, "jet 1", "the leading jet", "the second one", "the remaining
//! lepton", "the W lepton", or a name the text gave it.

use crate::ir::{Kind, ObjRef, Sys};
use crate::lexicon::{ordinal, symbol};
use crate::read::base::{P, R};
use crate::read::ctx::Def;

impl P<'_> {
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
        // "jet 1", "lepton 2" (in digits: "muon pair" is not "muon 2").
        if plural != Some(true) && self.toks.get(k).is_some_and(|t| t.num.is_some()) {
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
        // "the W lepton (the one not in the Z pair)": the same said in a remark.
        let paren = self.w(e) == "(";
        let tail = self.skip_of(e, &[",", "(", "i.e.", "ie", "the", "one"]);
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
                e = if paren { self.eat(t, ")")? } else { t };
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
    pub(super) fn named(&self, j: usize) -> R<Sys> {
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
}
