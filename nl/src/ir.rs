//! The typed analysis the reader produces and the code generator consumes.
//!
//! Every clause is read as [`Stmt`]s; the assembled [`Analysis`] keeps the object definitions,
//! the ordered cuts, the plots and the saved features. Quantities are expression trees
//! ([`Quantity`]) over per-event numbers, so "MET / sqrt(HT)" or "exp(|Δη_jj|)" is data, not
//! text. All of it is plain serialisable data so a reading can be shown, stored and compared.

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

/// A per-object property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Prop {
    Pt,
    Eta,
    AbsEta,
    Phi,
    Energy,
    Mass,
    Px,
    Py,
    Pz,
    Charge,
    Ntrk,
    /// Raw b-tag column, for working points other than the default (`btag >= 2` is PGS tight).
    Btag,
}

impl Prop {
    /// Every property, for grammars and suggestion lists.
    pub const ALL: [Prop; 12] = [
        Prop::Pt,
        Prop::Eta,
        Prop::AbsEta,
        Prop::Phi,
        Prop::Energy,
        Prop::Mass,
        Prop::Px,
        Prop::Py,
        Prop::Pz,
        Prop::Charge,
        Prop::Ntrk,
        Prop::Btag,
    ];

    /// Canonical spelling.
    pub fn name(self) -> &'static str {
        match self {
            Prop::Pt => "pT",
            Prop::Eta => "eta",
            Prop::AbsEta => "|eta|",
            Prop::Phi => "phi",
            Prop::Energy => "E",
            Prop::Mass => "m",
            Prop::Px => "px",
            Prop::Py => "py",
            Prop::Pz => "pz",
            Prop::Charge => "q",
            Prop::Ntrk => "ntrk",
            Prop::Btag => "btag",
        }
    }

    /// Whether values carry GeV (thresholds get a unit in canonical text).
    pub fn has_gev(self) -> bool {
        matches!(
            self,
            Prop::Pt | Prop::Energy | Prop::Mass | Prop::Px | Prop::Py | Prop::Pz
        )
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
    Ne(f64),
    /// a < x < b.
    Between(f64, f64),
    /// not (a < x < b), e.g. a crack exclusion.
    Outside(f64, f64),
    /// |x − center| < width.
    Within {
        center: f64,
        width: f64,
    },
    /// |x − center| > width, e.g. a Z-mass veto.
    Away {
        center: f64,
        width: f64,
    },
}

impl Cmp {
    /// The events a veto keeps: "events with 76 < m_μμ < 106 GeV are rejected" keeps
    /// m_μμ outside the window.
    pub fn negated(self) -> Cmp {
        match self {
            Cmp::Gt(x) => Cmp::Le(x),
            Cmp::Ge(x) => Cmp::Lt(x),
            Cmp::Lt(x) => Cmp::Ge(x),
            Cmp::Le(x) => Cmp::Gt(x),
            Cmp::Eq(x) => Cmp::Ne(x),
            Cmp::Ne(x) => Cmp::Eq(x),
            Cmp::Between(a, b) => Cmp::Outside(a, b),
            Cmp::Outside(a, b) => Cmp::Between(a, b),
            Cmp::Within { center, width } => Cmp::Away { center, width },
            Cmp::Away { center, width } => Cmp::Within { center, width },
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
    Pow,
}

impl Op {
    /// The operator as written in canonical text.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
            Op::Pow => "^",
        }
    }

    /// Binding strength: `^` over `* /` over `+ -`.
    pub fn precedence(self) -> u8 {
        match self {
            Op::Add | Op::Sub => 1,
            Op::Mul | Op::Div => 2,
            Op::Pow => 3,
        }
    }
}

/// Functions of quantities physicists write in cuts and outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Func {
    Sqrt,
    Abs,
    Exp,
    Log,
    Log10,
    Tanh,
    Sin,
    Cos,
    Min,
    Max,
}

impl Func {
    /// Every function, for the lexicon and the grammar.
    pub const ALL: [Func; 10] = [
        Func::Sqrt,
        Func::Abs,
        Func::Exp,
        Func::Log,
        Func::Log10,
        Func::Tanh,
        Func::Sin,
        Func::Cos,
        Func::Min,
        Func::Max,
    ];

