//! The reader's vocabulary: object words and symbols, properties, quantities, functions,
//! ranks, counts, relations and the words that carry no meaning for a selection. Also the
//! folding of compound spellings (`m_jj`, `mμμ`, `pT^{j1}`, `Nb`) into plain tokens, and the
//! content classes the accountability check uses.

mod fold;
mod words;

pub(crate) use fold::counted_code;
pub use fold::fold_word;
pub use words::{
    is_hard, is_output_verb, COMPARISON_WORDS, FILLER, NEG_VERBS, NOTE_WORDS, POS_VERBS,
    SAVE_VERBS, VETOED,
};

use crate::ir::{Func, Kind, Prop};
use crate::token::Tok;

/// A kind word: `muons`, `muon`, `mu`, `μ`, `jets`, `j`, `b-jets`, `γ`. Returns the kind and
/// whether it was plural (symbols are neither, and say so with `None`).
pub fn kind_word(w: &str) -> Option<(Kind, Option<bool>)> {
    Some(match w {
        "jet" => (Kind::Jet, Some(false)),
        "jets" => (Kind::Jet, Some(true)),
        "j" => (Kind::Jet, None),
        "lepton" => (Kind::Lepton, Some(false)),
        "leptons" => (Kind::Lepton, Some(true)),
        "l" => (Kind::Lepton, None),
        "electron" => (Kind::Electron, Some(false)),
        "electrons" => (Kind::Electron, Some(true)),
        "e" => (Kind::Electron, None),
        "muon" => (Kind::Muon, Some(false)),
        "muons" => (Kind::Muon, Some(true)),
        "tau" => (Kind::Tau, Some(false)),
        "taus" => (Kind::Tau, Some(true)),
        "photon" => (Kind::Photon, Some(false)),
        "photons" => (Kind::Photon, Some(true)),
        "y" | "ph" | "gamma" => (Kind::Photon, None),
        "mu" => (Kind::Muon, None),
        "b" => (Kind::BJet, None),
        "met" => (Kind::Met, Some(false)),
        _ => return None,
    })
}

/// `j1`, `l2`, `mu1`, `ph1`, `b1`, `lj1`, `tau1`, `e1`, `γ1`, `jet1`, `lep2`.
pub fn symbol(w: &str) -> Option<(Kind, usize)> {
    let split = w.find(|c: char| c.is_ascii_digit())?;
    let (stem, n) = w.split_at(split);
    let kind = match stem.trim_end_matches('_') {
        "photon" | "ph" | "y" | "gamma" => Kind::Photon,
        "j" | "jet" => Kind::Jet,
        "l" | "lepton" | "lep" => Kind::Lepton,
        "e" | "electron" | "el" | "ele" => Kind::Electron,
        "mu" | "muon" => Kind::Muon,
        "tau" | "ta" => Kind::Tau,
        "b" | "bjet" => Kind::BJet,
        "lj" => Kind::LightJet,
        _ => return None,
    };
    let n: usize = n.parse().ok()?;
    (1..=20).contains(&n).then_some((kind, n - 1))
}

/// A rank word: 0 = leading.
pub fn ordinal(w: &str) -> Option<usize> {
    Some(match w {
        "leading" | "first" | "1st" | "hardest" | "highest" | "lead" => 0,
        "subleading" | "second" | "2nd" | "sublead" | "trailing" => 1,
        "third" | "3rd" => 2,
        "fourth" | "4th" => 3,
        "fifth" | "5th" => 4,
        "sixth" | "6th" => 5,
        _ => return None,
    })
}

/// Spelled-out small numbers ("exactly two jets").
pub fn word_number(w: &str) -> Option<f64> {
    Some(match w {
        "zero" => 0.0,
        "one" | "single" => 1.0,
        "two" | "pair" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        _ => return None,
    })
}

/// A per-object property word.
pub fn prop_word(w: &str) -> Option<Prop> {
    Some(match w {
        "pt" | "momentum" | "momenta" => Prop::Pt,
        "eta" | "rapidity" => Prop::Eta,
        "phi" => Prop::Phi,
        "e" | "energy" | "energies" => Prop::Energy,
        "m" | "mass" | "masses" | "invmass" => Prop::Mass,
        "px" | "p_x" => Prop::Px,
        "py" | "p_y" => Prop::Py,
        "pz" | "p_z" => Prop::Pz,
        "charge" | "charges" | "q" => Prop::Charge,
        "ntrk" | "ntracks" | "n_trk" | "ntrack" | "tracks" => Prop::Ntrk,
        "btag" | "btags" => Prop::Btag,
        _ => return None,
    })
}

/// A function word.
pub fn func_word(w: &str) -> Option<Func> {
    Some(match w {
        "sqrt" => Func::Sqrt,
        "abs" => Func::Abs,
        "exp" => Func::Exp,
        "log" | "ln" => Func::Log,
        "log10" => Func::Log10,
        "tanh" => Func::Tanh,
        "sin" => Func::Sin,
        "cos" => Func::Cos,
        "min" | "minimum" => Func::Min,
        "max" | "maximum" => Func::Max,
        _ => return None,
    })
}

