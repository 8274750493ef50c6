//! Conditions between the members of a pair: a charge or flavour relation, a separation
//! ("separated by ΔR > 0.4", "closer than ΔR = 3.0"), opposite hemispheres, or the angle to
//! another object named in passing.

use crate::ir::{Cmp, Cut, Delta, Op, Prop, Quantity, Stmt};

use super::{members, Subject};
use crate::read::base::{P, R};
use crate::read::objects::sum;
use crate::read::quantity::split_pair;

impl P<'_> {
    /// A condition on the subject as a pair: a relation, a separation, hemispheres.
    pub(super) fn pair_cond(&self, j: usize, subj: &Subject) -> R<Vec<Cut>> {
        if let Some((rel, e)) = self.pair_word(j) {
            let (a, b) = members(&subj.sys)?;
            return Some((vec![Cut::Pair { a, b, rel }], e));
        }
        self.relative_to(j, subj)
            .or_else(|| self.hemispheres(j, subj))
            .or_else(|| self.separated(j, subj))
            .or_else(|| self.closer_than(j, subj))
            .or_else(|| self.apart_in(j, subj))
    }

    /// "more than 4 apart in η", "less than 1 apart in φ": the bound, then the direction
    /// in which the two are apart.
    fn apart_in(&self, j: usize, subj: &Subject) -> R<Vec<Cut>> {
        let ((cmp, unit), k) = self.cmp(j)?;
        let k = self.eat(self.eat(k, "apart")?, "in")?;
        let delta = match self.w(k) {
            "eta" | "rapidity" => Delta::Eta,
            "phi" | "azimuth" => Delta::Phi,
            "dr" => Delta::R,
            _ => return None,
        };
        let (a, b) = members(&subj.sys)?;
        let q = Quantity::Delta(delta, a, b);
        (!unit).then(|| (vec![Cut::Value { q, cmp }], k + 1))
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
            Some(o) => sum(vec![subj.sys.clone(), o]),
            None => subj.sys.clone(),
        };
        let delta = |k: usize| {
            self.expr(k, Some(&pair))
                .filter(|(q, _)| matches!(q, Quantity::Delta(..)))
        };
        let (q, (cmp, unit), e) = match delta(j) {
            Some((q, k)) => {
                let (c, e) = self.cmp(k)?;
                (q, c, e)
            }
            // "separated by more than 0.4 in ΔR": the bound, then the quantity.
            None => {
                let (c, k) = self.cmp(j)?;
                let (q, e) = delta(self.eat(k, "in")?)?;
                (q, c, e)
            }
        };
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
}
