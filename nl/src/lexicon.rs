//! The reader's vocabulary: object words and symbols, properties, quantities, functions,
//! ranks, counts, relations and the words that carry no meaning for a selection. Also the
//! folding of compound spellings (`m_jj`, `mμμ`, `pT^{j1}`, `Nb`) into plain tokens, and the
//! content classes the accountability check uses.

use std::ops::Range;

use crate::ir::{Func, Kind, Prop};
use crate::token::{emit, synonym, Tok};

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

/// Verbs and modals that say a selection is wanted without saying which: they may stand
/// anywhere in a phrase, and make a clause more than description.
pub const POS_VERBS: &[&str] = &[
    "select",
    "selects",
    "selected",
    "selecting",
    "require",
    "requires",
    "required",
    "requiring",
    "requirement",
    "requirements",
    "demand",
    "demanded",
    "demands",
    "keep",
    "kept",
    "keeps",
    "accept",
    "accepted",
    "apply",
    "applied",
    "cut",
    "must",
    "need",
    "needs",
    "needed",
    "take",
    "taken",
    "takes",
    "use",
    "used",
    "uses",
    "consider",
    "considered",
    "retain",
    "retained",
    "ask",
    "asked",
    "want",
    "choose",
    "chosen",
    "pick",
    "picked",
    "allowed",
    "allow",
    "present",
    "contain",
    "contains",
    "containing",
    "found",
    "exist",
    "exists",
    "there",
    "survive",
    "survives",
    "remain",
    "remains",
    "remaining",
    "counted",
    "count",
    "reconstructed",
    "built",
    "formed",
    "form",
    "forms",
    "define",
    "defined",
    "defines",
    "has",
    "have",
    "had",
    "having",
    "get",
    "gets",
    "with",
    "w/",
    "carry",
    "carries",
    "sit",
    "sits",
    "lie",
    "lies",
    "satisfy",
    "satisfies",
    "fulfil",
    "fulfill",
    "fulfils",
    "fulfills",
    "should",
    "shall",
    "may",
    "might",
    "to",
    "cuts",
    "completes",
    "starts",
    "start",
    "go",
    "goes",
    "computed",
    "compute",
    "applies",
    "enforce",
    "enforced",
    "impose",
    "imposed",
    "give",
    "gives",
    "giving",
    "yield",
    "yields",
];

/// Comparisons written as symbols or words: a clause with one is a cut (or says why it is
/// not), so neither a remark nor a title may carry one.
pub const COMPARISON_WORDS: &[&str] = &[
    ">", "<", ">=", "<=", "=", "==", "!=", "±", "above", "below", "between", "within",
];

/// Words a remark or a label may not carry: comparisons, counts, relations, negations.
pub fn is_hard(w: &str) -> bool {
    COMPARISON_WORDS.contains(&w)
        || matches!(
            w,
            "no" | "not"
                | "none"
                | "without"
                | "exactly"
                | "os"
                | "ss"
                | "sf"
                | "sfos"
                | "df"
                | "dfos"
                | "veto"
                | "vetoed"
                | "removed"
                | "discarded"
                | "rejected"
                | "or"
                | "every"
                | "btagged"
        )
}

/// Past participles that throw events away: "events with ... are rejected" is a veto said
/// after the objects, so the verb decides what the phrase means.
pub const VETOED: &[&str] = &[
    "rejected",
    "vetoed",
    "discarded",
    "removed",
    "excluded",
    "dropped",
];

/// Verbs of removal and rejection: they decide between a requirement and a veto, so a
/// reading must use them.
pub const NEG_VERBS: &[&str] = &[
    "veto",
    "vetoed",
    "vetoes",
    "vetoing",
    "reject",
    "rejected",
    "rejects",
    "rejecting",
    "remove",
    "removed",
    "removes",
    "removing",
    "discard",
    "discarded",
    "discards",
    "discarding",
    "exclude",
    "excluded",
    "excludes",
    "drop",
    "dropped",
    "drops",
    "dropping",
    "fail",
    "fails",
    "cleaned",
    "overlap",
    "overlapping",
    "removal",
];

