//! Object phrases with a count or a veto, and object definitions: "exactly two muons with
//! pT > 20 GeV", "Nj ≥ 2", "at least two of them must be b-tagged", "no electron or muon
//! above 10 GeV", "veto b-jets", "Select jets with pT > 30 GeV", "μ: pT>27, |η|<2.4,
//! exactly one". What follows the objects ("of opposite charge", "whose invariant mass ...",
//! "the leading one above 100 GeV", "pT>25/20") attaches to them.

mod removal;
mod select;
mod tags;
mod veto;

use crate::ir::{CountCmp, Cut, Filter, Kind, PairRel, Stmt, Target};

use super::base::{P, R};
use super::ctx::Focus;
use super::objects::Kinds;
use super::Reading;
use tags::tag_kind;

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
            // "max 2 jets", "min. 3 leptons".
            "max" | "maximum" => {
                let (n, j) = self.int(self.opt(i + 1, "of"))?;
                (CountCmp::AtMost(n), j)
            }
            "min" | "minimum" => {
                let (n, j) = self.int(self.opt(i + 1, "of"))?;
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
        if self.w(i) == "among" {
            return self.among(i);
        }
        let (cmp, j) = self.count_cmp(i)?;
        let (rel, j) = match self.pair_word(j) {
            Some((r, e)) => (Some(r), e),
            None => (None, j),
        };
        if let Some(r) = rel.and_then(|rel| self.pair_count(j, cmp, rel)) {
            return Some(r);
        }
        let such = self.w(j) == "such";
        let k = self.skip_of(
            j,
            &["such", "more", "selected", "additional", "extra", "other"],
        );
        let (kinds, e, elliptic) = self.counted_kinds(i, j, k)?;
        let kind = kinds.one()?;
        // "2 jets or more", "three leptons exactly": the bound said after the objects.
        let bare = self.int(i).is_some();
        let (cmp, e) = match (cmp, self.w(e)) {
            (CountCmp::Exactly(n), "ormore") if bare => (CountCmp::AtLeast(n), e + 1),
            (CountCmp::Exactly(n), "orfewer") if bare => (CountCmp::AtMost(n), e + 1),
            (CountCmp::Exactly(_), "exactly") if bare => (cmp, e + 1),
            _ => (cmp, e),
        };
        if kind == Kind::Met || (cmp == CountCmp::AtLeast(1) && self.w(i) == "a" && elliptic) {
            return None;
        }
        if self.is_adjective(&kinds, cmp, e) {
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

    /// "Among the remaining jets exactly two must be b-tagged": the objects named first, then
    /// the count of them.
    fn among(&self, i: usize) -> Option<Reading> {
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
        self.objects_with(j, kind, cmp, true)
    }

    /// "≥1 SFOS pair", "at least one same-flavour opposite-charge lepton pair": a count of
    /// pairs, when the relation is followed by a pair word.
    fn pair_count(&self, j: usize, cmp: CountCmp, rel: PairRel) -> Option<Reading> {
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
        let e = self
            .eat_any(k, &["pair", "pairs", "combination", "combinations"])
            .or(coded.then_some(k))?;
        let e = self.skip_of(
            e,
            &[
                "must", "be", "present", "among", "them", "is", "are", "found", "required", "of",
                "leptons",
            ],
        );
        let stmts = vec![Stmt::Cut(Cut::Count {
            target: Target::Pairs { kind, rel },
            cmp,
        })];
        Some(Reading::new(stmts, e))
    }

    /// The objects counted from `k` (the count read from `i` to `j`): kind words, or the
    /// focus kind for "two of them"; and whether they were elliptic.
    fn counted_kinds(&self, i: usize, j: usize, k: usize) -> Option<(Kinds, usize, bool)> {
        if let Some((ks, e)) = self.kinds(k) {
            return Some((ks, e, false));
        }
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
        // A bare number ("80", "a pair") counts the focus only when the words after it say
        // so: "two of them", "three are required".
        let bare = self.int(i).is_some() && j == i + 1;
        if bare && e == k && !self.is(k, &["is", "are", "must", "should", "required", "needed"]) {
            return None;
        }
        let kinds = Kinds {
            kinds: vec![kind],
            plural: None,
        };
        Some((kinds, e, true))
    }

    /// "four-lepton invariant mass", "the three-jet system": a number before a singular kind
    /// word is an adjective, not a count.
    fn is_adjective(&self, kinds: &Kinds, cmp: CountCmp, e: usize) -> bool {
        kinds.plural == Some(false)
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
    }

    /// `N(μ)==2`, `Nj≥4`, `N_b == 0`, "the number of jets is at least 2", "a jet multiplicity of
    /// at most 4".
    fn count_symbolic(&self, i: usize) -> Option<Reading> {
        let j = self.skip_of(i, &["the"]);
        let (q, e) = self.atom(j, None)?;
        // "the jet multiplicity of at most 4" names the count after the kind.
        let named_after = self.is(e - 1, &["multiplicity", "multiplicities", "count"]);
        if !self.is(j, &["number", "n", "#", "multiplicity"]) && !named_after {
            return None;
        }
        let crate::ir::Quantity::Count(kind, filters) = q else {
            return None;
        };
        let e = self.skip(e);
        let e = if named_after { self.opt(e, "of") } else { e };
        let Some((cmp, e)) = self.count_cmp(e) else {
            return self.count_range(kind, filters, e);
        };
        let e = self.btag_default_at(e, kind);
        let (filters, e) = self.counted_with(filters, e, kind);
        let mut r = self.count_result(kind, filters, cmp, e);
        r.focus = Some(Focus {
            kind,
            n: exact(cmp),
            sys: None,
        });
        Some(r)
    }

    /// `njets in [2, 4]`, "N_j between 2 and 4": a range of counts, which includes its
    /// ends (a count of 2 to 4 jets keeps events with 2, 3 or 4) unless it is written open,
    /// `(2, 4)`.
    fn count_range(&self, kind: Kind, filters: Vec<Filter>, i: usize) -> Option<Reading> {
        let (a, b, e) = match self.cmp(i) {
            Some(((crate::ir::Cmp::Between(a, b), false), e)) => (a, b, e),
            Some(_) => return None,
            // ("in" was skipped before the brackets.)
            None => {
                let ((a, b, unit), e) = self.range(i)?;
                if unit {
                    return None;
                }
                (a, b, e)
            }
        };
        let whole = |v: f64| v >= 0.0 && v.fract() == 0.0;
        if !whole(a) || !whole(b) {
            return None;
        }
        // "(2, 4)" leaves its ends out, as in mathematics.
        let open_low = (i..e)
            .find(|&k| self.is(k, &["(", "["]))
            .map(|k| self.w(k) == "(");
        let (a, b) = (a as usize, b as usize);
        let low = if open_low == Some(true) { a + 1 } else { a };
        let high = if self.w(e - 1) == ")" {
            b.checked_sub(1)?
        } else {
            b
        };
        let (filters, e) = self.counted_with(filters, e, kind);
        let mut r = self.count_result(kind, filters.clone(), CountCmp::AtLeast(low), e);
        let most = self.count_result(kind, filters, CountCmp::AtMost(high), e);
        r.stmts
            .extend(most.stmts.into_iter().filter(|s| matches!(s, Stmt::Cut(_))));
        Some(r)
    }

    /// Conditions on what was counted, after the count: "Nj ≥ 2 (pT > 30, |η| < 2.4)",
    /// "N(j) ≥ 2 with pT > 30", "njets in [2, 4] with pT > 30".
    fn counted_with(&self, mut filters: Vec<Filter>, e: usize, kind: Kind) -> (Vec<Filter>, usize) {
        match self.filters(e, kind).filter(|_| self.is(e, &["(", "with"])) {
            Some((fs, e2)) => {
                filters.extend(fs);
                (filters, e2)
            }
            None => (filters, e),
        }
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
}

/// The count the focus remembers: "exactly two" is two, "at least two" is not a number.
pub fn exact(cmp: CountCmp) -> Option<usize> {
    match cmp {
        CountCmp::Exactly(n) => Some(n),
        CountCmp::AtLeast(n) => Some(n),
        CountCmp::AtMost(_) => None,
    }
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
