//! Charge and flavour relations: "OS", "SFOS", "same flavour and opposite charge", "OS eμ",
//! "OS(l1, l2)", and the cuts a relation adds to a count.

use crate::ir::{Cut, Kind, ObjRef, PairRel, Stmt, Sys};
use crate::read::base::{P, R};
use crate::read::objects::first_n;
use crate::read::Reading;

use super::members;

impl P<'_> {
    /// "OS", "opposite-sign", "SFOS", "same flavour and opposite charge".
    pub fn pair_word(&self, i: usize) -> R<PairRel> {
        let mut j = self.skip_of(
            i,
            &["of", "with", "have", "has", "be", "are", "carry", "a", "an"],
        );
        let mut rel: Option<PairRel> = None;
        loop {
            let r = match self.w(j) {
                "os" => PairRel::Os,
                "ss" => PairRel::Ss,
                "sf" => PairRel::Sf,
                "sfos" => PairRel::Sfos,
                "df" => PairRel::Df,
                "dfos" => PairRel::Dfos,
                "," | "and" if rel.is_some() && self.pair_word_at(j + 1) => {
                    j += 1;
                    continue;
                }
                _ => break,
            };
            rel = Some(match (rel, r) {
                (None, r) => r,
                (Some(PairRel::Sf), PairRel::Os) | (Some(PairRel::Os), PairRel::Sf) => {
                    PairRel::Sfos
                }
                (Some(PairRel::Df), PairRel::Os) | (Some(PairRel::Os), PairRel::Df) => {
                    PairRel::Dfos
                }
                (Some(a), _) => a,
            });
            j += 1;
        }
        let j = self.skip_of(j, &["charge", "charges", "sign", "signs", "flavour"]);
        rel.map(|r| (r, j))
    }

    fn pair_word_at(&self, i: usize) -> bool {
        self.is(
            self.skip_of(i, &["of", "with", "have", "a", "an"]),
            &["os", "ss", "sf", "sfos", "df", "dfos"],
        )
    }

    /// The cuts a relation adds to a count: "exactly two OS muons" is a count and a charge
    /// cut on the two; "at least one OS pair" counts pairs.
    pub fn relation_stmts(&self, kind: Kind, cmp: crate::ir::CountCmp, rel: PairRel) -> Vec<Stmt> {
        use crate::ir::{CountCmp, Target};
        match cmp {
            CountCmp::Exactly(2) | CountCmp::AtLeast(2) => vec![Stmt::Cut(Cut::Pair {
                a: Sys::Obj(ObjRef { kind, index: 0 }),
                b: Sys::Obj(ObjRef { kind, index: 1 }),
                rel,
            })],
            _ => vec![Stmt::Cut(Cut::Count {
                target: Target::Pairs { kind, rel },
                cmp: CountCmp::AtLeast(1),
            })],
        }
    }

    /// A relation on its own: "OS", "SFOS", "OS eμ", "OS(l1, l2)", "q(μ)·q(τ1) < 0" is a
    /// value cut instead.
    pub fn relation_phrase(&self, i: usize) -> Option<Reading> {
        let (rel, j) = self.pair_word(i)?;
        if self.w(j) == "(" {
            let (s, e) = self.sys(j + 1, true)?;
            let e = self.eat(e, ")")?;
            let (a, b) = members(&s)?;
            return Some(Reading::new(vec![Stmt::Cut(Cut::Pair { a, b, rel })], e));
        }
        if let Some((s, e)) = self.sys(j, false) {
            if let Some((a, b)) = members(&s) {
                return Some(Reading::new(vec![Stmt::Cut(Cut::Pair { a, b, rel })], e));
            }
        }
        // "OS muons", "oppositely charged leading leptons": the two leading muons.
        if let Some(((kind, Some(true)), e)) = self.kind(self.skip_of(j, &["leading"])) {
            if kind != Kind::Met {
                let (a, b) = members(&first_n(kind, 2))?;
                return Some(Reading::new(vec![Stmt::Cut(Cut::Pair { a, b, rel })], e));
            }
        }
        let (pair, e) = self.pronoun_pair_or_focus(j)?;
        let (a, b) = members(&pair)?;
        Some(Reading::new(vec![Stmt::Cut(Cut::Pair { a, b, rel })], e))
    }

    fn pronoun_pair_or_focus(&self, j: usize) -> R<Sys> {
        let f = self.ctx.focus.as_ref()?;
        if let Some(s) = &f.sys {
            if members(s).is_some() {
                return Some((s.clone(), j));
            }
        }
        if matches!(f.n, Some(2)) {
            return Some((first_n(f.kind, 2), j));
        }
        Some((self.ctx.recent_pair()?, j))
    }
}
