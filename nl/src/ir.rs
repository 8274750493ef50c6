//! The typed analysis the phrase grammar produces and the code generator consumes.
//!
//! Every statement a bullet is read as is a [`Stmt`]; the assembled [`Analysis`] keeps the
//! object definitions, the ordered cuts, the plots and the saved features. All of it is plain
//! serialisable data so the reading can be shown, stored and compared in tests.

use serde::{Deserialize, Serialize};

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
}

/// A per-object property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Prop {
    Pt,
    Eta,
    AbsEta,
    Phi,
    Energy,
    Mass,
    Charge,
    Ntrk,
    /// Raw b-tag column, for working points other than the default (`btag >= 2` is PGS tight).
    Btag,
}

impl Prop {
    /// Canonical spelling.
    pub fn name(self) -> &'static str {
        match self {
            Prop::Pt => "pT",
            Prop::Eta => "eta",
            Prop::AbsEta => "|eta|",
            Prop::Phi => "phi",
            Prop::Energy => "E",
            Prop::Mass => "m",
            Prop::Charge => "q",
            Prop::Ntrk => "ntrk",
            Prop::Btag => "btag",
        }
    }

    /// Whether values carry GeV (thresholds get a unit in canonical text).
    pub fn has_gev(self) -> bool {
        matches!(self, Prop::Pt | Prop::Energy | Prop::Mass)
    }
}

/// A comparison against constants. Strict unless the text says "at least"/"at most"/">=".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Cmp {
    Gt(f64),
    Ge(f64),
    Lt(f64),
    Le(f64),
    Eq(f64),
    /// a < x < b.
    Between(f64, f64),
    /// not (a < x < b), e.g. a crack exclusion.
    Outside(f64, f64),
    /// |x − center| < width.
    Within {
        center: f64,
        width: f64,
    },
}

/// One predicate of an object collection.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Filter {
    pub prop: Prop,
    pub cmp: Cmp,
}

/// The n-th object (0 = leading) of a selected collection, or the event's MET.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ObjRef {
    pub kind: Kind,
    pub index: usize,
}

/// Something with a four-vector: one object, a sum of objects (MET enters sums as its
/// transverse vector), or the same-flavour opposite-sign pair closest to the Z mass.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sys {
    Obj(ObjRef),
    Sum(Vec<ObjRef>),
    /// SFOS pair of this kind (lepton, electron or muon) with mass closest to m_Z.
    Z(Kind),
}

/// Angular separations between two systems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Delta {
    R,
    Phi,
    Eta,
}

/// Arithmetic between quantities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

impl Op {
    /// The operator as written in canonical text and in Rust.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
        }
    }
}

/// A per-event number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Quantity {
    Met,
    /// Scalar pT sum of the selected jets.
    Ht,
    Count(Kind),
    Prop(Prop, Sys),
    /// MT(system, MET).
    Mt(Sys),
    Delta(Delta, Sys, Sys),
    Bin(Op, Box<Quantity>, Box<Quantity>),
    /// Square root, for significances such as MET / sqrt(HT).
    Sqrt(Box<Quantity>),
}

/// How many objects (or pairs) a count cut asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CountCmp {
    Exactly(usize),
    AtLeast(usize),
    AtMost(usize),
}

/// Charge/flavour relations of two objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PairRel {
    /// q1·q2 < 0.
    Os,
    /// q1·q2 > 0.
    Ss,
    /// Same type.
    Sf,
    /// Same type and q1·q2 < 0.
    Sfos,
}

/// What a count cut counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Target {
    /// Selected objects of a kind, optionally with extra predicates.
    Objects { kind: Kind, filters: Vec<Filter> },
    /// Pairs of selected objects of a kind with a charge/flavour relation.
    Pairs { kind: Kind, rel: PairRel },
}

/// One event-level cut, applied in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cut {
    Count { target: Target, cmp: CountCmp },
    Value { q: Quantity, cmp: Cmp },
    Pair { a: ObjRef, b: ObjRef, rel: PairRel },
}

/// A histogram request; `None` fields take the global setting or a physics default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plot {
    pub q: Quantity,
    pub bins: Option<usize>,
    pub range: Option<(f64, f64)>,
    pub normalised: bool,
}

/// What one bullet (or clause) says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Stmt {
    /// Object definition: the selected collection of a kind.
    Select {
        kind: Kind,
        filters: Vec<Filter>,
    },
    /// Drop objects of `remove` within ΔR < `dr` of any selected `near` object.
    Overlap {
        remove: Kind,
        near: Kind,
        dr: f64,
    },
    Cut(Cut),
    Plot(Plot),
    Feature(Quantity),
    /// "Each histogram should have N bins".
    AllBins(usize),
    /// "Normalise all histograms to unity".
    AllNormalised,
    /// Settings that are always on (LaTeX labels, PNG files, the cutflow display) or list
    /// headers ("plot the following"); kept so the echo shows they were read.
    Note(Note),
}

/// Acknowledged instructions that need no code of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Note {
    LatexLabels,
    PngPlots,
    ShowCutflow,
    PlotsFollow,
    FeaturesFollow,
}

/// The assembled analysis.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Analysis {
    /// Object definitions and overlap removals, in text order (`Select`/`Overlap` only).
    pub objects: Vec<Stmt>,
    pub cuts: Vec<Cut>,
    pub plots: Vec<Plot>,
    pub features: Vec<Quantity>,
}
