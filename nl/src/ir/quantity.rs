//! Per-event numbers: properties of objects and systems, separations, arithmetic, functions
//! and reductions over collections, as expression trees.

use serde::{Deserialize, Serialize};

use super::{Filter, Kind, Sys};

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

/// Angular separations between two systems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Delta {
    R,
    Phi,
    Eta,
}

impl Delta {
    /// The name the canonical form writes and reads back: `dR`, `dPhi`, `dEta`.
    pub fn name(self) -> &'static str {
        match self {
            Delta::R => "dR",
            Delta::Phi => "dPhi",
            Delta::Eta => "dEta",
        }
    }
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

impl Reduce {
    /// The name the canonical form writes and reads back: `min`, `max`, `sum`.
    pub fn name(self) -> &'static str {
        match self {
            Reduce::Min => "min",
            Reduce::Max => "max",
            Reduce::Sum => "sum",
        }
    }
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
