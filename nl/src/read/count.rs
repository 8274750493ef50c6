//! Object phrases with a count or a veto, and object definitions: "exactly two muons with
//! pT > 20 GeV", "Nj ≥ 2", "at least two of them must be b-tagged", "no electron or muon
//! above 10 GeV", "veto b-jets", "Select jets with pT > 30 GeV", "μ: pT>27, |η|<2.4,
//! exactly one". What follows the objects ("of opposite charge", "whose invariant mass ...",
//! "the leading one above 100 GeV", "pT>25/20") attaches to them.

use crate::ir::{Cmp, CountCmp, Cut, Filter, Kind, Prop, Stmt, Target};

use super::base::{P, R};
use super::ctx::Focus;
use super::objects::Kinds;
use super::Reading;

impl P<'_> {
    /// "none of the jets may be close to it": a predicate the reader did not read follows the
    /// objects, so they are not simply counted.
    fn predicate_follows(&self, e: usize) -> bool {
        let verbs = self.skip_of(e, &["may", "can", "must", "should", "is", "are", "be"]);
        verbs > e
            && !(self.end(verbs)
                || self.is(
                    verbs,
                    &[
                        ",", ";", "and", ".", "required", "needed", "allowed", "present", "found",
                        "selected",
                    ],
                ))
    }

    /// "exactly 2", "at least two", "≥ 2", "no", "a", "two or more", "more than one".
    pub fn count_cmp(&self, i: usize) -> R<CountCmp> {
        let w = self.w(i);
        let (c, j) = match w {
            "exactly" | "==" | "=" | "only" => {
                let (n, j) = self.int(self.opt(i + 1, "only"))?;
                (CountCmp::Exactly(n), j)
            }
            ">=" => {
                let (n, j) = self.int(i + 1)?;
                (CountCmp::AtLeast(n), j)
            }
            "<=" => {
                let (n, j) = self.int(i + 1)?;
                (CountCmp::AtMost(n), j)
            }
            ">" => {
                let (n, j) = self.int(i + 1)?;
                (CountCmp::AtLeast(n + 1), j)
            }
            "<" => {
                let (n, j) = self.int(i + 1)?;
                (CountCmp::AtMost(n.checked_sub(1)?), j)
            }
            "no" | "zero" | "none" | "without" => (CountCmp::Exactly(0), i + 1),
            "a" | "an" | "any" if self.w(i + 1) == "single" => (CountCmp::Exactly(1), i + 2),
            "a" | "an" => (CountCmp::AtLeast(1), i + 1),
            "pair" if self.w(i + 1) != "of" => return None,
            _ => {
                let (n, j) = self.int(i)?;
                match self.w(j) {
                    "ormore" | "+" => (CountCmp::AtLeast(n), j + 1),
                    "orfewer" => (CountCmp::AtMost(n), j + 1),
                    _ => (CountCmp::Exactly(n), j),
                }
            }
        };
        Some((c, j))
    }

    /// A count of objects: "exactly two OS muons with pT > 20 GeV", "Nj ≥ 2", "==1 e
    /// (pt>20)", "at least two of them must be b-tagged", "0 jets w/ pT>30".
    pub fn count_phrase(&self, i: usize) -> Option<Reading> {
        // "a Higgs boson decaying to two photons" names a decay, not a selection.
        let decay = |k: usize| {
            self.is(
                k,
                &["decaying", "decays", "decay", "decayed", "going", "goes"],
            )
        };
        if i >= 2 && self.is(i - 1, &["to", "into"]) && decay(i - 2) {
            return None;
        }
        if let Some(r) = self.count_symbolic(i) {
            return Some(r);
        }
        // "Among the remaining jets exactly two must be b-tagged".
        if self.w(i) == "among" {
            let k = self.skip_of(
                i + 1,
                &[
                    "the",
                    "these",
                    "those",
                    "remaining",
                    "selected",
                    "surviving",
                ],
            );
            let ((kind, _), e) = self.kind(k)?;
            let (cmp, j) = self.count_cmp(e)?;
            let j = self.skip(j);
            return self.objects_with(j, kind, cmp, true);
        }
        let (cmp, j) = self.count_cmp(i)?;
        let (rel, j) = match self.pair_word(j) {
            Some((r, e)) => (Some(r), e),
            None => (None, j),
        };
        // "≥1 SFOS pair", "at least one same-flavour opposite-charge lepton pair".
        if let Some(rel) = rel {
            let (kind, k) = match self.kind(j) {
                Some(((kind, _), e)) => (kind, e),
                // "≥1 SFOS ℓℓ pair".
                None => (self.w(j) == "(")
                    .then(|| self.flavour_code(j))
                    .flatten()
                    .unwrap_or((Kind::Lepton, j)),
            };
            // (A code's "pair" is read with it: "SFOS ℓℓ pair".)
            let coded = self.w(j) == "(" && self.is(k - 1, &["pair", "pairs"]);
            if let Some(e) = self
                .eat_any(k, &["pair", "pairs", "combination", "combinations"])
                .or(coded.then_some(k))
            {
                let e = self.skip_of(
                    e,
                    &[
                        "must", "be", "present", "among", "them", "is", "are", "found", "required",
                        "of", "leptons",
                    ],
                );
                let stmts = vec![Stmt::Cut(Cut::Count {
                    target: Target::Pairs { kind, rel },
                    cmp,
                })];
                return Some(Reading::new(stmts, e));
            }
        }
        let such = self.w(j) == "such";
        let k = self.skip_of(
            j,
            &["such", "more", "selected", "additional", "extra", "other"],
        );
        let (kinds, e, elliptic) = match self.kinds(k) {
            Some((ks, e)) => (ks, e, false),
            None => {
                // "> 4" alone is not a count; "at least two of them" is.
                let symbol = self.is(i, &[">", "<", ">=", "<=", "==", "="])
                    && self.toks.get(i).is_some_and(|t| t.span.len() <= 3);
                if symbol
                    && !self.is(
                        self.skip_of(k, &["of", "among"]),
                        &["them", "which", "these", "those"],
                    )
                {
                    return None;
                }
                let (kind, e) = self.elliptic(k)?;
                // A bare number ("80", "a pair") counts the focus only when the words after
                // it say so: "two of them", "three are required".
                let bare = self.int(i).is_some() && j == i + 1;
                if bare
                    && e == k
                    && !self.is(k, &["is", "are", "must", "should", "required", "needed"])
                {
                    return None;
                }
                (
                    Kinds {
                        kinds: vec![kind],
                        plural: None,
                    },
                    e,
                    true,
                )
            }
        };
        let kind = kinds.one()?;
        if kind == Kind::Met || (cmp == CountCmp::AtLeast(1) && self.w(i) == "a" && elliptic) {
            return None;
        }
        // "four-lepton invariant mass", "the three-jet system": an adjective, not a count.
        if kinds.plural == Some(false)
            && matches!(cmp, CountCmp::Exactly(n) if n >= 2)
            && self.is(
                e,
                &[
                    "invmass",
                    "mass",
                    "m",
                    "system",
                    "pt",
                    "final",
                    "events",
                    "event",
                    "channel",
                    "topology",
                    "selection",
                    "sample",
                ],
            )
        {
            return None;
        }
        let mut r = self.objects_with(e, kind, cmp, elliptic)?;
        if cmp == CountCmp::Exactly(0) && self.predicate_follows(r.end) {
            return None;
        }
        if such {
            self.apply_such(&mut r, kind);
        }
        if let Some(rel) = rel {
            // "exactly 2 OS e, pT>25/20": the relation is said with the count, before what
            // attaches to it.
            let at = r
                .stmts
                .iter()
                .position(|s| matches!(s, Stmt::Cut(Cut::Count { .. })))
                .map_or(r.stmts.len(), |k| k + 1);
            let rels = self.relation_stmts(kind, cmp, rel);
            r.stmts.splice(at..at, rels);
        }
        Some(r)
    }

    /// `N(μ)==2`, `Nj≥4`, `N_b == 0`, "the number of jets is at least 2".
    fn count_symbolic(&self, i: usize) -> Option<Reading> {
        let j = self.skip_of(i, &["the"]);
        if !self.is(j, &["number", "n", "#", "multiplicity"]) {
            return None;
        }
        let (q, e) = self.atom(j, None)?;
        let crate::ir::Quantity::Count(kind, filters) = q else {
            return None;
        };
        let e = self.skip(e);
        let (cmp, e) = self.count_cmp(e)?;
        let mut e = self.btag_default_at(e, kind);
        let mut filters = filters;
        // "Nj ≥ 2 (pT > 30, |η| < 2.4)", "N(j) ≥ 2 with pT > 30".
        if let Some((fs, e2)) = self.filters(e, kind).filter(|_| self.is(e, &["(", "with"])) {
            filters.extend(fs);
            e = e2;
        }
        let mut r = self.count_result(kind, filters, cmp, e);
        r.focus = Some(Focus {
            kind,
            n: exact(cmp),
            sys: None,
        });
        Some(r)
    }

    /// "no such jet": the count takes the conditions the jets were just counted with.
    fn apply_such(&self, r: &mut Reading, kind: Kind) {
        let Some((k, fs)) = &self.ctx.such else {
            return;
        };
        if *k != kind {
            return;
        }
        for s in r.stmts.iter_mut() {
            if let Stmt::Cut(Cut::Count {
                target: Target::Objects { filters, .. },
                ..
            }) = s
            {
                if filters.is_empty() {
                    *filters = fs.clone();
                }
            }
        }
    }

    /// "(btag ≥ 1)" after a b-jet count restates the default working point.
    fn btag_default_at(&self, i: usize, kind: Kind) -> usize {
        let ok = kind == Kind::BJet
            && self.w(i) == "("
            && self.w(i + 1) == "btag"
            && self.is(i + 2, &[">=", "="])
            && self.w(i + 3) == "1"
            && self.w(i + 4) == ")";
        if ok {
            i + 5
        } else {
            i
        }
    }

    /// "of them", "of which", "of these", "are required": a count of the focus kind.
    fn elliptic(&self, k: usize) -> R<Kind> {
        let f = self.ctx.focus.as_ref()?;
        let j = self.skip_of(k, &["of", "among"]);
        let j = self.skip_of(j, &["them", "which", "these", "those", "the", "such"]);
        // "one of the two leading jets" picks an object; it counts nothing.
        if self.number(j).is_some() || crate::lexicon::ordinal(self.w(j)).is_some() {
            return None;
        }
        let j = self.skip_of(j, &["selected", "remaining", "surviving"]);
        if let Some(((kind, _), e)) = self.kind(j) {
            return (kind.base() == f.kind.base() || kind == f.kind).then_some((kind, e));
        }
        let ok = j > k
            || self.end(k)
            || self.is(
                k,
                &[
                    "is", "are", "must", "should", "may", "can", "required", "needed", "of", ",",
                ],
            );
        ok.then_some((f.kind, j))
    }

    /// The rest of a count: conditions on the objects and what attaches to them.
    fn objects_with(&self, e: usize, kind: Kind, cmp: CountCmp, elliptic: bool) -> Option<Reading> {
        let mut filters = Vec::new();
        let mut e = e;
        if let Some((fs, k)) = self.filters(e, kind) {
            filters = fs;
            e = k;
        }
        // "at least two of them must be b-tagged".
        let k = self.skip(e);
        let counted = kind;
        let mut kind = kind;
        if let Some((fs, k2)) = self.tag_predicate(k, kind) {
            // The tag is a property of jets: "of which two are light" counts light jets.
            kind = Kind::Jet;
            filters.extend(fs);
            e = self.btag_default_at(k2, Kind::BJet);
        }
        let (kind, filters) = tag_kind(kind, filters);
        let mut r = self.count_result(kind, filters, cmp, e);
        r.focus = Some(Focus {
            kind,
            n: exact(cmp),
            sys: None,
        });
        if !elliptic || cmp != CountCmp::Exactly(0) {
            self.attach(&mut r, kind, cmp);
        }
        // "of which at least one is b-tagged and at least two are light": a tagged subset of
        // the focus leaves the focus on the whole set.
        if elliptic && kind != counted {
            r.focus = self.ctx.focus.clone();
        }
        Some(r)
    }

    /// "at least six jets, with at least two carrying a b-tag": a tagged subset of what was
    /// just counted.
    pub fn tagged_subcount(&self, j: usize, kind: Kind) -> Option<(Vec<Stmt>, usize)> {
        if kind.base() != Kind::Jet {
            return None;
        }
        let kind = Kind::Jet;
        let (cmp, k) = self.count_cmp(j)?;
        let k = self.skip_of(k, &["of", "them", "these", "those"]);
        let (fs, e) = self.tag_predicate(k, kind)?;
        let (tagged, fs) = tag_kind(kind, fs);
        let e = self.btag_default_at(e, Kind::BJet);
        Some((
            vec![Stmt::Cut(Cut::Count {
                target: Target::Objects {
                    kind: tagged,
                    filters: fs,
                },
                cmp,
            })],
            e,
        ))
    }

    /// "b-tagged", "be b-tagged", "carry a b-tag", "are light".
    fn tag_predicate(&self, i: usize, kind: Kind) -> R<Vec<Filter>> {
        if kind.base() != Kind::Jet {
            return None;
        }
        let j = self.skip_of(
            self.skip(i),
            &[
                "be",
                "is",
                "are",
                "carry",
                "carries",
                "carrying",
                "a",
                "have",
                "has",
                "having",
                "identified",
                "as",
                "tagged",
                "must",
                "may",
            ],
        );
        let (cmp, e) = match self.w(j) {
            "btagged" | "btag" | "btags" => (Cmp::Ge(1.0), j + 1),
            "b" if self.is(j + 1, &["jet", "jets", "tag", "tagged"]) => (Cmp::Ge(1.0), j + 2),
            // "at least two are light (untagged) jets".
            "light" | "untagged" => match self.kind(j) {
                Some(((Kind::LightJet, _), e)) => (Cmp::Lt(1.0), e),
                _ => (Cmp::Lt(1.0), j + 1),
            },
            "not" if self.w(j + 1) == "btagged" => (Cmp::Lt(1.0), j + 2),
            _ => return None,
        };
        Some((vec![Filter::prop(Kind::Jet, Prop::Btag, cmp)], e))
    }

    /// A count with conditions defines the collection the first time a kind is mentioned
    /// and counts a subset of it afterwards.
    pub fn count_result(
        &self,
        kind: Kind,
        filters: Vec<Filter>,
        cmp: CountCmp,
        end: usize,
    ) -> Reading {
        // "no electron with pT > 10 GeV" counts among all electrons; it selects none.
        let definable =
            !matches!(kind, Kind::BJet | Kind::LightJet | Kind::Met) && cmp != CountCmp::Exactly(0);
        let stmts = if !filters.is_empty() && definable && !self.ctx.is_defined(kind) {
            vec![
                Stmt::Select { kind, filters },
                Stmt::Cut(Cut::Count {
                    target: Target::Objects {
                        kind,
                        filters: Vec::new(),
                    },
                    cmp,
                }),
            ]
        } else {
            vec![Stmt::Cut(Cut::Count {
                target: Target::Objects { kind, filters },
                cmp,
            })]
        };
        Reading::new(stmts, end)
    }

    /// A veto: "veto b-jets", "no electron or muon above 10 GeV", "events with any electron
    /// with pT > 10 GeV are rejected", "Jets with pT > 30 GeV are vetoed", "b-veto".
    pub fn veto_phrase(&self, i: usize) -> Option<Reading> {
        let j = self.skip_of(
            i,
            &[
                "events",
                "event",
                "with",
                "containing",
                "that",
                "have",
                "has",
            ],
        );
        let lead = self.eat_any(
            j,
            &[
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
                "no",
                "without",
                "none",
            ],
        );
        let mut k = lead.unwrap_or(j);
        if lead.is_some() && self.w(j) != "no" {
            k = self.skip_of(
                k,
                &[
                    "events",
                    "event",
                    "with",
                    "containing",
                    "that",
                    "have",
                    "has",
                    "if",
                    "there",
                    "is",
                    "are",
                    "any",
                    "a",
                    "an",
                    "of",
                ],
            );
        } else {
            k = self.skip_of(k, &["any", "a", "an", "of", "the"]);
        }
        // "there must be no b-tag among the selected jets".
        if lead.is_some() && self.is(k, &["btag", "btags"]) {
            let m = self.skip_of(k + 1, &["among", "in", "of", "the", "selected"]);
            if let Some(((Kind::Jet, _), e)) = self.kind(m).filter(|_| m > k + 1) {
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
                return Some(r);
            }
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
        let mut e = e;
        let mut filters = Vec::new();
        if let Some((fs, k2)) = self.filters(e, kind) {
            filters = fs;
            e = k2;
        }
        // "... are rejected", "... are vetoed", "may be present": the verb after the objects.
        let after = self.skip_of(
            e,
            &[
                "are", "is", "be", "must", "should", "will", "the", "event", "events",
            ],
        );
        let trailing = self
            .eat_any(
                after,
                &[
                    "rejected",
                    "vetoed",
                    "discarded",
                    "removed",
                    "excluded",
                    "dropped",
                ],
            )
            .or_else(|| {
                // "any such lepton vetoes the event".
                let k = self.eat_any(after, &["vetoes", "rejects", "kills", "vetos"])?;
                Some(self.skip_of(k, &["the", "event", "events"]))
            });
        let trailing = trailing.or_else(|| {
            let a = self.skip_of(
                e,
                &[
                    "may", "can", "is", "are", "allowed", "present", "be", "found", "in", "the",
                    "event",
                ],
            );
            // "no jet may be close to it" is a condition, not a veto of every jet.
            let closed = self.end(a) || self.is(a, &[",", ";", "and", "."]);
            (lead.is_some() && a > e && closed).then_some(a)
        });
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

    /// "b-jets are the jets with btag ≥ 1", "count those with btag ≥ 1 as b-jets", "light
    /// jets those with btag < 1": the b-tag convention restated. Any other working point is
    /// not this convention and stays unread.
    pub fn btag_convention(&self, i: usize) -> Option<Reading> {
        const FILL: &[&str] = &[
            "are",
            "is",
            "the",
            "those",
            "ones",
            "with",
            "count",
            "counted",
            "as",
            "call",
            "called",
            "we",
            "define",
            "defined",
            "treat",
            "treated",
            "considered",
            "taken",
            "a",
            "an",
            "that",
            "which",
            "have",
            "has",
            "all",
            "selected",
            "jets",
            "jet",
            "and",
        ];
        let mut tagged = None;
        let mut cmp = None;
        let mut j = i;
        while !self.end(j) && !self.is(j, &[",", ";"]) {
            if self.w(j) == "btag" {
                let ((c, _), e) = self.cmp(j + 1)?;
                cmp = Some(c);
                j = e;
                continue;
            }
            match self.kind(j) {
                Some(((k @ (Kind::BJet | Kind::LightJet), _), e))
                    if tagged.is_none_or(|t| t == k) =>
                {
                    tagged = Some(k);
                    j = e;
                    continue;
                }
                _ => {}
            }
            if !self.is(j, FILL) {
                break;
            }
            j += 1;
        }
        let said = match (tagged?, cmp?) {
            (Kind::BJet, Cmp::Ge(x)) | (Kind::LightJet, Cmp::Lt(x)) => x == 1.0,
            (Kind::BJet, Cmp::Gt(x)) | (Kind::LightJet, Cmp::Le(x)) => x == 0.0 || x == 0.5,
            _ => false,
        };
        said.then(|| Reading::new(vec![Stmt::Note(crate::ir::Note::Description)], j))
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

    /// An object definition: "Select muons with pT > 20 GeV", "Jets: pT > 30, |η| < 2.5",
    /// "Electrons and muons are required to have pT > 25 GeV", "μ pT>20 |η|<2.4", "ℓ = e/μ:
    /// pT>25", "Leptons are electrons or muons with pT > 25 GeV".
    pub fn select_phrase(&self, i: usize) -> Option<Reading> {
        let (kinds, e) = self.kinds(i)?;
        if kinds.kinds.contains(&Kind::Met) {
            return None;
        }
        let colon = self.is(e, &[":", "="]);
        let mut j = self.skip_of(
            e,
            &[
                ":",
                "=",
                "are",
                "is",
                "must",
                "should",
                "will",
                "be",
                "selected",
                "required",
                "taken",
                "chosen",
                "considered",
                "reconstructed",
                "defined",
                "need",
                "needs",
                "to",
                "have",
                "has",
                "with",
                "w/",
                "having",
                "satisfying",
                "counted",
                "kept",
                "used",
                "accepted",
            ],
        );
        // "Leptons are electrons or muons with ...".
        if kinds.kinds == [Kind::Lepton] {
            if let Some((ks, k)) = self.kinds(j) {
                if ks.kinds == [Kind::Lepton] {
                    j = self.skip_of(k, &["with", "w/", "having", "that", "have"]);
                }
            }
        }
        let bare_symbol = kinds.plural.is_none();
        // "τ pT>25 |η|<2.3", "muon pT > 20": a kind and its conditions, tersely.
        let terse = kinds.plural == Some(false)
            && self.prop_term(e, kinds.kinds[0]).is_some()
            && i == self.skip_of(i, &["the"]);
        if kinds.plural == Some(false) && !colon && !terse && !self.singular_definition(e) {
            return None;
        }
        // "b-jets are the jets with btag ≥ 1": the convention, restated.
        if kinds.kinds == [Kind::BJet] || kinds.kinds == [Kind::LightJet] {
            let k = self.skip_of(j, &["the", "those", "jets", "with", "having"]);
            if let Some((fs, e2)) = self.filters(k, Kind::Jet) {
                let default = fs.len() == 1
                    && fs[0].as_prop() == Some(Prop::Btag)
                    && (fs[0].cmp == Cmp::Ge(1.0) && kinds.kinds == [Kind::BJet]
                        || fs[0].cmp == Cmp::Lt(1.0) && kinds.kinds == [Kind::LightJet]);
                if default {
                    return Some(Reading::new(
                        vec![Stmt::Note(crate::ir::Note::Description)],
                        e2,
                    ));
                }
            }
        }
        let base = kinds.kinds[0];
        let (filters, mut end) = self.filters(j, base)?;
        if bare_symbol && !colon && filters.is_empty() {
            return None;
        }
        let mut stmts: Vec<Stmt> = Vec::new();
        let (filters, removals) = split_overlaps(base, filters);
        for k in &kinds.kinds {
            let fs = filters.iter().map(|f| retarget(f, *k)).collect();
            stmts.push(Stmt::Select {
                kind: *k,
                filters: fs,
            });
        }
        stmts.extend(removals);
        let kind = if kinds.kinds.len() > 1 {
            Kind::Lepton
        } else {
            base
        };
        let mut r = Reading::new(stmts, end);
        r.focus = Some(Focus {
            kind,
            n: None,
            sys: None,
        });
        // "μ: pT>27, |η|<2.4, exactly one", ", of which exactly one is required".
        let k = self.skip(self.skip_of(end, &[",", ";", "and", "of", "which", "among", "them"]));
        if let Some((cmp, e2)) = self.count_cmp(k) {
            let e2 = self.skip_of(e2, &["such", "of", "them", "these"]);
            let e2 = match self.kind(e2) {
                Some(((k2, _), e3)) if k2 == kind => e3,
                // "..., and no b-tagged jets": another phrase.
                Some(_) => return Some(r),
                None => e2,
            };
            let e2 = self.skip(e2);
            if !(self.end(e2) || self.is(e2, &[",", ";", "and"])) {
                return Some(r);
            }
            r.stmts.push(Stmt::Cut(Cut::Count {
                target: Target::Objects {
                    kind,
                    filters: Vec::new(),
                },
                cmp,
            }));
            r.focus = Some(Focus {
                kind,
                n: exact(cmp),
                sys: None,
            });
            end = e2;
            r.end = end;
        }
        Some(r)
    }

    /// "(electrons ... and muons ...) form the lepton collection": the convention that
    /// leptons are the selected electrons and muons, restated.
    pub fn lepton_collection(&self, i: usize) -> Option<Reading> {
        let k = self.eat_any(
            i,
            &["form", "forms", "make", "constitute", "are", "together"],
        )?;
        let k = self.skip_of(k, &["up", "together", "form", "the", "our"]);
        let ((kind, _), e) = self.kind(k)?;
        let both =
            self.ctx.defined.contains(&Kind::Electron) && self.ctx.defined.contains(&Kind::Muon);
        if kind != Kind::Lepton || !both {
            return None;
        }
        let e = self.skip_of(e, &["collection", "candidates", "set"]);
        let mut r = Reading::new(Vec::new(), e);
        r.defines = true;
        Some(r)
    }

    /// "Photon candidates are required to ...": a singular kind word with "candidates" names
    /// the kind in general.
    fn singular_definition(&self, e: usize) -> bool {
        self.is(e, &["candidates", "objects"])
    }
}

/// The count the focus remembers: "exactly two" is two, "at least two" is not a number.
pub fn exact(cmp: CountCmp) -> Option<usize> {
    match cmp {
        CountCmp::Exactly(n) => Some(n),
        CountCmp::AtLeast(n) => Some(n),
        CountCmp::AtMost(_) => None,
    }
}

/// "jets with dR(jet, μ) > 0.4 to every selected muon" is overlap removal: the filters
/// without it, and the removal.
pub fn split_overlaps(kind: Kind, filters: Vec<Filter>) -> (Vec<Filter>, Vec<Stmt>) {
    use crate::ir::{Delta, Quantity, Sys};
    let mut keep = Vec::new();
    let mut removals = Vec::new();
    for f in filters {
        match (&f.q, f.cmp) {
            (
                Quantity::Delta(Delta::R, Sys::Each(_), Sys::All(near)),
                Cmp::Gt(dr) | Cmp::Ge(dr),
            ) => {
                removals.push(Stmt::Overlap {
                    remove: kind,
                    near: *near,
                    first: None,
                    dr,
                });
            }
            _ => keep.push(f),
        }
    }
    (keep, removals)
}

/// Jets counted with only a b-tag condition are b-jets (or light jets).
fn tag_kind(kind: Kind, filters: Vec<Filter>) -> (Kind, Vec<Filter>) {
    if kind == Kind::Jet && filters.len() == 1 && filters[0].as_prop() == Some(Prop::Btag) {
        match filters[0].cmp {
            Cmp::Ge(1.0) => return (Kind::BJet, Vec::new()),
            Cmp::Lt(1.0) => return (Kind::LightJet, Vec::new()),
            _ => {}
        }
    }
    (kind, filters)
}

/// A filter written for one kind, applied to another ("electrons and muons with ...").
pub fn retarget(f: &Filter, kind: Kind) -> Filter {
    use crate::ir::{Quantity, Sys};
    let q = match &f.q {
        Quantity::Prop(p, Sys::Each(_)) => Quantity::Prop(*p, Sys::Each(kind)),
        q => q.clone(),
    };
    Filter { q, cmp: f.cmp }
}
