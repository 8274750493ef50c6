//! Object definitions: "Select muons with pT > 20 GeV", "Jets: pT > 30, |η| < 2.5", "μ:
//! pT>27, |η|<2.4, exactly one", and the lepton collection restated.

use crate::ir::{Cmp, Cut, Filter, Kind, Prop, Stmt, Target};
use crate::read::base::P;
use crate::read::ctx::Focus;
use crate::read::objects::Kinds;
use crate::read::Reading;

use super::{exact, retarget};

/// Words between the kinds and their conditions in a definition: "are required to have",
/// "must be selected with".
const SELECT_VERBS: &[&str] = &[
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
];

impl P<'_> {
    /// An object definition: "Select muons with pT > 20 GeV", "Jets: pT > 30, |η| < 2.5",
    /// "Electrons and muons are required to have pT > 25 GeV", "μ pT>20 |η|<2.4", "ℓ = e/μ:
    /// pT>25", "Leptons are electrons or muons with pT > 25 GeV".
    pub fn select_phrase(&self, i: usize) -> Option<Reading> {
        let (kinds, e) = self.kinds(i)?;
        if kinds.kinds.contains(&Kind::Met) {
            return None;
        }
        let colon = self.is(e, &[":", "="]);
        let mut j = self.skip_of(e, SELECT_VERBS);
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
        if let Some(r) = self.btag_restated(&kinds, j) {
            return Some(r);
        }
        let base = kinds.kinds[0];
        // "b-jets: 2 or more", "muons: exactly two": a count under the kind's name.
        if colon {
            if let Some(r) = self.labelled_count(&kinds, self.skip_of(e + 1, &["the"])) {
                return Some(r);
            }
        }
        let (filters, end) = self.filters(j, base)?;
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
        self.count_after_definition(&mut r, kind);
        Some(r)
    }

    /// A count after a kind and a colon, closing the clause: "b-jets: 2 or more".
    fn labelled_count(&self, kinds: &Kinds, j: usize) -> Option<Reading> {
        let kind = kinds.one()?;
        let (cmp, e) = self.count_cmp(j)?;
        if !(self.end(e) || self.is(e, &[",", ";", "."])) {
            return None;
        }
        let stmts = vec![Stmt::Cut(Cut::Count {
            target: Target::Objects {
                kind,
                filters: Vec::new(),
            },
            cmp,
        })];
        let mut r = Reading::new(stmts, e);
        r.focus = Some(Focus {
            kind,
            n: exact(cmp),
            sys: None,
        });
        Some(r)
    }

    /// "b-jets are the jets with btag ≥ 1": the convention, restated by a definition.
    fn btag_restated(&self, kinds: &Kinds, j: usize) -> Option<Reading> {
        if kinds.kinds != [Kind::BJet] && kinds.kinds != [Kind::LightJet] {
            return None;
        }
        let k = self.skip_of(j, &["the", "those", "jets", "with", "having"]);
        let (fs, e2) = self.filters(k, Kind::Jet)?;
        let default = fs.len() == 1
            && fs[0].as_prop() == Some(Prop::Btag)
            && (fs[0].cmp == Cmp::Ge(1.0) && kinds.kinds == [Kind::BJet]
                || fs[0].cmp == Cmp::Lt(1.0) && kinds.kinds == [Kind::LightJet]);
        default.then(|| Reading::new(vec![Stmt::Note(crate::ir::Note::Description)], e2))
    }

    /// "μ: pT>27, |η|<2.4, exactly one", ", of which exactly one is required": a count of the
    /// objects just defined, added to the definition's reading.
    fn count_after_definition(&self, r: &mut Reading, kind: Kind) {
        let k = self.skip(self.skip_of(r.end, &[",", ";", "and", "of", "which", "among", "them"]));
        let Some((cmp, e2)) = self.count_cmp(k) else {
            return;
        };
        let e2 = self.skip_of(e2, &["such", "of", "them", "these"]);
        let e2 = match self.kind(e2) {
            Some(((k2, _), e3)) if k2 == kind => e3,
            // "..., and no b-tagged jets": another phrase.
            Some(_) => return,
            None => e2,
        };
        let e2 = self.skip(e2);
        if !(self.end(e2) || self.is(e2, &[",", ";", "and"])) {
            return;
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
        r.end = e2;
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