    /// Canonical spelling.
    pub fn name(self) -> &'static str {
        match self {
            Func::Sqrt => "sqrt",
            Func::Abs => "abs",
            Func::Exp => "exp",
            Func::Log => "log",
            Func::Log10 => "log10",
            Func::Tanh => "tanh",
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Min => "min",
            Func::Max => "max",
        }
    }

    /// How many arguments it takes.
    pub fn arity(self) -> usize {
        match self {
            Func::Min | Func::Max => 2,
            _ => 1,
        }
    }
}

/// How a quantity is reduced over the objects of a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Reduce {
    Min,
    Max,
    Sum,
}

/// A per-event number: an expression over event quantities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Quantity {
    Num(f64),
    /// The event's missing transverse momentum, pT(MET).
    Met,
    /// Scalar pT sum of the selected jets.
    Ht,
    /// Number of selected objects of a kind meeting the filters.
    Count(Kind, Vec<Filter>),
    Prop(Prop, Sys),
    /// MT(system, MET).
    Mt(Sys),
    Delta(Delta, Sys, Sys),
    Bin(Op, Box<Quantity>, Box<Quantity>),
    Func(Func, Vec<Quantity>),
    /// min / max / sum of a quantity of [`Sys::Each`] over the selected objects of a kind
    /// (the `first` leading ones when given). Empty min and max are missing values.
    Reduce {
        reduce: Reduce,
        kind: Kind,
        first: Option<usize>,
        of: Box<Quantity>,
    },
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

impl Quantity {
    /// The kinds of object the quantity is about: what words restating it may name.
    pub fn kinds(&self, out: &mut Vec<Kind>) {
        match self {
            Quantity::Met => out.push(Kind::Met),
            Quantity::Ht => out.push(Kind::Jet),
            Quantity::Num(_) => {}
            Quantity::Count(k, fs) => {
                out.push(*k);
                fs.iter().for_each(|f| f.q.kinds(out));
            }
            Quantity::Prop(_, s) => s.kinds(out),
            Quantity::Mt(s) => {
                s.kinds(out);
                out.push(Kind::Met);
            }
            Quantity::Delta(_, a, b) => {
                a.kinds(out);
                b.kinds(out);
            }
            Quantity::Bin(_, a, b) => {
                a.kinds(out);
                b.kinds(out);
            }
            Quantity::Func(_, v) => v.iter().for_each(|q| q.kinds(out)),
            Quantity::Reduce { kind, of, .. } => {
                out.push(*kind);
                of.kinds(out);
            }
        }
    }

    /// Whether a separation of this kind appears in the quantity.
    pub fn has_delta(&self, d: Delta) -> bool {
        match self {
            Quantity::Delta(x, ..) => *x == d,
            Quantity::Bin(_, a, b) => a.has_delta(d) || b.has_delta(d),
            Quantity::Func(_, v) => v.iter().any(|q| q.has_delta(d)),
            Quantity::Reduce { of, .. } => of.has_delta(d),
            Quantity::Count(_, fs) => fs.iter().any(|f| f.q.has_delta(d)),
            _ => false,
        }
    }

    /// Whether `q` is this quantity or one of its parts.
    pub fn uses(&self, q: &Quantity) -> bool {
        self == q
            || match self {
                Quantity::Bin(_, a, b) => a.uses(q) || b.uses(q),
                Quantity::Func(_, v) => v.iter().any(|x| x.uses(q)),
                Quantity::Reduce { of, .. } => of.uses(q),
                _ => false,
            }
    }

    /// Whether the quantity is a constant ("(0 − 60)"), about no object of the event.
    pub fn is_constant(&self) -> bool {
        let mut k = Vec::new();
        self.kinds(&mut k);
        k.is_empty()
    }

    /// Whether values are in GeV, so thresholds print (and may be written with) a unit.
    pub fn has_gev(&self) -> bool {
        match self {
            Quantity::Met | Quantity::Ht | Quantity::Mt(_) => true,
            Quantity::Prop(p, _) => p.has_gev(),
            Quantity::Bin(Op::Add | Op::Sub, a, b) => a.has_gev() || b.has_gev(),
            Quantity::Func(Func::Abs | Func::Min | Func::Max, v) => v.iter().any(Quantity::has_gev),
            Quantity::Reduce { of, .. } => of.has_gev(),
            _ => false,
        }
    }
}

/// One predicate on an object (its quantity is about [`Sys::Each`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Filter {
    pub q: Quantity,
    pub cmp: Cmp,
}

impl Filter {
    /// A condition on one of the object's own properties.
    pub fn prop(kind: Kind, prop: Prop, cmp: Cmp) -> Filter {
        Filter {
            q: Quantity::Prop(prop, Sys::Each(kind)),
            cmp,
        }
    }