/// Verbs that save outputs; they also open a list of saved quantities.
pub const SAVE_VERBS: &[&str] = &["save", "saved", "store", "stored", "write", "written"];

/// Verbs that ask for outputs, besides [`SAVE_VERBS`].
const OUTPUT_VERBS: &[&str] = &[
    "plot",
    "histogram",
    "hist",
    "export",
    "exported",
    "record",
    "recorded",
    "fill",
    "draw",
    "drawn",
    "shown",
    "show",
    "output",
    "dump",
    "persist",
    "book",
    "make",
    "produce",
    "csv",
    "feature",
    "features",
];

/// Whether `w` asks for an output (a plot or a saved quantity): such a word is never a
/// label, a name or a remark.
pub fn is_output_verb(w: &str) -> bool {
    SAVE_VERBS.contains(&w) || OUTPUT_VERBS.contains(&w)
}

/// Words of the instructions that need no code (LaTeX labels, PNG files, the cutflow).
pub const NOTE_WORDS: &[&str] = &[
    "latex",
    "png",
    "cutflow",
    "bins",
    "normalised",
    "logscale",
    "pdf",
    "svg",
];

/// Words that carry no meaning for a selection and may be passed over anywhere.
pub const FILLER: &[&str] = &[
    "the",
    "a",
    "an",
    "is",
    "are",
    "be",
    "been",
    "being",
    "was",
    "were",
    "will",
    "would",
    "can",
    "of",
    "for",
    "in",
    "on",
    "at",
    "by",
    "as",
    "also",
    "then",
    "further",
    "furthermore",
    "additionally",
    "moreover",
    "finally",
    "first",
    "next",
    "and",
    "that",
    "which",
    "who",
    "whose",
    "where",
    "we",
    "i",
    "you",
    "one",
    "ones",
    "please",
    "do",
    "does",
    "only",
    "just",
    "it",
    "its",
    "they",
    "them",
    "their",
    "this",
    "these",
    "those",
    "such",
    "here",
    "event",
    "events",
    "from",
    "into",
    "so",
    "than",
    "passing",
    "pass",
    "passes",
    "satisfying",
    "fulfilling",
    "meeting",
    "lying",
    "falls",
    "fall",
    "candidate",
    "candidates",
    "object",
    "objects",
    "value",
    "values",
    "distribution",
    "distributions",
    "spectrum",
    "spectra",
    "level",
    "final",
    "state",
    "states",
    "selection",
    "identified",
    "isolated",
    "signal",
    "good",
    "tight",
    "loose",
    "medium",
    "prompt",
    "well",
    "hard",
    "energetic",
    "charged",
    "visible",
    "we're",
    "let's",
    "let",
    "us",
    "our",
    "now",
    "afterwards",
    ",",
    ":",
    "'",
    "\"",
    "→",
    "least",
    "most",
    "itself",
    "themselves",
    "total",
    "additional",
    "extra",
    "offline",
    "reco",
    "physics",
    "analysis",
    "baseline",
    "nominal",
    "selected",
    "required",
    "respectively",
    "if",
    "they",
    "when",
    "once",
    "again",
    "indeed",
    "thus",
    "hence",
    "therefore",
];

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
        | "both" | "each" => return true,
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

/// Folds one raw word into tokens: synonyms, subscripted quantities (`m_jj`, `pT^{j1}`),
/// glued compounds (`mjj`, `ptll`, `Nb`, `njets`) and object symbols (`mu_1`).
pub fn fold_word(w: &str, glued: bool, span: Range<usize>, out: &mut Vec<Tok>) {
    if let Some(to) = synonym(w) {
        return emit(to, glued, &span, out);
    }
    if let Some((k, n)) = symbol(&w.replace('_', "")) {
        if !w.contains('^') {
            let s = format!("{}{}", k.symbol(), n + 1);
            return emit(&s, glued, &span, out);
        }
    }
    if w.contains('_') || w.contains('^') {
        if let Some(text) = subscripted(w) {
            return emit(&text, glued, &span, out);
        }
    } else if let Some(text) = compound(w).or_else(|| standalone(w)) {
        return emit(&text, glued, &span, out);
    }
    emit(w, glued, &span, out);
}