/// Words that make a clause more than description: a clause without any of these, and
/// without numbers and comparisons, is a title or a remark.
pub fn is_cut_word(w: &str) -> bool {
    matches!(
        w,
        "select"
            | "selects"
            | "selected"
            | "selecting"
            | "require"
            | "requires"
            | "required"
            | "requiring"
            | "demand"
            | "demanded"
            | "keep"
            | "kept"
            | "accept"
            | "accepted"
            | "apply"
            | "applied"
            | "cut"
            | "cuts"
            | "must"
            | "need"
            | "needs"
            | "needed"
            | "retain"
            | "retained"
            | "built"
            | "formed"
            | "form"
            | "forms"
            | "define"
            | "defined"
            | "constructed"
            | "assigned"
            | "computed"
            | "compute"
            | "calculate"
            | "calculated"
            | "="
    ) || NEG_VERBS.contains(&w)
        || is_output_verb(w)
        || NOTE_WORDS.contains(&w)
        || matches!(
            w,
            "os" | "ss"
                | "sf"
                | "sfos"
                | "df"
                | "dfos"
                | "btagged"
                | "no"
                | "exactly"
                | ">="
                | "<="
                | "none"
                | "without"
                | "ormore"
                | "orfewer"
        )
}

/// Whether a token is content that a reading must use: numbers, comparisons, units, object
/// and quantity words, functions, counts, relations, negations, quantifiers, removal and
/// output verbs, and the words of notes.
pub fn is_content(toks: &[Tok], i: usize) -> bool {
    let Some(t) = toks.get(i) else { return false };
    let w = t.text.as_str();
    if t.num.is_some() || (word_number(w).is_some() && !matches!(w, "one" | "pair" | "single")) {
        return true;
    }
    let next = toks.get(i + 1).map(|t| t.text.as_str());
    match w {
        ">" | "<" | ">=" | "<=" | "==" | "=" | "!=" | "±" | "above" | "below" | "under"
        | "exceeding" | "exceeds" | "exceed" | "between" | "outside" | "gev" | "tev" | "mev"
        | "|" | "/" | "*" | "+" | "^" | "not" | "no" | "none" | "without" | "except" | "or"
        | "either" | "exactly" | "ormore" | "orfewer" | "os" | "ss" | "sf" | "sfos" | "df"
        | "dfos" | "btagged" | "btags" | "light" | "every" | "any" | "all" | "vs" | "notin"
        | "both" | "each" | "closer" => return true,
        // "5 GeV away" is a distance; "point away from it" is not.
        "away" => {
            return i > 0
                && (toks[i - 1].num.is_some()
                    || matches!(toks[i - 1].text.as_str(), "gev" | "tev"))
        }
        "remaining" | "other" => {
            return next.is_some_and(|n| kind_word(n).is_some() || matches!(n, "one" | "two"))
        }
        "over" => return next.is_some_and(|n| n.parse::<f64>().is_ok()),
        _ => {}
    }
    if NEG_VERBS.contains(&w) || is_output_verb(w) || NOTE_WORDS.contains(&w) {
        return true;
    }
    if ordinal(w).is_some() {
        // "first" and "second" as sequence words ("First, select ...") are not ranks.
        return !matches!(w, "first" | "second" | "next" | "lead")
            || next.is_some_and(|n| {
                kind_word(n).is_some() || matches!(n, "one" | "ones" | "two" | "three")
            });
    }
    if kind_word(w).is_some() || symbol(w).is_some() || prop_word(w).is_some() {
        return true;
    }
    if func_word(w).is_some() || quantity_word(w) {
        return true;
    }
    // An unknown word right after a number is a unit the reader does not know; an unknown
    // word before "of" or a call is a quantity it does not know.
    let known = FILLER.contains(&w) || POS_VERBS.contains(&w) || OTHER_KNOWN.contains(&w);
    let prev_num = i > 0 && toks[i - 1].num.is_some();
    let before_of =
        next == Some("of") || (next == Some("(") && toks.get(i + 1).is_some_and(|t| t.glued));
    !known && w.chars().all(char::is_alphabetic) && (prev_num || before_of)
}

/// Event-level quantity words.
pub fn quantity_word(w: &str) -> bool {
    matches!(
        w,
        "met"
            | "ht"
            | "st"
            | "mt"
            | "meff"
            | "dr"
            | "dphi"
            | "deta"
            | "number"
            | "multiplicity"
            | "multiplicities"
            | "n"
            | "invmass"
            | "m_z"
            | "m_w"
            | "m_h"
            | "m_top"
            | "mz"
            | "mw"
            | "mh"
            | "mtop"
    )
}

/// Words the reader knows but that are neither filler nor content on their own.
/// Whether the lexicon knows the word at all (a label's own noun, "balance", is unknown).
pub fn is_known(w: &str) -> bool {
    FILLER.contains(&w)
        || POS_VERBS.contains(&w)
        || NEG_VERBS.contains(&w)
        || is_output_verb(w)
        || NOTE_WORDS.contains(&w)
        || OTHER_KNOWN.contains(&w)
        || kind_word(w).is_some()
        || symbol(w).is_some()
        || prop_word(w).is_some()
        || func_word(w).is_some()
        || quantity_word(w)
}

const OTHER_KNOWN: &[&str] = &[
    "range",
    "window",
    "interval",
    "bin",
    "axis",
    "label",
    "labels",
    "format",
    "file",
    "files",
    "column",
    "columns",
    "row",
    "rows",
    "table",
    "list",
    "following",
    "features",
    "feature",
    "output",
    "outputs",
    "pair",
    "pairs",
    "boson",
    "bosons",
    "quark",
    "decay",
    "decays",
    "channel",
    "process",
    "selection",
    "selections",
    "cutflow",
    "plots",
    "histograms",
    "mlp",
    "training",
    "sum",
    "difference",
    "product",
    "ratio",
    "total",
    "scalar",
    "vector",
    "vectorial",
    "combined",
    "dijet",
    "dilepton",
    "diphoton",
    "dimuon",
    "dielectron",
    "ditau",
    "leptonic",
    "hadronic",
    "tag",
    "tagged",
    "tagging",
    "jetty",
    "unity",
    "unit",
    "area",
    "density",
    "true",
    "component",
    "components",
    "four",
    "momentum",
    "vectors",
];
