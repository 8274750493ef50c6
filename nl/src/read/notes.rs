//! Clauses read as a whole: instructions that need no code ("Use LaTeX for axis labels",
//! "Save the plots in png format", "Print the cutflow"), list headers ("Plot the
//! following:", "CSV columns:"), global histogram settings ("Each histogram should have 40
//! bins", "Normalise all histograms to unity"), process lines ("p p > W+ W-") and
//! descriptions (no number, no comparison, no cut word).

use crate::ir::{Note, Stmt};
use crate::lex::Tok;
use crate::lexicon::{is_cut_word, COMPARISON_WORDS};

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
    if let Some(s) = all_bins(&words)
        .or_else(|| all_normalised(&words))
        .or_else(|| all_log(&words))
    {
        return Some(vec![s]);
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

/// "Same-sign dilepton selection", "Mono-photon search": a title ends in a word naming the
/// analysis and has no number, comparison or verb.
fn is_title(toks: &[Tok]) -> bool {
    let last = toks.last().map_or("", |t| t.text.as_str());
    let noun = matches!(
        last,
        "selection"
            | "analysis"
            | "search"
            | "channel"
            | "sample"
            | "study"
            | "region"
            | "measurement"
            | "topology"
            | "version"
            | "selections"
            | "searches"
    );
    noun && toks.len() <= 8
        && toks.iter().all(|t| {
            t.num.is_none()
                && !matches!(
                    t.text.as_str(),
                    ">" | "<"
                        | ">="
                        | "<="
                        | "="
                        | "=="
                        | "between"
                        | "above"
                        | "below"
                        | "no"
                        | "not"
                        | "without"
                        | "exactly"
                )
                && !crate::lexicon::POS_VERBS.contains(&t.text.as_str())
                && !crate::lexicon::NEG_VERBS.contains(&t.text.as_str())
        })
}

/// "No MET requirement is applied in this channel", "no lepton requirement is applied": a
/// cut the analysis says it does not make, so there is nothing to run.
fn no_requirement(words: &[&str]) -> bool {
    const REST: &[&str] = &[
        "is",
        "are",
        "applied",
        "made",
        "imposed",
        "placed",
        "used",
        "in",
        "this",
        "channel",
        "analysis",
        "selection",
        "region",
        "here",
        "on",
        "the",
        "at",
        "all",
        "any",
        "further",
        "explicit",
        "additional",
        "cut",
        "cuts",
        "requirement",
        "requirements",
        "selection",
    ];
    let Some(at) = words
        .iter()
        .position(|w| matches!(*w, "requirement" | "requirements" | "cut" | "cuts"))
    else {
        return false;
    };
    words.first() == Some(&"no")
        && (1..at).all(|k| {
            crate::lexicon::kind_word(words[k]).is_some()
                || matches!(
                    words[k],
                    "additional" | "explicit" | "further" | "on" | "the" | "ht" | "mt"
                )
        })
        && at > 1
        && words[at + 1..].iter().all(|w| REST.contains(w))
}

/// "We select events with two well separated forward jets and little additional hadronic
/// activity": an overview in qualitative words, no digit, comparison or unit; the
/// sentences after it give the cuts.
pub fn is_overview(toks: &[Tok]) -> bool {
    const INTENT: &[&str] = &[
        "select", "look", "want", "target", "study", "search", "seek", "aim", "keep",
    ];
    const VAGUE: &[&str] = &[
        "well",
        "little",
        "clean",
        "large",
        "significant",
        "high",
        "low",
        "hard",
        "energetic",
        "additional",
        "good",
        "sizeable",
        "moderate",
        "much",
        "few",
        "typical",
        "characteristic",
    ];
    let intent = toks.first().is_some_and(|t| t.text == "we")
        && toks
            .get(1)
            .is_some_and(|t| INTENT.contains(&t.text.as_str()));
    let measured = toks.iter().any(|t| {
        t.num.is_some()
            || matches!(
                t.text.as_str(),
                ">" | "<" | ">=" | "<=" | "=" | "gev" | "tev" | "|"
            )
    });
    intent && !measured && toks.iter().any(|t| VAGUE.contains(&t.text.as_str()))
}

/// "Cuts:", "Object definitions:", "Event selection:": a heading.
fn is_heading(words: &[&str]) -> bool {
    const HEAD: &[&str] = &[
        "cuts",
        "cut",
        "selection",
        "selections",
        "objects",
        "object",
        "definitions",
        "definition",
        "event",
        "events",
        "requirements",
        "preselection",
        "baseline",
        "signal",
        "region",
        "control",
        "kinematic",
        "kinematics",
        "the",
        "and",
        "analysis",
        "level",
        "step",
        "steps",
        "topology",
        "final",
        "state",
        "candidates",
        "reconstruction",
    ];
    words.last() == Some(&":")
        && words.len() > 1
        && words[..words.len() - 1].iter().all(|w| HEAD.contains(w))
}

/// "Leptons = the selected electrons and muons": the convention, restated.
fn restates_leptons(words: &[&str]) -> bool {
    let rest: Vec<&&str> = words
        .iter()
        .filter(|w| {
            !matches!(
                **w,
                "the"
                    | "selected"
                    | "are"
                    | "="
                    | "and"
                    | "or"
                    | "both"
                    | "all"
                    | "means"
                    | "mean"
                    | ","
                    | "("
                    | ")"
                    | ":"
                    | "/"
            )
        })
        .collect();
    let kinds: Vec<&str> = rest.iter().map(|w| **w).collect();
    kinds
        .first()
        .is_some_and(|w| matches!(*w, "leptons" | "lepton" | "l"))
        && kinds.len() == 3
        && kinds[1..]
            .iter()
            .all(|w| matches!(*w, "electrons" | "muons" | "electron" | "muon" | "e"))
        && (words.contains(&"=") || words.contains(&"are") || words.contains(&"means"))
}

/// "p p > W+ W-", "pp → tt̄": a process written with particle names around ">".
fn is_process(words: &[&str]) -> bool {
    let particles = |w: &str| {
        matches!(
            w,
            "p" | "pp"
                | "p~"
                | "e+"
                | "e-"
                | "z"
                | "w"
                | "w+"
                | "w-"
                | "h"
                | "t"
                | "t~"
                | "tt"
                | "j"
                | "jj"
                | "a"
                | "photon"
                | "muon"
                | "l"
                | "l+"
                | "l-"
                | "vl"
                | "nu"
                | "mu"
                | "ta"
                | "b"
                | "b~"
                | "x"
                | "process"
                | "physics"
                | "generate"
                | "+"
                | "-"
                | "~"
                | ","
                | ">"
                | "→"
                | ":"
                | "("
                | ")"
                | "/"
                | "0"
                | "1"
                | "2"
                | "3"
                | "electron"
                | "tau"
                | "jet"
                | "jets"
                | "ll"
                | "vv"
                | "zz"
                | "ww"
                | "wz"
        ) || w.chars().all(|c| c.is_alphanumeric() || "+-~".contains(c)) && w.len() <= 4
    };
    let has_arrow = words.contains(&"→") || words.windows(2).any(|p| p[0] == "p" && p[1] == ">");
    let starts = matches!(
        words.first(),
        Some(&"p") | Some(&"pp") | Some(&"process") | Some(&"physics") | Some(&"generate")
    );
    has_arrow && starts && words.iter().all(|w| particles(w))
}

/// No number, no comparison and no cut word: a title or a remark.
pub fn is_description(toks: &[Tok]) -> bool {
    toks.iter().all(|t| {
        let w = t.text.as_str();
        t.num.is_none()
            && !COMPARISON_WORDS.contains(&w)
            && !matches!(w, "exceed" | "exceeds" | "exceeding")
            && !is_cut_word(w)
    })
}

/// "Each histogram should have 40 bins", "use 50 bins for all plots".
fn all_bins(words: &[&str]) -> Option<Stmt> {
    let filler = [
        "use",
        "each",
        "every",
        "histogram",
        "plot",
        "with",
        "for",
        "all",
        "should",
        "have",
        "has",
        "must",
        "be",
        "in",
        "per",
        "the",
        "a",
        ":",
        ",",
        ".",
    ];
    let n_at = words.iter().position(|w| w.parse::<f64>().is_ok())?;
    let n: f64 = words[n_at].parse().ok()?;
    if words.get(n_at + 1) != Some(&"bins")
        || !words.iter().any(|w| matches!(*w, "each" | "every" | "all"))
    {
        return None;
    }
    let ok = words
        .iter()
        .enumerate()
        .all(|(k, w)| k == n_at || k == n_at + 1 || filler.contains(w));
    (ok && n >= 1.0 && n.fract() == 0.0).then_some(Stmt::AllBins(n as usize))
}

/// "Normalize all histograms to unity (density=True)".
fn all_normalised(words: &[&str]) -> Option<Stmt> {
    let filler = [
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
        "should",
        "be",
        "must",
        "the",
        "shapes",
        "shape",
        ",",
        ".",
    ];
    let has = |w: &str| words.contains(&w);
    (words.iter().all(|w| filler.contains(w))
        && has("normalised")
        && (has("histogram") || has("plot") || has("all")))
    .then_some(Stmt::AllNormalised)
}

/// "Use a log scale for all plots".
fn all_log(words: &[&str]) -> Option<Stmt> {
    let filler = [
        "use",
        "a",
        "logscale",
        "y",
        "axis",
        "for",
        "all",
        "each",
        "every",
        "histogram",
        "plot",
        "on",
        "the",
        "in",
        "with",
        "should",
        "be",
        ",",
        ".",
    ];
    (words.contains(&"logscale")
        && words.iter().all(|w| filler.contains(w))
        && words.iter().any(|w| matches!(*w, "all" | "each" | "every")))
    .then_some(Stmt::AllLogY)
}
