//! The token and the word table that both the lexer ([`crate::lex`]) and the lexicon
//! ([`crate::lexicon`]) build on, so that neither needs the other for them.

use std::ops::Range;

/// One token: a lowercase word, a number, or a symbol.
#[derive(Debug, Clone, PartialEq)]
pub struct Tok {
    pub text: String,
    pub num: Option<f64>,
    /// No space before it: tells a call `pT(j1)` from a remark `(W candidate)`.
    pub glued: bool,
    /// Where it came from in the clause text (bytes).
    pub span: Range<usize>,
}

impl Tok {
    fn word(text: &str, glued: bool, span: Range<usize>) -> Tok {
        Tok {
            text: text.to_owned(),
            num: None,
            glued,
            span,
        }
    }
}

/// Whole-word synonyms, mapped to canonical token sequences (after subscripts are joined).
const WORDS: &[(&str, &str)] = &[
    ("p_t", "pt"),
    // An object's transverse energy: its pT for the massless objects of LHCO (a convention
    // the echo states).
    ("e_t", "pt"),
    ("et", "pt"),
    ("p_t^miss", "met"),
    ("pt^miss", "met"),
    ("p_tmiss", "met"),
    ("ptmiss", "met"),
    ("e_t^miss", "met"),
    ("e_tmiss", "met"),
    ("et^miss", "met"),
    ("etmiss", "met"),
    ("e_t,miss", "met"),
    ("mpt", "met"),
    ("m_t", "mt"),
    ("h_t", "ht"),
    ("s_t", "st"),
    ("m_eff", "meff"),
    ("deltar", "dr"),
    ("delta_r", "dr"),
    ("deltaphi", "dphi"),
    ("delta_phi", "dphi"),
    ("deltaeta", "deta"),
    ("delta_eta", "deta"),
    ("atleast", ">="),
    ("atmost", "<="),
    ("normalized", "normalised"),
    ("normalize", "normalised"),
    ("normalise", "normalised"),
    ("normalised", "normalised"),
    ("normalization", "normalised"),
    ("normalisation", "normalised"),
    ("flavor", "flavour"),
    ("flavors", "flavour"),
    ("flavours", "flavour"),
    ("leptonically", "leptonic"),
    ("hadronically", "hadronic"),
    ("centre", "center"),
    ("histograms", "histogram"),
    ("histos", "histogram"),
    ("histo", "histogram"),
    ("hists", "histogram"),
    ("histogrammed", "histogram"),
    ("plots", "plot"),
    ("plotted", "plot"),
    ("gammas", "photons"),
    ("mus", "muons"),
    ("bjet", "b jet"),
    ("bjets", "b jets"),
    ("btagged", "btagged"),
    ("tau_h", "tau"),
    ("tau_had", "tau"),
    ("ell", "l"),
    ("leps", "leptons"),
    ("lep", "lepton"),
    ("ele", "electron"),
    ("eles", "electrons"),
    ("el", "electron"),
    ("els", "electrons"),
    ("phot", "photon"),
    ("pho", "photon"),
    ("photons", "photons"),
    ("mets", "met"),
    ("etmis", "met"),
    ("met", "met"),
    ("pt", "pt"),
    ("ht", "ht"),
    ("dr", "dr"),
    ("dphi", "dphi"),
    ("deta", "deta"),
    ("mev", "mev"),
    ("gev", "gev"),
    ("tev", "tev"),
];

/// Emits `text` (space-separated canonical words) as tokens sharing one span.
pub(crate) fn emit(text: &str, glued: bool, span: &Range<usize>, out: &mut Vec<Tok>) {
    for (k, w) in text.split(' ').enumerate() {
        let g = if k == 0 {
            glued
        } else {
            w == "(" || w == ")" || w == "," || k > 0
        };
        out.push(Tok::word(w, g, span.clone()));
    }
}

/// Looks a whole word up in [`WORDS`].
pub(crate) fn synonym(w: &str) -> Option<&'static str> {
    WORDS.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
}
