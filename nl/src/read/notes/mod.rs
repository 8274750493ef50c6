//! Clauses read as a whole: instructions that need no code ("Use LaTeX for axis labels",
//! "Save the plots in png format", "Print the cutflow"), list headers ("Plot the
//! following:", "CSV columns:"), global histogram settings ("Each histogram should have 40
//! bins", "Normalise all histograms to unity"), process lines ("p p > W+ W-") and
//! descriptions (no number, no comparison, no cut word).

mod description;
mod settings;

pub use description::{is_description, is_overview};

use crate::ir::{Note, Stmt};
use crate::lex::Tok;
use description::{is_heading, is_process, is_title, no_requirement, restates_leptons};
use settings::all_settings;

/// A note is read only when the whole clause is its phrasing: it must contain the note's
/// key words and nothing outside the note's vocabulary. "Save the plots in png" is a note;
/// "Require the jet pT in png units" is not.
struct NoteForm {
    note: Stmt,
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
    "the",
    "a",
    "an",
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
    "please",
    "should",
    "be",
    "is",
    "are",
    "have",
    "has",
    "must",
    "it",
    "them",
    "these",
    "this",
    "that",
    "i",
    "you",
    "would",
    "like",
    "want",
    "make",
    "sure",
    "used",
    "using",
    "one",
    "-",
    ".",
    "'",
];

const NOTES: &[NoteForm] = &[
    NoteForm {
        note: Stmt::Note(Note::LatexLabels),
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
            "legend",
            "legends",
        ],
    },
    NoteForm {
        note: Stmt::Note(Note::PngPlots),
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
            "produce",
            "make",
            "pdf",
        ],
    },
    NoteForm {
        note: Stmt::Note(Note::ShowCutflow),
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
            "give",
            "me",
            "save",
            "store",
            "keep",
            "track",
            "record",
            "each",
            "every",
            "relative",
            "absolute",
            "including",
        ],
    },
    NoteForm {
        note: Stmt::Note(Note::PlotsFollow),
        keys: &[&[
            "plot",
            "histogram",
            "draw",
            "distributions",
            "hist",
            "validation",
        ]],
        words: &[
            "make",
            "produce",
            "fill",
            "distributions",
            "distribution",
            "quantities",
            "variables",
            "validation",
            "plot",
            "histogram",
            "draw",
            "hist",
            "control",
            "book",
            "kinematic",
            "kinematics",
            "following",
            "list",
        ],
    },
    NoteForm {
        note: Stmt::Note(Note::FeaturesFollow),
        keys: &[&[
            "csv", "save", "store", "write", "export", "features", "output", "columns", "saved",
            "record", "ntuple", "out",
        ]],
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
            "saved",
            "stored",
            "written",
            "contains",
            "contain",
            "holds",
            "order",
            "this",
            "following",
            "list",
            "row",
            "rows",
            "record",
            "recorded",
            "out",
            "ntuple",
            "structure",
            "column",
            "format",
            "file's",
            "one",
            "line",
            "each",
            "s",
            "give",
            "me",
            "send",
            "dump",
            "persist",
            "further",
            "study",
            "classifier",
            "bdt",
            "dnn",
        ],
    },
];

/// A clause that is a note, a list header, a global setting, a process line or a
/// description. `list_ok`: a header ending in ":" may open a list.
pub fn whole_clause(toks: &[Tok]) -> Option<Vec<Stmt>> {
    let words: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
    if words.is_empty() {
        return None;
    }
    if let Some(s) = all_settings(&words) {
        return Some(s);
    }
    let header = words.last() == Some(&":");
    for f in NOTES {
        let is_list = matches!(f.note, Stmt::Note(Note::PlotsFollow | Note::FeaturesFollow));
        // A list header says "following" or ends with a colon; "Plot the MET" is a plot.
        if is_list && !(header || words.contains(&"following")) {
            continue;
        }
        let keys = f.keys.iter().all(|g| words.iter().any(|w| g.contains(w)));
        let rest = words.iter().all(|w| {
            f.keys.iter().any(|g| g.contains(w)) || f.words.contains(w) || COMMON.contains(w)
        });
        if keys && rest {
            return Some(vec![f.note.clone()]);
        }
    }
    if is_process(&words)
        || is_heading(&words)
        || restates_leptons(&words)
        || is_title(toks)
        || no_requirement(&words)
    {
        return Some(vec![Stmt::Note(Note::Description)]);
    }
    None
}
