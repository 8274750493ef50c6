//! Overlap removal: "discard jets within ΔR < 0.4 of any selected electron", "drop j w/
//! ΔR(j,γ)<0.4", "jets are kept only if they lie farther than ΔR = 0.4 from every selected
//! photon".

use crate::ir::{Kind, Stmt};
use crate::read::base::{P, R};
use crate::read::ctx::Focus;
use crate::read::Reading;

/// What an overlap phrase said: the two kinds (the removed one first, and the nearest of
/// the other when an ordinal picks it), the radius, whether a removal or a keeping verb was
/// used, and where the phrase ended.
struct OverlapWords {
    kinds: Vec<(Kind, Option<usize>)>,
    dr: Option<f64>,
    verb: bool,
    keep: bool,
    end: usize,
}

impl P<'_> {
    /// Overlap removal: "remove jets within ΔR < 0.4 of electrons", "jets within ΔR < 0.4
    /// of a selected lepton are discarded", "drop j w/ ΔR(j,γ)<0.4", "jets are kept only if
    /// they lie farther than ΔR = 0.4 from every selected photon", "after discarding those
    /// within ΔR < 0.5 of either muon", "Jets overlapping with photons (ΔR < 0.4) are
    /// removed".
    pub fn overlap(&self, i: usize) -> Option<Reading> {
        let said = self.overlap_words(i)?;
        let (mut kinds, mut j) = (said.kinds, said.end);
        let dr = said.dr?;
        // "... is removed before anything else is done with the taus".
        if self.is(j, &["before", "first"]) {
            j = self.before_anything_else(j, kinds.first().map(|(k, _)| *k));
        }
        // "Jets ... are kept only if they lie farther than ΔR = 0.4 from every photon": the
        // removed kind was named before.
        if kinds.len() == 1 && said.keep {
            if let Some(f) = self.ctx.focus.as_ref() {
                kinds.insert(0, (f.kind, None));
            }
        }
        if !(said.verb || said.keep) || kinds.len() != 2 {
            return None;
        }
        let (remove, _) = kinds[0];
        let (near, first) = kinds[1];
        if remove == Kind::Met || near == Kind::Met {
            return None;
        }
        let mut r = Reading::new(
            vec![Stmt::Overlap {
                remove,
                near,
                first,
                dr,
            }],
            j,
        );
        r.focus = Some(Focus {
            kind: remove,
            n: None,
            sys: None,
        });
        Some(r)
    }

    /// The words of an overlap phrase from `i`, up to the first that is none of its own.
    fn overlap_words(&self, i: usize) -> Option<OverlapWords> {
        let mut said = OverlapWords {
            kinds: Vec::new(),
            dr: None,
            verb: false,
            keep: false,
            end: i,
        };
        let mut j = i;
        while !self.end(j) {
            let w = self.w(j);
            if let Some((k, e)) = self.overlap_object(j) {
                said.kinds.push(k);
                j = e;
                continue;
            }
            match w {
                "dr" => {
                    let mut k = j + 1;
                    // "ΔR(j, γ) < 0.4" names both kinds.
                    if self.w(k) == "(" {
                        let (a, e) = self.overlap_object(k + 1)?;
                        let e = self.eat(e, ",")?;
                        let (b, e) = self.overlap_object(e)?;
                        k = self.eat(e, ")")?;
                        said.kinds = vec![a, b];
                    }
                    let (d, e) = self.overlap_radius(k)?;
                    said.dr = Some(d);
                    j = e;
                    continue;
                }
                "remove" | "removed" | "removing" | "discard" | "discarded" | "discarding"
                | "drop" | "dropped" | "dropping" | "clean" | "cleaned" | "overlap"
                | "overlapping" | "removal" | "reject" | "rejected" | "exclude" | "excluded" => {
                    said.verb = true
                }
                "kept" | "keep" | "retained" | "retain" | "farther" | "further" => said.keep = true,
                // "within 0.2 of a jet": a distance with no unit, between objects, is a ΔR.
                "within" => {
                    let bare = self.value(j + 1).filter(|((v, unit), e)| {
                        !unit && *v > 0.0 && said.dr.is_none() && self.w(*e) == "of"
                    });
                    if let Some(((d, _), e)) = bare {
                        said.dr = Some(d);
                        j = e;
                        continue;
                    }
                }
                "get" | "gets" | "of" | "with" | "w/" | "close" | "closer" | "than" | "near"
                | "if" | "they" | "lie" | "lies" | "from" | "that" | "which" | "to" | "against"
                | "<" | "any" | "a" | "an" | "the" | "are" | "is" | "be" | "all" | "after"
                | "only" | "either" | "every" | "each" | "selected" | ":" | "(" | ")" | "="
                | "and" | "jet" | "must" | "also" | "by" | "then" | "for" | "in" | "lying"
                | "located" | "found" | "falling" | "at" | "distance" | "ones" => {}
                _ => break,
            }
            j += 1;
        }
        said.end = j;
        Some(said)
    }

    /// "before anything else is done with the taus" at `j`, after the removal of `removed`:
    /// where the phrase ends.
    fn before_anything_else(&self, j: usize, removed: Option<Kind>) -> usize {
        let k = self.skip_of(
            j,
            &[
                "before", "first", "anything", "else", "is", "done", "with", "the", "any", "other",
                "step",
            ],
        );
        match self.kind(k) {
            Some(((kd, _), e)) if Some(kd) == removed => e,
            _ if self.end(k) && k > j + 1 => k,
            _ => j,
        }
    }

    /// An object in an overlap phrase: a kind, "those" (the focus), "the leading lepton",
    /// or the `(j, γ)` of `ΔR(j, γ)`.
    fn overlap_object(&self, j: usize) -> R<(Kind, Option<usize>)> {
        if self.is(j, &["those", "them", "they"]) {
            return Some(((self.ctx.focus.as_ref()?.kind, None), j + 1));
        }
        // "a selected electron or muon": leptons.
        if let Some((ks, e)) = self.kinds(j) {
            if ks.kinds == [Kind::Lepton] && e > j + 1 {
                return Some(((Kind::Lepton, None), e));
            }
        }
        if let Some(index) = crate::lexicon::ordinal(self.w(j)) {
            if index == 0 {
                let ((kind, _), e) = self.kind(j + 1)?;
                return Some(((kind, Some(1)), e));
            }
            return None;
        }
        if let Some((k, 0)) = crate::lexicon::symbol(self.w(j)) {
            return Some(((k, None), j + 1));
        }
        let ((kind, _), e) = self.kind(j)?;
        Some(((kind, None), e))
    }

    /// After "ΔR": "< 0.4", "= 0.4", "of 0.4".
    fn overlap_radius(&self, j: usize) -> R<f64> {
        // The comparison is written: "ΔR < 0.4", "ΔR = 0.4", "a ΔR of 0.4".
        if !self.is(j, &["<", "=", "of", "<=", ">", ">="]) {
            return None;
        }
        let k = self.skip_of(j, &["<", "=", "of", "<=", ">", ">="]);
        let ((v, unit), e) = self.value(k)?;
        (!unit && v > 0.0).then_some((v, e))
    }
}
