//! Words of a clause that are not cuts, once its phrases are read: a parenthetical remark,
//! a label before a colon, a reason given for a cut, and words a formula after them restates.

use crate::ir::{Cmp, CountCmp, Cut, Kind, Stmt};
use crate::lex::Tok;
use crate::lexicon::{is_content, is_hard, is_output_verb, kind_word, symbol};

use super::Clause;

impl Clause<'_> {
    /// A parenthetical remark with no number, comparison or relation ("(W leptonic
    /// candidate)") is a note to the reader.
    pub(in crate::read) fn remarks(&mut self) {
        let mut k = 0;
        while k < self.toks.len() {
            if self.toks[k].text == "(" && !self.used[k] {
                if let Some(len) = self.toks[k + 1..].iter().position(|t| t.text == ")") {
                    let inner = k + 1..k + 1 + len;
                    // (A code the lexer expanded, "eμ" → "( e1 + mu1 )", is not a remark.)
                    let plain = inner.clone().all(|m| {
                        let t = &self.toks[m];
                        t.num.is_none()
                            && !is_hard(&t.text)
                            && t.text != "+"
                            && crate::lexicon::symbol(&t.text).is_none()
                    });
                    // "> 25 GeV (leading)": a rank alone says which object; "(two leading
                    // jets)" restates one.
                    let rank_only = inner
                        .clone()
                        .any(|m| crate::lexicon::ordinal(&self.toks[m].text).is_some())
                        && !inner
                            .clone()
                            .any(|m| kind_word(&self.toks[m].text).is_some());
                    let plain = plain && !rank_only;
                    if plain && self.toks[k].span.start > 0 {
                        for m in k..=k + 1 + len {
                            self.used[m] = true;
                        }
                    }
                    k += len + 2;
                    continue;
                }
            }
            k += 1;
        }
    }

    /// "Electron veto: no electrons", "Tagging jets in opposite hemispheres: η(j1) · η(j2)
    /// < 0": words before a colon that restate what follows it are a label.
    pub(in crate::read) fn label_before_colon(&mut self) {
        let Some(colon) = self.toks.iter().position(|t| t.text == ":") else {
            return;
        };
        let after_read = (colon + 1..self.toks.len()).any(|k| self.used[k]);
        // "veto: no electrons, no muons" is a label when what follows is all vetoes.
        let vetoes = !self.out.is_empty()
            && self.out.iter().all(|s| {
                matches!(
                    s,
                    Stmt::Cut(Cut::Count {
                        cmp: CountCmp::Exactly(0),
                        ..
                    })
                )
            });
        // "Z veto: |m_ee − 91.1876| > 15 GeV" keeps what is outside the window; "Z veto:
        // 81 < m_ll < 101" names the window thrown away.
        let veto_label = self.toks[..colon].iter().any(|t| t.text == "veto");
        let windows = veto_label
            && self.out.len() == 1
            && matches!(
                &self.out[0],
                Stmt::Cut(Cut::Value {
                    cmp: Cmp::Away { .. }
                        | Cmp::Outside(..)
                        | Cmp::Within { .. }
                        | Cmp::Between(..),
                    ..
                })
            );
        let vetoes = vetoes || windows;
        // "none of the jets may be close to it in azimuth: min Δφ(j, MET) > 0.5": the words
        // before the colon say what the formula after it says.
        let formula = (colon + 1..self.toks.len())
            .any(|k| matches!(self.toks[k].text.as_str(), ">" | "<" | ">=" | "<="));
        // The label is what stands unread before the colon ("..., and none of the jets may
        // be close to it in azimuth: min Δφ(j, MET) > 0.5").
        let start = (0..colon)
            .rev()
            .find(|&k| self.used[k])
            .map_or(0, |k| k + 1);
        let label_plain = self.toks[start..colon].iter().all(|t| {
            t.num.is_none()
                && (!is_hard(&t.text)
                    || (vetoes && t.text.starts_with("veto"))
                    || (formula && matches!(t.text.as_str(), "none" | "no" | "every" | "not")))
        });
        let after_clean =
            (colon + 1..self.toks.len()).all(|k| self.used[k] || !is_content(self.toks, k));
        if after_read && label_plain && after_clean && self.names_kinds_read(start, colon) {
            for k in start..=colon {
                self.used[k] = true;
            }
            if windows {
                if let Stmt::Cut(Cut::Value {
                    cmp: c @ (Cmp::Within { .. } | Cmp::Between(..)),
                    ..
                }) = &mut self.out[0]
                {
                    *c = c.negated();
                }
            }
        }
    }

    /// Whether every object a label or restatement (`toks[start..end]`) names is among the
    /// objects read: "muons: 2 or more" is no label over a count of jets, "Muons, MET > 30"
    /// no restatement of a MET cut.
    fn names_kinds_read(&self, start: usize, end: usize) -> bool {
        let read: Vec<Kind> = self.out.iter().flat_map(Stmt::kinds).collect();
        self.toks[start..end].iter().all(|t| {
            let kind = kind_word(&t.text)
                .map(|(k, _)| k)
                .or_else(|| symbol(&t.text).map(|(k, _)| k));
            kind.is_none_or(|k| {
                read.iter().any(|r| {
                    *r == k
                        || r.base() == k.base()
                        || (k == Kind::Lepton && matches!(r, Kind::Electron | Kind::Muon))
                        || (*r == Kind::Lepton && matches!(k, Kind::Electron | Kind::Muon))
                })
            })
        })
    }

    /// "To suppress W+jets, ...", "Since no genuine missing energy is expected, ...": a
    /// reason given for a cut, up to the next comma, is not itself a cut.
    pub(in crate::read) fn rationale(&mut self) {
        let starts = |t: &[Tok], k: usize| {
            let w = t[k].text.as_str();
            let next = t.get(k + 1).map_or("", |t| t.text.as_str());
            matches!(w, "since" | "because")
                || (w == "to"
                    && matches!(
                        next,
                        "suppress"
                            | "reject"
                            | "reduce"
                            | "avoid"
                            | "ensure"
                            | "make"
                            | "remove"
                            | "select"
                            | "enrich"
                            | "control"
                            | "veto"
                    ))
                || (w == "in" && next == "order")
                || (w == "as" && matches!(next, "a" | "an" | "the"))
                || (w == "for" && next == "the" && k == 0)
        };
        let mut k = 0;
        while k < self.toks.len() {
            let at_start = k == 0 || self.toks[k - 1].text == ",";
            if at_start && starts(self.toks, k) {
                // "..., to remove low-mass resonances" may close the clause.
                // "For the ttH, H → bb̄ search at high b-tag multiplicity we select ...": the
                // topic runs to the subject of the sentence.
                let we = (self.toks[k].text == "for")
                    .then(|| (k..self.toks.len()).find(|&m| self.toks[m].text == "we"))
                    .flatten();
                let end = we
                    .map(|m| m - 1)
                    .or_else(|| (k..self.toks.len()).find(|&m| self.toks[m].text == ","))
                    .or((k > 0).then_some(self.toks.len()));
                if let Some(end) = end {
                    // Object words here name backgrounds ("to reject W + jets").
                    // "As a central jet veto, ..." names the cut that follows.
                    let label = self.toks[k].text == "as";
                    let plain = self.toks[k..end].iter().all(|t| {
                        let allowed =
                            matches!(t.text.as_str(), "no" | "not") || (label && t.text == "veto");
                        t.num.is_none()
                            && crate::lexicon::word_number(&t.text).is_none()
                            && (!is_hard(&t.text) || allowed)
                    });
                    if plain {
                        for m in k..end.min(self.toks.len() - 1) + 1 {
                            self.used[m] = true;
                        }
                    }
                    k = end;
                }
            }
            k += 1;
        }
    }

    /// "The leading photon and the missing momentum should be well separated in azimuth,
    /// Δφ(γ1, MET) > 1.0": words before a comma, with no number, comparison, relation or
    /// negation, restated by a formula after it that reads.
    pub(in crate::read) fn restated_prefix(&mut self) {
        let left = |c: &Clause, r: std::ops::Range<usize>| {
            r.filter(|&k| !c.used[k] && is_content(c.toks, k)).count()
        };
        for cut in (0..self.toks.len()).filter(|&k| self.toks[k].text == ",") {
            if left(self, cut + 1..self.toks.len()) > 0
                || !(cut + 1..self.toks.len()).any(|k| self.used[k])
            {
                continue;
            }
            let start = (0..cut).rev().find(|&k| self.used[k]).map_or(0, |k| k + 1);
            let plain = self.toks[start..cut].iter().all(|t| {
                t.num.is_none()
                    && crate::lexicon::word_number(&t.text).is_none()
                    && !is_hard(&t.text)
                    && !matches!(
                        t.text.as_str(),
                        "gev" | "tev" | "both" | "each" | "all" | "any"
                    )
                    && !is_output_verb(&t.text)
            });
            // The objects it names must be the ones the formula is about: "Muons, MET > 30"
            // is not a restatement.
            if plain && self.names_kinds_read(start, cut) && left(self, start..cut) > 0 {
                for k in start..=cut {
                    self.used[k] = true;
                }
            }
        }
    }
}
