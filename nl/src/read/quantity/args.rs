//! The two systems of a separation: "ΔR(j, μ)", "between the two leading jets", "between
//! any jet and the MET", and the focus pair a bare separation is about.

use super::split_pair;
use crate::ir::{Kind, ObjRef, Sys};
use crate::read::base::{P, R};
use crate::read::objects::first_n;

impl P<'_> {
    /// Two systems for a separation.
    pub fn pair_args(&self, i: usize, subj: Option<&Sys>) -> Option<(Sys, Sys, usize)> {
        let each = self.each_word(i);
        let p = if each.is_some() {
            self.with_each(each)
        } else {
            *self
        };
        if self.w(i) == "(" {
            let (a, e) = p.sys_each(i + 1)?;
            if self.w(e) == "," {
                let at = p.skip_of(e + 1, &["any", "each", "every", "all"]);
                let (b, e) = p.sys_each(at)?;
                let b = self.next_of_same(&a, b, at);
                return Some((a, b, self.eat(e, ")")?));
            }
            let e = self.eat(e, ")")?;
            let (a, b) = split_pair(a)?;
            return Some((a, b, e));
        }
        if let Some(k) = self.eat_any(i, &["between", "of", "to", "from", "with"]) {
            let k = self.skip_of(k, &["any", "each", "every", "all", "the"]);
            let each = self.each_word(k).or(each);
            let p = self.with_each(each.or(self.each));
            if let Some((a, e)) = p.sys_each(k) {
                // "Δφ between the two leptons, the MET, ...": a plural group is the pair
                // itself; "between the ee system and the leading jet" names two systems.
                let group = split_pair(a.clone()).is_some()
                    && !(k..e).any(|m| {
                        self.is(
                            m,
                            &[
                                "system",
                                "pair",
                                "candidate",
                                "boson",
                                "leptonic",
                                "hadronic",
                                "dijet",
                                "dilepton",
                                "diphoton",
                                "dimuon",
                                "dielectron",
                                "(",
                            ],
                        )
                    });
                let sep: &[&str] = if group {
                    &[]
                } else {
                    &["and", ",", "with", "to", "from"]
                };
                if let Some(k2) = self.eat_any(e, sep) {
                    let k3 = self.skip_of(k2, &["any", "each", "every", "all", "of"]);
                    let p2 = self.with_each(self.each_word(k3).or(p.each));
                    if let Some((b, e2)) = p2.sys_each(k3) {
                        // "and any of the four leading jets" means each of them, not their
                        // sum; the reader has no such reduction here, so it does not read.
                        if k3 > k2 && matches!(b, Sys::Sum(_)) {
                            return None;
                        }
                        return Some((a, b, e2));
                    }
                }
                if let Some(s) = subj {
                    return Some((s.clone(), a, e));
                }
                if let Some((x, y)) = split_pair(a) {
                    return Some((x, y, e));
                }
            }
        }
        // "ΔR" alone after "separated by": between the two members of the subject, or of the
        // pair the text is speaking of.
        let s = match subj {
            Some(s) => s.clone(),
            None => self.focus_pair()?,
        };
        let (a, b) = split_pair(s)?;
        Some((a, b, i))
    }

    /// "ΔR(l, l)", "ΔR(γ,γ)": a kind named twice means its two leading objects, not the
    /// leading one twice (whose separation is zero). An explicit symbol ("l1") is kept as
    /// written.
    fn next_of_same(&self, a: &Sys, b: Sys, at: usize) -> Sys {
        match (a, &b) {
            (Sys::Obj(x), Sys::Obj(y))
                if x == y
                    && x.kind != Kind::Met
                    && crate::lexicon::symbol(self.w(at)).is_none() =>
            {
                Sys::Obj(ObjRef {
                    kind: y.kind,
                    index: y.index + 1,
                })
            }
            _ => b,
        }
    }

    /// The pair the text is speaking of: "the two leading jets", "the electron and the muon".
    pub fn focus_pair(&self) -> Option<Sys> {
        let f = self.ctx.focus.as_ref()?;
        if let Some(s) = &f.sys {
            if split_pair(s.clone()).is_some() {
                return Some(s.clone());
            }
        }
        if f.n == Some(2) {
            return Some(first_n(f.kind, 2));
        }
        self.ctx.recent_pair()
    }

    /// "any selected jet", "every jet", "the jets" inside a quantifier: the kind they range
    /// over.
    fn each_word(&self, i: usize) -> Option<Kind> {
        let j = self.skip_of(i, &["between", "of", "to", "from", "with", "("]);
        if !self.is(j, &["any", "each", "every", "all"]) {
            return None;
        }
        let k = self.skip_of(j + 1, &["of", "the", "selected", "other"]);
        let ((kind, _), _) = self.kind(k)?;
        (kind != Kind::Met).then_some(kind)
    }

    /// A system where the quantifier's kind (plural or singular) means each object.
    fn sys_each(&self, i: usize) -> R<Sys> {
        if let Some(each) = self.each {
            let j = self.skip_of(i, &["the", "selected", "of"]);
            if let Some(((kind, _), e)) = self.kind(j) {
                if kind == each || kind.base() == each {
                    return Some((Sys::Each(kind), e));
                }
            }
        }
        self.sys(i, false)
    }
}