    /// The property when the filter is a plain property condition.
    pub fn as_prop(&self) -> Option<Prop> {
        match &self.q {
            Quantity::Prop(p, Sys::Each(_)) => Some(*p),
            _ => None,
        }
    }
}

/// How many objects (or pairs) a count cut asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CountCmp {
    Exactly(usize),
    AtLeast(usize),
    AtMost(usize),
}

/// Charge/flavour relations of two objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PairRel {
    /// q1·q2 < 0.
    Os,
    /// q1·q2 > 0.
    Ss,
    /// Same type.
    Sf,
    /// Same type and q1·q2 < 0.
    Sfos,
    /// Different types (e μ).
    Df,
    /// Different types and q1·q2 < 0.
    Dfos,
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
    Count {
        target: Target,
        cmp: CountCmp,
    },
    Value {
        q: Quantity,
        cmp: Cmp,
    },
    Pair {
        a: Sys,
        b: Sys,
        rel: PairRel,
    },
    /// Every object of a kind (the `first` leading ones when given) meets the filter; true
    /// when there is none.
    Every {
        kind: Kind,
        first: Option<usize>,
        filter: Filter,
    },
}

impl Stmt {
    /// The kinds of object a statement is about.
    pub fn kinds(&self) -> Vec<Kind> {
        let mut out = Vec::new();
        match self {
            Stmt::Select { kind, .. } => out.push(*kind),
            Stmt::Overlap { remove, near, .. } => out.extend([*remove, *near]),
            Stmt::Cut(Cut::Count {
                target: Target::Objects { kind, .. } | Target::Pairs { kind, .. },
                ..
            }) => out.push(*kind),
            Stmt::Cut(Cut::Value { q, .. }) | Stmt::Feature(q) | Stmt::Define { q, .. } => {
                q.kinds(&mut out)
            }
            Stmt::Cut(Cut::Pair { a, b, .. }) => {
                a.kinds(&mut out);
                b.kinds(&mut out);
            }
            Stmt::Cut(Cut::Every { kind, filter, .. }) => {
                out.push(*kind);
                filter.q.kinds(&mut out);
            }
            Stmt::Plot(p) => p.q.kinds(&mut out),
            Stmt::Name { sys, .. } => sys.kinds(&mut out),
            Stmt::Note(_) | Stmt::AllBins(_) | Stmt::AllNormalised | Stmt::AllLogY => {}
        }
        out
    }
}

/// A histogram request; `None` fields take the global setting or a physics default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plot {
    pub q: Quantity,
    pub bins: Option<usize>,
    pub range: Option<(f64, f64)>,
    pub normalised: bool,
    /// A log-scale y axis.
    pub log_y: bool,
}

impl Plot {
    /// A plot of `q` with every option left to the defaults.
    pub fn of(q: Quantity) -> Plot {
        Plot {
            q,
            bins: None,
            range: None,
            normalised: false,
            log_y: false,
        }
    }
}

/// What one clause says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Stmt {
    /// Object definition: the selected collection of a kind.
    Select {
        kind: Kind,
        filters: Vec<Filter>,
    },
    /// Drop objects of `remove` within ΔR < `dr` of any selected `near` object (of the
    /// `first` leading ones when given).
    Overlap {
        remove: Kind,
        near: Kind,
        first: Option<usize>,
        dr: f64,
    },
    Cut(Cut),
    Plot(Plot),
    Feature(Quantity),
    /// A name the text defines ("where HT is ...", "m_eff = HT + MET"); later uses of the
    /// name read as its quantity.
    Define {
        name: String,
        q: Quantity,
    },
    /// A name the text gives an object or a system ("Z1 = SFOS ℓℓ closest to mZ", "the W
    /// candidate is formed from the two leading light jets").
    Name {
        name: String,
        sys: Sys,
    },
    /// "Each histogram should have N bins".
    AllBins(usize),
    /// "Normalise all histograms to unity".
    AllNormalised,
    /// "Use a log scale for all plots".
    AllLogY,
    /// Settings that are always on (LaTeX labels, PNG files, the cutflow display), list
    /// headers, and descriptive text that makes no cut; kept so the echo shows they were read.
    Note(Note),
}

/// Acknowledged text that needs no code of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Note {
    LatexLabels,
    PngPlots,
    ShowCutflow,
    PlotsFollow,
    FeaturesFollow,
    /// A title or a descriptive sentence: no number, no comparison and no cut word.
    Description,
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
