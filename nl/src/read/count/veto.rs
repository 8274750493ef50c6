//! Vetoes: "veto b-jets", "no electron or muon above 10 GeV", "events with any electron with
//! pT > 10 GeV are rejected", "events with no SFOS pair are rejected", "b-veto".

use crate::ir::{CountCmp, Cut, Kind, Stmt, Target};
use crate::lexicon::VETOED;
use crate::read::base::P;
use crate::read::ctx::Focus;
use crate::read::Reading;

use super::retarget;
use super::tags::tag_kind;

/// Words before the vetoed objects: "events with", "events that have".
const EVENTS_WITH: &[&str] = &[
    "events",
    "event",
    "with",
    "containing",
    "that",
    "have",
    "has",
];

/// Words that lead a veto: "veto", "reject", "no", "without".
const VETO_VERBS: &[&str] = &[
    "veto",
    "reject",
    "vetoing",
    "rejecting",
    "exclude",
    "excluding",
    "discard",
    "discarding",
    "remove",
    "removing",
    "drop",
    "ignore",
    "disregard",
    "no",
    "without",
    "none",
];

impl P<'_> {
    /// A veto: "veto b-jets", "no electron or muon above 10 GeV", "events with any electron
    /// with pT > 10 GeV are rejected", "Jets with pT > 30 GeV are vetoed", "b-veto".
    pub fn veto_phrase(&self, i: usize) -> Option<Reading> {
        let j = self.skip_of(i, EVENTS_WITH);
        let lead = self.eat_any(j, VETO_VERBS);
        // "ignore events with a tau" vetoes; "ignore taus" says nothing about events.
        if self.is(j, &["ignore", "disregard"]) && !self.is(j + 1, &["events", "event"]) {
            return None;
        }
        let k = match lead {
            Some(k) if self.w(j) != "no" => self.skip_of_lists(
                k,
                &[
                    EVENTS_WITH,
                    &["if", "there", "is", "are", "any", "a", "an", "of", "on"],
                ],
            ),
            _ => self.skip_of(lead.unwrap_or(j), &["any", "a", "an", "of", "the"]),
        };
        if let Some(r) = lead.and_then(|_| self.no_btag_among(k)) {
            return Some(r);
        }
        // "events with more than one jet ... are rejected": at most one.
        let (at_least, k) = match self.count_cmp(k) {
            Some((CountCmp::AtLeast(n), e)) if lead.is_none() => (Some(n), e),
            _ => (None, k),
        };
        let (kinds, e) = self.kinds(k)?;
        if kinds.kinds.contains(&Kind::Met) {
            return None;
        }
        let kind = kinds.kinds[0];
        let (filters, e) = self.filters(e, kind).unwrap_or((Vec::new(), e));
        let trailing = self.veto_verb(e, lead.is_some());
        if lead.is_none() && trailing.is_none() {
            return None;
        }
        if trailing.is_none() && self.predicate_follows(e) {
            return None;
        }
        // "events with jets ... are vetoed" is a veto only if the objects came after
        // "events with"; "Jets with pT > 30 are vetoed" says the same of the jets.
        let end = trailing.unwrap_or(e);
        let cmp = match at_least {
            Some(n) if trailing.is_some() && n >= 1 => CountCmp::AtMost(n - 1),
            Some(_) => return None,
            None => CountCmp::Exactly(0),
        };
        // A veto counts among all objects of the kind (or the selected ones, if defined)
        // without defining the collection: "veto electrons with pT > 10".
        // "events with more than one jet of pT > 30 GeV are rejected" counts like "at most one
        // jet with pT > 30 GeV".
        let stmts = kinds
            .kinds
            .iter()
            .flat_map(|k| {
                let (k, fs) = tag_kind(*k, filters.iter().map(|f| retarget(f, *k)).collect());
                self.count_result(k, fs, cmp, end).stmts
            })
            .collect();
        let mut r = Reading::new(stmts, end);
        if (i..end).any(|m| self.w(m) == "such") {
            self.apply_such(&mut r, kind);
        }
        r.focus = Some(Focus {
            kind,
            n: Some(0),
            sys: None,
        });
        Some(r)
    }

    /// "there must be no b-tag among the selected jets", after a veto word, or "no b-tags"
    /// standing alone: no b-jets.
    fn no_btag_among(&self, k: usize) -> Option<Reading> {
        if !self.is(k, &["btag", "btags"]) {
            return None;
        }
        let m = self.skip_of(k + 1, &["among", "in", "of", "the", "selected"]);
        let e = match self.kind(m).filter(|_| m > k + 1) {
            Some(((Kind::Jet, _), e)) => e,
            _ if self.end(k + 1) => k + 1,
            _ => return None,
        };
        let stmts = vec![Stmt::Cut(Cut::Count {
            target: Target::Objects {
                kind: Kind::BJet,
                filters: Vec::new(),
            },
            cmp: CountCmp::Exactly(0),
        })];
        let mut r = Reading::new(stmts, e);
        r.focus = Some(Focus {
            kind: Kind::BJet,
            n: Some(0),
            sys: None,
        });
        Some(r)
    }

    /// "... are rejected", "... are vetoed", "may be present": the verb after the vetoed
    /// objects ending at `e`, and the position after it. After a leading veto word, "may be
    /// present" closes the phrase too.
    fn veto_verb(&self, e: usize, led: bool) -> Option<usize> {
        let after = self.skip_of(
            e,
            &[
                "are", "is", "be", "must", "should", "will", "the", "event", "events",
            ],
        );
        let trailing = self.eat_any(after, VETOED).or_else(|| {
            // "any such lepton vetoes the event".
            let k = self.eat_any(after, &["vetoes", "rejects", "kills", "vetos"])?;
            Some(self.skip_of(k, &["the", "event", "events"]))
        });
        trailing.or_else(|| {
            let a = self.skip_of(
                e,
                &[
                    "may", "can", "is", "are", "allowed", "present", "be", "found", "in", "the",
                    "event",
                ],
            );
            // "no jet may be close to it" is a condition, not a veto of every jet.
            let closed = self.end(a) || self.is(a, &[",", ";", "and", "."]);
            (led && a > e && closed).then_some(a)
        })
    }

    /// "events without any such pair are dropped", "events with no SFOS pair are rejected":
    /// at least one pair is required.
    pub fn pair_veto(&self, i: usize) -> Option<Reading> {
        let j = self.skip_of(i, &["events", "event", "with"]);
        let j = self.eat_any(j, &["without", "no"])?;
        let j = self.skip_of(j, &["any", "a", "an"]);
        let (rel, kind, k) = match self.pair_word(j) {
            Some((rel, e)) => {
                let (kind, e) = self.kind(e).map_or(
                    (self.ctx.cand.map_or(Kind::Lepton, |c| c.kind), e),
                    |((k, _), e)| (k, e),
                );
                (rel, kind, e)
            }
            None if self.w(j) == "such" => {
                let c = self.ctx.cand?;
                (c.rel?, c.kind, j + 1)
            }
            None => return None,
        };
        let k = self.eat_any(k, &["pair", "pairs"])?;
        let k = self.skip_of(
            k,
            &["are", "is", "must", "be", "will", "the", "event", "events"],
        );
        let e = self.eat_any(
            k,
            &["dropped", "rejected", "vetoed", "discarded", "removed"],
        )?;
        let stmts = vec![Stmt::Cut(Cut::Count {
            target: Target::Pairs { kind, rel },
            cmp: CountCmp::AtLeast(1),
        })];
        Some(Reading::new(stmts, e))
    }

    /// "b-veto", "b-jet veto", "lepton veto": a kind and the word veto.
    pub fn veto_suffix(&self, i: usize) -> Option<Reading> {
        // "As a central jet veto, events with ... are rejected" names the cut that follows.
        if i > 0
            && self.is(
                i - 1,
                &[
                    "a",
                    "an",
                    "the",
                    "central",
                    "forward",
                    "additional",
                    "extra",
                ],
            )
        {
            return None;
        }
        let ((kind, _), e) = self.kind(i)?;
        let e = self.eat_any(e, &["veto", "vetoed"])?;
        if kind == Kind::Met {
            return None;
        }
        let e = self.opt(e, ":");
        // "Electron veto: no electrons" repeats itself.
        if let Some(mut r) = self.veto_phrase(e) {
            if r.stmts.iter().all(|s| matches!(s, Stmt::Cut(Cut::Count { target: Target::Objects { kind: k, .. }, .. }) if *k == kind)) {
                r.focus = Some(Focus { kind, n: Some(0), sys: None });
                return Some(r);
            }
        }
        let (filters, end) = self.filters(e, kind).unwrap_or((Vec::new(), e));
        let mut r = self.count_result(kind, filters, CountCmp::Exactly(0), end);
        r.focus = Some(Focus {
            kind,
            n: Some(0),
            sys: None,
        });
        Some(r)
    }
}