/// Heads a subscript can follow, and how their codes join: a sum for masses and momenta, a
/// pair for separations, a kind for counts.
fn head(w: &str) -> Option<(&'static str, Join)> {
    Some(match w {
        "m" | "mass" | "minv" | "invmass" => ("m", Join::Sum),
        "pt" | "p_t" => ("pt", Join::Sum),
        "e" => ("e", Join::Sum),
        "eta" => ("eta", Join::Sum),
        "phi" => ("phi", Join::Sum),
        "y" => ("y", Join::Sum),
        "mt" | "m_t" => ("mt", Join::Sum),
        "dr" | "deltar" | "delta_r" => ("dr", Join::Pair),
        "dphi" | "deltaphi" | "delta_phi" => ("dphi", Join::Pair),
        "deta" | "deltaeta" | "delta_eta" => ("deta", Join::Pair),
        "n" | "num" | "nb" | "njet" | "njets" => ("number", Join::Kind),
        "ht" | "h_t" => ("ht", Join::Sum),
        _ => return None,
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Join {
    Sum,
    Pair,
    Kind,
}

/// `m_jj`, `m_{ll}`, `pT^{j1}`, `p_T^{lead}`, `Δφ_jj`, `N_jets`, `E_T^miss` (already a
/// synonym), `m_T^W`.
fn subscripted(w: &str) -> Option<String> {
    // `MT_b,min`, `m_eff,incl`: a name of the text's own.
    if w.rsplit_once(',')
        .is_some_and(|(_, tail)| tail.len() >= 3 && tail.chars().all(char::is_alphabetic))
    {
        return None;
    }
    let (base, rest) = w.split_once(['_', '^'])?;
    // Two-letter heads written with a subscript letter: p_T, m_T, H_T, E_T.
    let (base, rest) = match (base, rest.split_once(['_', '^'])) {
        ("p", _) if rest == "t" => return Some("pt".to_owned()),
        ("p" | "e", Some(("t", r))) => ("pt", r),
        ("m", Some(("t", r))) => ("mt", r),
        ("h", Some(("t", r))) => ("ht", r),
        ("p", _) if rest.starts_with('t') && rest.len() > 1 => ("pt", &rest[1..]),
        (b, _) => (b, rest),
    };
    let base = synonym(base).unwrap_or(base);
    let (h, join) = head(base)?;
    let code = rest
        .trim_start_matches(['_', '^'])
        .replace(['_', '^', ','], "");
    if matches!(code.as_str(), "min" | "max") {
        return Some(format!("{code} {h}"));
    }
    // `m_T^W`: the W's transverse mass, the one the cuts used (the reader resolves a bare
    // `mt`).
    if h == "mt" && code == "w" {
        return Some("mt".to_owned());
    }
    if h == "mt" && matches!(code.as_str(), "lep" | "l") {
        return Some("mt ( l1 )".to_owned());
    }
    let sys = system_code(&code, join)?;
    Some(format!("{h} ( {sys} )"))
}

/// Glued compounds: `mjj`, `mll`, `mμμ` (`mmumu`), `ptll`, `drjj`, `detajj`, `njets`, `Nb`,
/// `m4l`.
fn compound(w: &str) -> Option<String> {
    // `pT1`, `η2`: a property of the leading (second, ...) object of what the text is about.
    for (prefix, h) in [("pt", "pt"), ("eta", "eta"), ("phi", "phi")] {
        if let Some(n) = w.strip_prefix(prefix).and_then(|d| d.parse::<usize>().ok()) {
            let rank = match n {
                1 => "leading",
                2 => "second",
                3 => "third",
                4 => "fourth",
                _ => return None,
            };
            return Some(format!("{h} ( {rank} )"));
        }
    }
    for (prefix, h, join) in [
        ("dphi", "dphi", Join::Pair),
        ("deta", "deta", Join::Pair),
        ("dr", "dr", Join::Pair),
        ("pt", "pt", Join::Sum),
        ("mt", "mt", Join::Sum),
        ("m", "m", Join::Sum),
        ("n", "number", Join::Kind),
    ] {
        if let Some(code) = w.strip_prefix(prefix) {
            if code.is_empty() || (prefix == "m" && code == "t") {
                continue;
            }
            // Only codes made of the common object symbols, two or more of them except for
            // counts: "met", "mass", "me", "number" stay words.
            let parts = symbols(
                code.strip_suffix('s')
                    .filter(|_| join == Join::Kind)
                    .unwrap_or(code),
            );
            let plain = parts.as_ref().is_some_and(|p| {
                p.iter()
                    .all(|(s, _, _)| !matches!(*s, "a" | "g" | "y" | "lep" | "jet" | "btag"))
                    && (join == Join::Kind
                        || p.len() >= 2
                        || code.starts_with(|c: char| c.is_ascii_digit()))
            });
            if !plain {
                continue;
            }
            if let Some(sys) = system_code(code, join) {
                return Some(format!("{h} ( {sys} )"));
            }
        }
    }
    None
}

/// A counted code inside parentheses, `2e2mu` or `4l`, as a parenthesised sum.
pub(crate) fn counted_code(w: &str) -> Option<String> {
    if !w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(format!("( {} )", system_code(w, Join::Sum)?))
}

/// A code written on its own: `γγ`, `μμ`, `eμ`, `ℓℓ`, `jj`, `ττ`, `j1j2`, `τ1τ2`, `2e2μ`, as a
/// parenthesised sum (`( mu1 + mu2 )`).
fn standalone(w: &str) -> Option<String> {
    if matches!(
        w,
        "be" | "bell" | "ell" | "ebb" | "bee" | "lee" | "jell" | "belle" | "el" | "bel"
    ) {
        return None;
    }
    let parts = symbols(w)?;
    let digits = w.chars().any(|c| c.is_ascii_digit());
    let common = parts.iter().all(|(s, _, _)| {
        matches!(
            *s,
            "mu" | "muon" | "gamma" | "photon" | "tau" | "ph" | "j" | "l" | "e" | "b"
        )
    });
    if !common || (parts.len() < 2 && !digits) {
        return None;
    }
    let sys = system_code(w, Join::Sum)?;
    Some(format!("( {sys} )"))
}

/// Object symbols a subscript code is made of, longest first.
const CODE_SYMBOLS: &[(&str, Kind)] = &[
    ("muon", Kind::Muon),
    ("mu", Kind::Muon),
    ("photon", Kind::Photon),
    ("gamma", Kind::Photon),
    ("tau", Kind::Tau),
    ("lep", Kind::Lepton),
    ("jet", Kind::Jet),
    ("bjet", Kind::BJet),
    ("btag", Kind::BJet),
    ("ph", Kind::Photon),
    ("j", Kind::Jet),
    ("l", Kind::Lepton),
    ("e", Kind::Electron),
    ("b", Kind::BJet),
    ("y", Kind::Photon),
];

/// A subscript naming objects: `jj` → `j1 + j2`, `emu` → `e1 + mu1`, `4l` → `l1 + … + l4`,
/// `j1` → `j1`, `lead` → `leading`; for counts, `jets` → `jets`. `None` when it is not one.
fn system_code(code: &str, join: Join) -> Option<String> {
    // A plural ending only on whole words ("jets", "leptons"), not on symbols.
    let code = match code.strip_suffix('s') {
        Some(c)
            if [
                "jet", "lepton", "lep", "muon", "electron", "photon", "tau", "bjet", "btag", "ele",
                "el", "mu", "e", "j", "b", "l",
            ]
            .contains(&c) =>
        {
            c
        }
        _ => code,
    };
    if code.is_empty() {
        return None;
    }
    if join == Join::Kind {
        let (_, kind, _) = symbols(code)?.into_iter().next()?;
        return (symbols(code)?.len() == 1).then(|| kind.plural().replace("b-jets", "b jets"));
    }
    if matches!(code, "lead" | "leading" | "1") {
        return Some("leading".to_owned());
    }
    if matches!(code, "sublead" | "subleading" | "2") {
        return Some("subleading".to_owned());
    }
    let parts = counted_symbols(code)?;
    // `η_j`, `pT_ℓ`: one object named generically, not the leading one.
    if let [(1, kind, None)] = parts.as_slice() {
        if join == Join::Sum {
            return Some(kind.singular().replace("b-jet", "b jet"));
        }
    }
    let mut names = Vec::new();
    let mut seen: Vec<(Kind, usize)> = Vec::new();
    for (n, kind, index) in parts {
        for _ in 0..n {
            let i = match index {
                Some(i) => i,
                None => seen.iter().filter(|(k, _)| *k == kind).count(),
            };
            seen.push((kind, i));
            names.push(format!("{}{}", kind.symbol(), i + 1));
        }
    }
    if names.len() > 8 || (join == Join::Pair && names.len() != 2 && names.len() != 1) {
        return None;
    }
    let sep = if join == Join::Pair { " , " } else { " + " };
    Some(names.join(sep))
}

/// Splits a code into object symbols with a count before each: `2e2mu`, `4l`, `jj`.
fn counted_symbols(mut code: &str) -> Option<Vec<(usize, Kind, Option<usize>)>> {
    let mut out = Vec::new();
    while !code.is_empty() {
        let digits = code.chars().take_while(char::is_ascii_digit).count();
        let n = if digits > 0 {
            code[..digits].parse().ok()?
        } else {
            1
        };
        code = &code[digits..];
        let (s, k) = CODE_SYMBOLS.iter().find(|(s, _)| code.starts_with(s))?;
        code = &code[s.len()..];
        let idx = code.chars().take_while(char::is_ascii_digit).count();
        let index = if idx > 0 && digits == 0 {
            let i: usize = code[..idx].parse().ok()?;
            code = &code[idx..];
            Some(i.checked_sub(1)?)
        } else {
            None
        };
        out.push((n, *k, index));
    }
    (!out.is_empty()).then_some(out)
}

/// Splits a code into object symbols, each with an optional explicit index.
fn symbols(mut code: &str) -> Option<Vec<(&'static str, Kind, Option<usize>)>> {
    let mut out = Vec::new();
    while !code.is_empty() {
        let (s, k) = CODE_SYMBOLS.iter().find(|(s, _)| code.starts_with(s))?;
        code = &code[s.len()..];
        let digits = code.chars().take_while(char::is_ascii_digit).count();
        let index = if digits > 0 {
            let n: usize = code[..digits].parse().ok()?;
            code = &code[digits..];
            Some(n.checked_sub(1)?)
        } else {
            None
        };
        out.push((*s, *k, index));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use crate::lex::tokenize;

    fn words(s: &str) -> String {
        tokenize(s)
            .into_iter()
            .map(|t| t.text)
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn compounds_and_subscripts() {
        assert_eq!(words("m_jj"), "m ( j1 + j2 )");
        assert_eq!(words("mjj"), "m ( j1 + j2 )");
        assert_eq!(words("m_{\\mu\\mu}"), "m ( mu1 + mu2 )");
        assert_eq!(words("mμμ"), "m ( mu1 + mu2 )");
        assert_eq!(words("m(ℓℓ)"), "m ( ( l1 + l2 ) )");
        assert_eq!(words("m_4l"), "m ( l1 + l2 + l3 + l4 )");
        assert_eq!(words("|Δη_jj|"), "| deta ( j1 , j2 ) |");
        assert_eq!(words("Nj"), "number ( jets )");
        assert_eq!(words("N_b"), "number ( b jets )");
        assert_eq!(words("p_T^{j1}"), "pt ( j1 )");
        assert_eq!(words("pT_lead"), "pt ( leading )");
        assert_eq!(words("m_{e\\mu}"), "m ( e1 + mu1 )");
        assert_eq!(words("μ_1"), "mu1");
        assert_eq!(words("met"), "met");
        assert_eq!(words("mass"), "mass");
        assert_eq!(words("mT"), "mt");
    }
}
