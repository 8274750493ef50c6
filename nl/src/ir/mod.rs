//! The typed analysis the reader produces and the code generator consumes.
//!
//! Every clause is read as [`Stmt`]s; the assembled [`Analysis`] keeps the object definitions,
//! the ordered cuts, the plots and the saved features. Quantities are expression trees
//! ([`Quantity`]) over per-event numbers, so "MET / sqrt(HT)" or "exp(|Δη_jj|)" is data, not
//! text. All of it is plain serialisable data so a reading can be shown, stored and compared.

mod objects;
mod quantity;

pub use objects::{Cand, Kind, ObjRef, Sys};
pub use quantity::{Delta, Func, Op, Prop, Quantity, Reduce};

use serde::{Deserialize, Serialize};

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
