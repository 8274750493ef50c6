//! Quantities named in passing: "the pT balance pT(j1)/pT(γ1)", "HT (the scalar sum of the
//! jet pT)", "m_T, the transverse mass of the eμ system", "m_T = sqrt(2 pT(μ) MET (1 − cos
//! Δφ))". A name, if any, is defined as the quantity; a restatement is read with it.

use crate::ir::{ObjRef, Op, Prop, Quantity, Sys};
use crate::lexicon::prop_word;
use crate::read::base::{P, R};

impl P<'_> {
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
            // "a transverse mass m_T(e, MET)": a bare word and its explicit symbol. Two
            // different quantities side by side ("MET m_jj") are two items, not one.
            if let Some((q2, e2)) = self.explicit(e).filter(|(q2, _)| same_kind_of(&q, q2)) {
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
                if let Some(r) = self.restated_after_comma(e, &q, bare) {
                    return Some(r);
                }
            }
            return Some(((None, q), e));
        }
        self.label_then_formula(i)
    }

    /// The quantity `q`, read up to the comma or colon at `e`, said again after it: in words,
    /// by its symbol, or written out. `bare` is whether `q` was a single word.
    fn restated_after_comma(
        &self,
        e: usize,
        q: &Quantity,
        bare: bool,
    ) -> R<(Option<String>, Quantity)> {
        if let Some(r) = self.restated_in_words(e, q, bare) {
            return Some(r);
        }
        // "the transverse mass of the electron and the MET, m_T > 40": the name after the
        // comma restates it. In a list the comma separates items instead.
        if let Some((q2, e2)) = self.explicit(e + 1) {
            let name = e2 == e + 2;
            let then_cmp = self.cmp(self.opt(e2, ",")).is_some();
            if then_cmp && (q2 == *q || (name && !bare)) {
                return Some(((None, q.clone()), self.opt(e2, ",")));
            }
        }
        // "HT, the scalar sum of the pT of those jets, has to exceed 300 GeV".
        if let Some((q2, e2)) = self
            .expr(e + 1, None)
            .filter(|_| self.explicit(e + 1).is_none())
        {
            if self.w(e2) == "," && (q2 == *q || bare) && self.cmp(e2 + 1).is_some() {
                return Some(((None, q2), e2 + 1));
            }
        }
        // ", m_T = sqrt(2 pT(μ) MET (1 − cos Δφ)),": named and written out.
        let e2 = self.formula_apposition(e + 1, q)?;
        Some(((None, q.clone()), e2))
    }

    /// "pT_γγ, the transverse momentum of the diphoton system": the quantity `q` again, in
    /// words, after the comma at `e`.
    fn restated_in_words(
        &self,
        e: usize,
        q: &Quantity,
        bare: bool,
    ) -> R<(Option<String>, Quantity)> {
        let at = self.skip_of(
            e + 1,
            &[
                "defined", "as", "i.e.", "ie", "namely", "which", "is", "being",
            ],
        );
        let (q2, e2) = self.expr(at, None)?;
        // "HT, the scalar sum of the pT of those jets, has to exceed 300 GeV".
        let closed = if self.w(e2) == "," && self.cmp(e2 + 1).is_some() {
            e2 + 1
        } else {
            e2
        };
        if q2 == *q && self.explicit(e + 1).is_none() {
            return Some(((None, q2), closed));
        }
        // "m_T, the transverse mass of the eμ system and the E_T^miss": a bare name, then
        // what it is.
        let same_kind = std::mem::discriminant(q) == std::mem::discriminant(&q2)
            && matches!(self.w(e - 1), "mt" | "ht" | "meff" | "st" | "met");
        (bare && same_kind && self.explicit(e + 1).is_none() && (e + 1..e2).count() > 2)
            .then_some(((None, q2), e2))
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
                && !crate::lexicon::is_output_verb(w)
                && !crate::lexicon::NOTE_WORDS.contains(&w)
                && !matches!(
                    w,
                    "met" | "ht" | "st" | "meff" | "mt" | "dr" | "dphi" | "deta"
                )
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
            let at = self.opt(k, "=");
            if let Some((q, e)) = self.explicit(at) {
                // "the total hadronic activity HT", "the W transverse mass": words that
                // describe a standard quantity's own symbol name nothing new.
                if at == k && e == k + 1 && STANDARD.contains(&self.w(k)) {
                    return Some(((None, q), e));
                }
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
            Quantity::Mt(s) => Some(crate::read::objects::sum(vec![
                s.clone(),
                Sys::Obj(ObjRef::MET),
            ])),
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
    pub(super) fn explicit(&self, i: usize) -> R<Quantity> {
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
}

/// Symbols of quantities with a standard meaning of their own.
const STANDARD: [&str; 5] = ["met", "ht", "meff", "mt", "st"];

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

/// Whether a symbol can restate a quantity said in words: the same kind of quantity (the
/// same property, when both are properties).
fn same_kind_of(a: &Quantity, b: &Quantity) -> bool {
    match (a, b) {
        (Quantity::Prop(p, _), Quantity::Prop(r, _)) => p == r,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}
