//! Quantities: arithmetic over event numbers, written as symbols (`pT(j1)/m_jj`,
//! `MET/√HT`, `exp(|Δη_jj|)`) or in words ("the invariant mass of the two leading jets",
//! "the ratio of the leading jet pT to the MET", "the minimum Δφ between any jet and the
//! MET", "the maximum of |η| over the three leading jets").
//!
//! A bare property word ("pT", "|η|") is about the phrase's subject when there is one: the
//! object a condition is attached to, or each object of a quantifier.

mod args;
mod props;
mod reduce;
mod words;

use crate::ir::{Delta, Func, Kind, ObjRef, Op, Prop, Quantity, Sys};
use crate::lexicon::prop_word;

use super::base::{P, R};
use super::ctx::Def;

impl P<'_> {
    /// A quantity expression: terms joined by `+` and `-`.
    pub fn expr(&self, i: usize, subj: Option<&Sys>) -> R<Quantity> {
        let (mut q, mut j) = self.term(i, subj)?;
        loop {
            let op = match self.w(j) {
                "+" | "plus" => Op::Add,
                "-" | "minus" => Op::Sub,
                _ => break,
            };
            match self.term(j + 1, subj) {
                Some((t, e)) => {
                    q = Quantity::Bin(op, Box::new(q), Box::new(t));
                    j = e;
                }
                None => break,
            }
        }
        Some((q, j))
    }

    /// Factors joined by `*` and `/` (and, in a written-out formula, by being adjacent).
    fn term(&self, i: usize, subj: Option<&Sys>) -> R<Quantity> {
        let (mut q, mut j) = self.factor(i, subj)?;
        loop {
            let (op, k) = match self.w(j) {
                "*" | "times" | "x" => (Op::Mul, j + 1),
                "/" => (Op::Div, j + 1),
                "over" if self.number(j + 1).is_none() => (Op::Div, j + 1),
                _ if self.formula
                    && !self.end(j)
                    && !self.is(j, &[")", ",", "|", "]", "+", "-", "=", ">", "<", "and"]) =>
                {
                    (Op::Mul, j)
                }
                _ => break,
            };
            match self.factor(k, subj) {
                Some((t, e)) => {
                    q = Quantity::Bin(op, Box::new(q), Box::new(t));
                    j = e;
                }
                None => break,
            }
        }
        Some((q, j))
    }

    /// A power: `x^2`.
    fn factor(&self, i: usize, subj: Option<&Sys>) -> R<Quantity> {
        let (q, j) = self.unary(i, subj)?;
        if self.w(j) == "^" {
            if let Some((n, e)) = self.number(j + 1) {
                return Some((
                    Quantity::Bin(Op::Pow, Box::new(q), Box::new(Quantity::Num(n))),
                    e,
                ));
            }
        }
        Some((q, j))
    }

    fn unary(&self, i: usize, subj: Option<&Sys>) -> R<Quantity> {
        if self.w(i) == "-" {
            let (q, j) = self.factor(i + 1, subj)?;
            return Some((
                Quantity::Bin(Op::Sub, Box::new(Quantity::Num(0.0)), Box::new(q)),
                j,
            ));
        }
        self.atom(i, subj)
    }

    /// One operand; "m_eff = H_T + E_T^miss" written where a quantity is expected restates
    /// it.
    pub fn atom(&self, i: usize, subj: Option<&Sys>) -> R<Quantity> {
        let (q, e) = self.atom_only(i, subj)?;
        if self.w(e) == "=" && !self.formula {
            if let Some((q2, e2)) = (P {
                formula: true,
                ..*self
            })
            .expr(e + 1, subj)
            {
                if q2 == q {
                    return Some((q, e2));
                }
            }
        }
        Some((q, e))
    }

    fn atom_only(&self, i: usize, subj: Option<&Sys>) -> R<Quantity> {
        if let Some(t) = self.toks.get(i) {
            if let Some(n) = t.num {
                let j = self.unit(i + 1).map_or(i + 1, |(_, e)| e);
                return Some((Quantity::Num(n), j));
            }
        }
        if let Some(d) = self.defined_q(i) {
            return Some(d);
        }
        let j = self.skip_of(
            i,
            &[
                "the", "a", "an", "that", "this", "absolute", "visible", "total", "combined",
            ],
        );
        if let Some(d) = self.defined_q(j) {
            return Some(d);
        }
        // "m_vis(τ1τ2)", "m_{T2}(...)": a mass under a name of its own.
        let w = self.w(j);
        if (w.starts_with("m_") || w.starts_with("mass_"))
            && self.w(j + 1) == "("
            && self.glued(j + 1)
        {
            if let Some((s, e)) = self.of_sys(j + 1) {
                return Some((Quantity::Prop(Prop::Mass, s), e));
            }
        }
        let w = self.w(j);
        match w {
            "(" => {
                // "(pT(j1) − pT(j2))"; "(e1 + mu1) mass" is a system's property.
                if let Some((q, e)) = self.expr(j + 1, subj) {
                    if let Some(e) = self.eat(e, ")") {
                        return Some((q, e));
                    }
                }
            }
            "|" => return self.abs(j + 1, subj),
            "it" => {
                if let Some(q) = &self.ctx.last_q {
                    return Some((q.clone(), j + 1));
                }
            }
            "its" | "his" | "her" => return self.possessive(j + 1, true),
            "their" => return self.possessive(j + 1, false),
            _ => {}
        }
        if let Some(r) = self.special(j, subj) {
            return Some(r);
        }
        if let Some(r) = self.prop_of(j, subj) {
            return Some(r);
        }
        self.sys_prop(j)
    }

    /// Named quantities the text defined: "m_eff", "A", "the balance", "H_T^all".
    fn defined_q(&self, j: usize) -> R<Quantity> {
        // "the pT asymmetry" finds "asymmetry": a word or two may qualify the name.
        for skip in 0..=2 {
            let qualifier = |m: usize| {
                let w = self.w(m);
                prop_word(w).is_some()
                    || (!crate::lexicon::FILLER.contains(&w)
                        && !crate::lexicon::POS_VERBS.contains(&w)
                        && !crate::lexicon::is_content(self.toks, m)
                        && w.chars().all(char::is_alphabetic))
            };
            if skip > 0 && (self.kind(j).is_some() || !qualifier(j + skip - 1)) {
                break;
            }
            for (len, name) in self.name_at(j + skip) {
                // `mt(e, MET)` is the function, whatever "m_T" was named.
                if self.w(j + skip + len) == "(" && self.glued(j + skip + len) {
                    continue;
                }
                if let Some(Def::Q(q)) = self.ctx.lookup(&name) {
                    return Some((q.clone(), j + skip + len));
                }
            }
        }
        None
    }

    /// A function applied to arguments: `sqrt(HT)`, `√HT`, `min(a, b)`, "the natural
    /// logarithm of m_eff".
    fn func(&self, i: usize, f: Func, subj: Option<&Sys>) -> R<Quantity> {
        let inner = P {
            formula: self.formula || self.w(i) == "(",
            ..*self
        };
        if self.w(i) == "(" && self.glued(i) || self.w(i) == "(" && f.arity() == 1 {
            let (a, mut j) = inner.expr(i + 1, subj)?;
            let mut args = vec![a];
            while self.w(j) == "," {
                let (b, e) = inner.expr(j + 1, subj)?;
                args.push(b);
                j = e;
            }
            let j = self.eat(j, ")")?;
            // min(a, b, c) = min(a, min(b, c)).
            if f.arity() == 2 && args.len() > 2 {
                let mut it = args.into_iter().rev();
                let last = it.next()?;
                let q = it.fold(last, |acc, a| Quantity::Func(f, vec![a, acc]));
                return Some((q, j));
            }
            return (args.len() == f.arity()).then_some((Quantity::Func(f, args), j));
        }
        if f.arity() != 1 {
            return None;
        }
        let j = self.opt(i, "of");
        let (a, e) = self.factor(j, subj)?;
        Some((Quantity::Func(f, vec![a]), e))
    }

    /// After `|`: `|η|` of something, `|Δη_jj|`, `|m - 91.19|`.
    fn abs(&self, i: usize, subj: Option<&Sys>) -> R<Quantity> {
        // "|Δη| between the two electrons".
        if self.is(i, &["dr", "dphi", "deta"]) && self.w(i + 1) == "|" {
            let d = match self.w(i) {
                "dr" => Delta::R,
                "dphi" => Delta::Phi,
                _ => Delta::Eta,
            };
            let (a, b, e) = self.pair_args(i + 2, subj)?;
            return Some((Quantity::Delta(d, a, b), e));
        }
        // "|pz| of the leading jet", "|η|(j1)".
        if let Some(p) = prop_word(self.w(i)).filter(|_| self.w(i + 1) == "|") {
            if let Some((s, e)) = self.of_sys(i + 2) {
                let q = match p {
                    Prop::Eta => Quantity::Prop(Prop::AbsEta, s),
                    p => Quantity::Func(Func::Abs, vec![Quantity::Prop(p, s)]),
                };
                return Some((q, e));
            }
        }
        let (q, j) = self.expr(i, subj).or_else(|| {
            // "|η|" alone is about the subject.
            let p = prop_word(self.w(i))?;
            let s = subj?.clone();
            Some((Quantity::Prop(p, s), i + 1))
        })?;
        let j = self.eat(j, "|")?;
        let q = match q {
            Quantity::Prop(Prop::Eta, s) => Quantity::Prop(Prop::AbsEta, s),
            d @ Quantity::Delta(..) => d,
            q => Quantity::Func(Func::Abs, vec![q]),
        };
        // "|η| of the leading jet", "|η|(j1)".
        if let Quantity::Prop(Prop::AbsEta, _) = &q {
            if let Some((s, e)) = self.of_sys(j) {
                return Some((Quantity::Prop(Prop::AbsEta, s), e));
            }
        }
        Some((q, j))
    }

    /// "the ratio of X to Y", "the ratio X/Y".
    fn ratio(&self, i: usize, subj: Option<&Sys>) -> R<Quantity> {
        // "the ratio of the subleading to the leading electron pT".
        if let Some(j) = self.eat(i, "of") {
            let j2 = self.opt(j, "the");
            if let Some(index) = crate::lexicon::ordinal(self.w(j2)) {
                let k = self.opt(j2 + 1, "one");
                if let Some(k) = self.eat(k, "to") {
                    if let Some((Quantity::Prop(p, Sys::Obj(o)), e)) = self.expr(k, subj) {
                        let a = Quantity::Prop(
                            p,
                            Sys::Obj(ObjRef {
                                kind: o.kind,
                                index,
                            }),
                        );
                        let b = Quantity::Prop(p, Sys::Obj(o));
                        return Some((Quantity::Bin(Op::Div, Box::new(a), Box::new(b)), e));
                    }
                }
            }
        }
        if let Some(j) = self.eat_any(i, &["of", "between"]) {
            let (a, e) = self.expr(j, subj)?;
            let e = self.eat_any(e, &["to", "and", "over", "/"])?;
            let (b, e) = self.expr(e, subj)?;
            return Some((Quantity::Bin(Op::Div, Box::new(a), Box::new(b)), e));
        }
        let (q, e) = self.expr(i, subj)?;
        matches!(q, Quantity::Bin(Op::Div, ..)).then_some((q, e))
    }

    /// "of the pT of the two-b-jet system to its mass": a ratio in words, "its" being the
    /// first quantity's system.
    pub(super) fn expr_words_ratio(&self, i: usize) -> R<Quantity> {
        let j = self.eat(i, "of")?;
        let (a, k) = self.expr(j, None)?;
        let k = self.eat(k, "to")?;
        let (b, e) = match (&a, self.w(k)) {
            (Quantity::Prop(_, s), "its") => {
                (Quantity::Prop(prop_word(self.w(k + 1))?, s.clone()), k + 2)
            }
            _ => self.expr(k, None)?,
        };
        Some((Quantity::Bin(Op::Div, Box::new(a), Box::new(b)), e))
    }

    /// "the product of X and Y", "the difference between X and Y", "the sum of X and Y".
    fn binary_words(&self, i: usize, op: Op, subj: Option<&Sys>) -> R<Quantity> {
        let j = self.skip_of(i, &["of", "between"]);
        let (a, e) = self.expr(j, subj)?;
        let e = self.eat_any(e, &["and", ","])?;
        let (b, e) = self.expr(self.skip_of(e, &["of"]), subj)?;
        Some((Quantity::Bin(op, Box::new(a), Box::new(b)), e))
    }
}

/// A two-object system as its two members.
pub fn split_pair(s: Sys) -> Option<(Sys, Sys)> {
    match s {
        Sys::Sum(v) if v.len() == 2 => {
            let mut it = v.into_iter();
            Some((it.next()?, it.next()?))
        }
        Sys::Cand(c) => Some((Sys::Leg(c, 0), Sys::Leg(c, 1))),
        _ => None,
    }
}

/// Whether a quantity speaks of each object of a kind.
pub fn mentions_each(q: &Quantity, kind: Kind) -> bool {
    let sys = |s: &Sys| match s {
        Sys::Each(k) => *k == kind || k.base() == kind,
        Sys::Sum(v) => v.iter().any(|p| matches!(p, Sys::Each(k) if *k == kind)),
        _ => false,
    };
    match q {
        Quantity::Prop(_, s) | Quantity::Mt(s) => sys(s),
        Quantity::Delta(_, a, b) => sys(a) || sys(b),
        Quantity::Bin(_, a, b) => mentions_each(a, kind) || mentions_each(b, kind),
        Quantity::Func(_, v) => v.iter().any(|a| mentions_each(a, kind)),
        _ => false,
    }
}
