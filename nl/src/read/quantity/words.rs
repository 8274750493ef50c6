//! Quantity words: MET, HT, m_eff, counts, MT, ΔR/Δφ/Δη, functions, minima and maxima;
//! a quantity said before ("the same mass"), and a candidate's mass.

use crate::ir::{Delta, Func, Kind, Op, Prop, Quantity, Reduce, Sys};
use crate::lexicon::{func_word, prop_word};
use crate::read::base::{P, R};
use crate::read::ctx::Def;

impl P<'_> {
    /// Quantity words: MET, HT, m_eff, counts, MT, ΔR/Δφ/Δη, functions, ratios, sums,
    /// minima and maxima.
    pub(super) fn special(&self, j: usize, subj: Option<&Sys>) -> R<Quantity> {
        let w = self.w(j);
        if let Some(f) = func_word(w) {
            if let Some(r) = self.func(j + 1, f, subj) {
                return Some(r);
            }
        }
        match w {
            "m_z" | "mz" | "m_z1" | "m_z2" | "m_z0" | "m_w" | "m_top" | "m_h" => self.cand_mass(j),
            "met" if prop_word(self.w(j + 1)).is_none() => {
                Some((Quantity::Met, self.skip_of(j + 1, &["value"])))
            }
            "ht" => Some((Quantity::Ht, self.of_selected_jets(j + 1))),
            "meff" => Some((
                Quantity::Bin(Op::Add, Box::new(Quantity::Ht), Box::new(Quantity::Met)),
                j + 1,
            )),
            "number" | "multiplicity" | "multiplicities" | "#" | "n" => self.count(j + 1),
            "mt" => self.mt(j + 1),
            "dr" | "dphi" | "deta" => self.delta(j, subj),
            "smallest" | "minimum" | "min" | "lowest" | "smaller" => self
                .reduce(j + 1, Reduce::Min, subj)
                .or_else(|| self.said_before(j)),
            "largest" | "maximum" | "max" | "biggest" | "larger" => self
                .reduce(j + 1, Reduce::Max, subj)
                .or_else(|| self.said_before(j)),
            "sum" if self.sum_of_mts(j + 2).is_some() || self.said_before(j).is_some() => {
                self.sum_of_mts(j + 2).or_else(|| self.said_before(j))
            }
            "sum" | "scalar" | "σ" => {
                let a = self.scalar_sum(j);
                let b = (w == "sum")
                    .then(|| self.binary_words(j + 1, Op::Add, subj))
                    .flatten();
                match (a, b) {
                    (Some(a), Some(b)) => Some(if b.1 > a.1 { b } else { a }),
                    (a, b) => a.or(b),
                }
            }
            "ratio" => self.ratio(j + 1, subj),
            "product" => self.binary_words(j + 1, Op::Mul, subj),
            "difference" => self.binary_words(j + 1, Op::Sub, subj),
            _ => {
                // "jet multiplicity", "b-jet multiplicity".
                let ((kind, _), e) = self.kind(j)?;
                let e = self.eat_any(e, &["multiplicity", "multiplicities", "count"])?;
                Some((Quantity::Count(kind, Vec::new()), e))
            }
        }
    }

    /// "the transverse masses of the electron and of the muon, each computed with the MET":
    /// one transverse mass per object, summed.
    fn sum_of_mts(&self, i: usize) -> R<Quantity> {
        let k = self.eat(self.skip_of(i, &["the", "two"]), "mts")?;
        let k = self.eat(k, "of")?;
        // ("each computed with the MET" is not a quantifier.)
        let p = P {
            each: None,
            ..*self
        };
        let (a, k) = p.obj(k)?;
        let k = self.skip_of(self.eat(k, "and")?, &["of"]);
        let (b, mut e) = p.obj(k)?;
        let t = self.skip_of(
            e,
            &[
                ",", "each", "computed", "built", "formed", "with", "and", "the",
            ],
        );
        if self.w(t) == "met" && t > e + 1 {
            // The apposition closes with its comma.
            e = if self.w(e) == "," {
                self.opt(t + 1, ",")
            } else {
                t + 1
            };
        }
        let mt = |s: Sys| Quantity::Mt(s);
        Some((Quantity::Bin(Op::Add, Box::new(mt(a)), Box::new(mt(b))), e))
    }

    /// "the minimum Δφ above", "the sum of the two transverse masses": a quantity the cuts
    /// used, described by its shape. The newest that fits.
    fn said_before(&self, j: usize) -> R<Quantity> {
        let mut k = j;
        let mut tests: Vec<fn(&Quantity) -> bool> = Vec::new();
        let mut two_mts = false;
        loop {
            match self.w(k) {
                "the" | "of" | "value" => {}
                "sum" => tests.push(|q| matches!(q, Quantity::Bin(Op::Add, ..))),
                "min" | "minimum" => tests.push(|q| {
                    matches!(
                        q,
                        Quantity::Reduce {
                            reduce: Reduce::Min,
                            ..
                        } | Quantity::Func(Func::Min, _)
                    )
                }),
                "max" | "maximum" => tests.push(|q| {
                    matches!(
                        q,
                        Quantity::Reduce {
                            reduce: Reduce::Max,
                            ..
                        } | Quantity::Func(Func::Max, _)
                    )
                }),
                "dphi" => tests.push(|q| q.has_delta(Delta::Phi)),
                "dr" => tests.push(|q| q.has_delta(Delta::R)),
                "deta" => tests.push(|q| q.has_delta(Delta::Eta)),
                "two" if self.w(k + 1) == "mts" => {
                    two_mts = true;
                    k += 1;
                    tests.push(|q| matches!(q, Quantity::Bin(_, a, b) if matches!(**a, Quantity::Mt(_)) && matches!(**b, Quantity::Mt(_))));
                }
                _ => break,
            }
            k += 1;
        }
        let k = if two_mts {
            k
        } else {
            self.eat_any(k, &["above", "before", "earlier"])?
        };
        if tests.is_empty() {
            return None;
        }
        let q = self
            .ctx
            .said
            .iter()
            .rev()
            .find(|q| tests.iter().all(|t| t(q)))?;
        Some((q.clone(), k))
    }

    /// `m_Z`, `m_Z1`, `m_W` where a quantity is expected: the mass of the candidate of that
    /// name (the Z candidate by default); as a number, the reader takes the PDG mass instead.
    fn cand_mass(&self, j: usize) -> R<Quantity> {
        let name = match self.w(j) {
            "m_z" | "mz" | "m_z0" => "z",
            "m_z1" => "z1",
            "m_z2" => "z2",
            "m_w" => "w",
            "m_top" => "top",
            _ => "h",
        };
        let sys = match self.ctx.lookup(name) {
            Some(Def::S(s)) => s.clone(),
            _ if name == "z" || name == "z1" => Sys::Cand(
                self.ctx
                    .cand
                    .unwrap_or(crate::read::objects::z_cand(Kind::Lepton)),
            ),
            _ => return None,
        };
        Some((Quantity::Prop(Prop::Mass, sys), j + 1))
    }

    /// "of the selected jets" after HT.
    fn of_selected_jets(&self, i: usize) -> usize {
        let j = self.skip_of(i, &["of", "the", "selected", "all"]);
        if self.is(j, &["jets"]) && j > i {
            j + 1
        } else {
            i
        }
    }
}
