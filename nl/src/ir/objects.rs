//! What cuts are about: object kinds, single objects, candidates and systems of objects.

use serde::{Deserialize, Serialize};

use super::PairRel;

/// Object kinds as analysis texts name them. `Lepton` means electron or muon (taus only when
/// named); `BJet` and `LightJet` are subsets of the selected jets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Kind {
    Electron,
    Muon,
    Lepton,
    Tau,
    Photon,
    Jet,
    BJet,
    LightJet,
    Met,
}

impl Kind {
    /// Every kind a collection can be made of (all but MET).
    pub const OBJECTS: [Kind; 8] = [
        Kind::Electron,
        Kind::Muon,
        Kind::Lepton,
        Kind::Tau,
        Kind::Photon,
        Kind::Jet,
        Kind::BJet,
        Kind::LightJet,
    ];

    /// Singular name used in canonical text.
    pub fn singular(self) -> &'static str {
        match self {
            Kind::Electron => "electron",
            Kind::Muon => "muon",
            Kind::Lepton => "lepton",
            Kind::Tau => "tau",
            Kind::Photon => "photon",
            Kind::Jet => "jet",
            Kind::BJet => "b-jet",
            Kind::LightJet => "light jet",
            Kind::Met => "MET",
        }
    }

    /// Plural name used in canonical text and as the collection's variable stem.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Electron => "electrons",
            Kind::Muon => "muons",
            Kind::Lepton => "leptons",
            Kind::Tau => "taus",
            Kind::Photon => "photons",
            Kind::Jet => "jets",
            Kind::BJet => "b-jets",
            Kind::LightJet => "light jets",
            Kind::Met => "MET",
        }
    }

    /// Prefix of indexed object names (`j1`, `l2`, `mu1`): short enough for formulas.
    pub fn symbol(self) -> &'static str {
        match self {
            Kind::Electron => "e",
            Kind::Muon => "mu",
            Kind::Lepton => "l",
            Kind::Tau => "tau",
            Kind::Photon => "ph",
            Kind::Jet => "j",
            Kind::BJet => "b",
            Kind::LightJet => "lj",
            Kind::Met => "MET",
        }
    }

    /// The collection a derived kind is drawn from (leptons from electrons and muons are
    /// handled by the caller): b-jets and light jets are selected jets.
    pub fn base(self) -> Kind {
        match self {
            Kind::BJet | Kind::LightJet => Kind::Jet,
            k => k,
        }
    }
}

/// The n-th object (0 = leading) of a selected collection, or the event's MET.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjRef {
    pub kind: Kind,
    pub index: usize,
}

impl ObjRef {
    /// The event's missing transverse momentum as an object.
    pub const MET: ObjRef = ObjRef {
        kind: Kind::Met,
        index: 0,
    };
}

/// A resonance candidate: the pair of selected objects of `kind` (with the charge/flavour
/// relation `rel`, if any) whose invariant mass is closest to `mass`. The Z candidate is
/// `{Lepton, Some(Sfos), 91.1876}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cand {
    pub kind: Kind,
    pub rel: Option<PairRel>,
    pub mass: f64,
}

/// Something with a four-vector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Sys {
    /// One object (MET enters as its transverse vector).
    Obj(ObjRef),
    /// The four-vector sum of several systems (never nested sums).
    Sum(Vec<Sys>),
    /// A resonance candidate pair.
    Cand(Cand),
    /// The `index`-th (by pT) member of a candidate pair.
    Leg(Cand, usize),
    /// The `index`-th object of the candidate's kind that is not in the pair: "the W lepton".
    Rest(Cand, usize),
    /// Every object of the selected collection, summed: "all selected jets".
    All(Kind),
    /// The object a per-object condition is about (inside [`Filter`]s and quantifiers).
    Each(Kind),
}

impl Sys {
    /// The kinds of object the system is built of.
    pub fn kinds(&self, out: &mut Vec<Kind>) {
        match self {
            Sys::Obj(o) => out.push(o.kind),
            Sys::Sum(v) => v.iter().for_each(|s| s.kinds(out)),
            Sys::Cand(c) | Sys::Leg(c, _) | Sys::Rest(c, _) => out.push(c.kind),
            Sys::All(k) | Sys::Each(k) => out.push(*k),
        }
    }

    /// The single objects a system is built of, in order (candidates and collections give
    /// none): what a restatement such as "with b1, b2 the two leading b-jets" must match.
    pub fn objects(&self) -> Vec<ObjRef> {
        match self {
            Sys::Obj(o) => vec![*o],
            Sys::Sum(v) => v.iter().flat_map(Sys::objects).collect(),
            _ => Vec::new(),
        }
    }
}
