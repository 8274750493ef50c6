//! Bullets about output rather than selection: plots, saved features, global histogram
//! settings and the notes that need no code ("Use LaTeX for axis labels").

use super::cursor::Cursor;
use super::{quantity, Section};
use crate::ir::{Note, Plot, Stmt};
use crate::lex::Tok;

/// A note is read only when the whole bullet is its phrasing: the bullet must contain the
/// note's key words and nothing outside the note's vocabulary. "Save the plots in png" is a
/// note; "Require the jet pT in png units" is not, and falls through to the cut grammar.
struct NoteForm {
    note: Note,
    /// Every group must be matched by at least one token.
    keys: &'static [&'static [&'static str]],
    /// Words allowed besides the keys.
    words: &'static [&'static str],
}

const COMMON: &[&str] = &[
    "for",
    "of",
    "in",
    "on",
    "as",
    "to",
    "with",
    "and",
    "all",
    "each",
    "every",
    "where",
    "when",
    "applicable",
    "possible",
    ":",
    ",",
    "(",
    ")",
    "=",
    "true",
    "also",
    "following",
    "we",
    "use",
];

const NOTES: &[NoteForm] = &[
    NoteForm {
        note: Note::LatexLabels,
        keys: &[&["latex", "tex"]],
        words: &[
            "notation",
            "axis",
            "axes",
            "label",
            "labels",
            "title",
            "titles",
            "format",
            "formatting",
            "style",
            "plot",
            "histogram",
            "x",
            "y",
            "names",
            "symbols",
            "write",
            "render",
        ],
    },
    NoteForm {
        note: Note::PngPlots,
        keys: &[&["png"]],
        words: &[
            "save",
            "saved",
            "store",
            "write",
            "export",
            "plot",
            "histogram",
            "format",
            "file",
            "files",
            "image",
            "images",
            "figures",
            "figure",
            "output",
            "directory",
            "folder",
            "canvas",
        ],
    },
    NoteForm {
        note: Note::ShowCutflow,
        keys: &[&["cutflow", "flow"]],
        words: &[
            "print",
            "show",
            "display",
            "write",
            "output",
            "report",
            "produce",
            "make",
            "cut",
            "table",
            "showing",
            "number",
            "numbers",
            "events",
            "event",
            "after",
            "selection",
            "selections",
            "step",
            "steps",
            "cuts",
            "passing",
            "pass",
            "remaining",
            "yields",
            "efficiency",
            "efficiencies",
            "csv",
        ],
    },
    NoteForm {
        note: Note::PlotsFollow,
        keys: &[
            &["following"],
            &["plot", "histogram", "draw", "distributions", "plotted"],
        ],
        words: &[
            "make",
            "produce",
            "fill",
            "distributions",
            "quantities",
            "variables",
            "validation",
            "plot",
            "histogram",
            "draw",
            "plotted",
        ],
    },
    NoteForm {
        note: Note::FeaturesFollow,
        keys: &[
            &["following", "features"],
            &["csv", "save", "store", "write", "export", "features"],
        ],
        words: &[
            "save",
            "store",
            "write",
            "export",
            "features",
            "csv",
            "file",
            "quantities",
            "variables",
            "columns",
            "mlp",
            "ml",
            "analysis",
            "training",
            "table",
            "output",
            "per",
            "event",
            "events",
            "selected",
            "passing",
            "into",
            "neural",
            "network",
        ],
    },
];

/// Instructions that need no code (or open a list); see [`NoteForm`].
pub fn note(toks: &[Tok], section: Section) -> Option<Stmt> {
    let words: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
    for f in NOTES {
        if f.note == Note::FeaturesFollow
            && section != Section::Output
            && !words
                .iter()
                .any(|w| ["csv", "save", "store", "write", "export"].contains(w))
        {
            continue;
        }
        let keys = f.keys.iter().all(|g| words.iter().any(|w| g.contains(w)));
        let rest = words.iter().all(|w| {
            f.keys.iter().any(|g| g.contains(w)) || f.words.contains(w) || COMMON.contains(w)
        });
        if keys && rest {
            return Some(Stmt::Note(f.note));
        }
    }
    all_bins(toks).or_else(|| all_normalised(toks))
}

/// "Each histogram should have 40 bins", "use 50 bins for all plots".
fn all_bins(toks: &[Tok]) -> Option<Stmt> {
    let mut c = Cursor::new(toks);
    c.skip(&[
        "use",
        "each",
        "every",
        "histogram",
        "plot",
        "with",
        "for",
        "all",
    ]);
    let n = c.number()?;
    c.eat("bins").then_some(())?;
    c.skip(&[
        "for",
        "each",
        "every",
        "histogram",
        "plot",
        "all",
        "per",
        "in",
    ]);
    (c.done() && n >= 1.0 && n.fract() == 0.0).then_some(Stmt::AllBins(n as usize))
}

/// "Normalize all histograms to unity (density=True)".
fn all_normalised(toks: &[Tok]) -> Option<Stmt> {
    let has = |w: &str| toks.iter().any(|t| t.text == w);
    let mut c = Cursor::new(toks);
    c.skip(&[
        "normalised",
        "each",
        "every",
        "histogram",
        "plot",
        "all",
        "to",
        "unity",
        "unit",
        "area",
        "1",
        "one",
        "density",
        "=",
        "true",
        "(",
        ")",
    ]);
    (c.done() && has("normalised") && (has("histogram") || has("plot") || has("all")))
        .then_some(Stmt::AllNormalised)
}

pub fn plot(c: &mut Cursor) -> Option<Plot> {
    c.skip(&["plot", "histogram", "of", "as", "for"]);
    let q = quantity::quantity(c)?;
    let mut p = Plot {
        q,
        bins: None,
        range: None,
        normalised: false,
    };
    loop {
        c.skip(&[",", "with", "and", "using", "histogram", "plot", "as"]);
        if c.done() {
            return Some(p);
        }
        let s = *c;
        if c.eat_any(&["in", "from", "range", "over"]).is_some() {
            c.skip(&["range", "of", "from"]);
            p.range = Some(c.range()?);
        } else if c.eat("normalised") {
            c.skip(&["to", "unity", "unit", "area", "1"]);
            p.normalised = true;
        } else if let Some(n) = c.number() {
            c.eat("bins").then_some(())?;
            (n >= 1.0 && n.fract() == 0.0).then_some(())?;
            p.bins = Some(n as usize);
        } else {
            *c = s;
            return None;
        }
    }
}

pub fn features(c: &mut Cursor) -> Option<Vec<Stmt>> {
    c.skip(&[
        "feature", "features", "save", "store", "write", "export", "to", "in", "into", "csv",
        "file", ":",
    ]);
    let mut out = Vec::new();
    loop {
        let q = quantity::quantity(c)?;
        out.push(Stmt::Feature(q));
        c.skip(&["to", "in", "into", "csv", "file"]);
        if c.done() {
            return Some(out);
        }
        c.eat_any(&[",", "and"])?;
    }
}
