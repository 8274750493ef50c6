//! The compositional reader: one item of a spec (a bullet or a sentence) → statements.
//!
//! An item is split into clauses at `;`. Each clause is read left to right as a sequence
//! of phrases (object definitions, counts, vetoes, conditions on objects, cuts on
//! quantities, definitions, candidates, overlap removal, plots, saved features), each built
//! from the shared readers of objects, quantities and comparisons, with the discourse
//! context ([`Ctx`]) resolving "such muons", "their mass", "the leading one", "the Z
//! candidate".
//!
//! **Accountability.** Every number, comparison, unit, object word, quantity word, count,
//! relation, negation and output word in a clause must be used by a phrase; whatever is left
//! over makes the clause an error that marks those words. A clause with no number, no
//! comparison and no cut word is description: echoed, and no cut.

mod attach;
mod base;
mod clause;
mod conds;
mod count;
mod ctx;
mod define;
mod filters;
mod notes;
mod objects;
mod output;
mod quantity;

use std::ops::Range;

pub use base::{MH, MTOP, MW, MZ};
pub use count::retarget;
pub use ctx::{Ctx, Def, Focus};

use crate::ir::{Note, Stmt};
use crate::lex::{tokenize, Tok};
use crate::lexicon::{is_content, is_output_verb};
use clause::Clause;

/// Which part of the spec an item is in; decides what a bare quantity means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `[SELECTION_CUTS]`, `[OBJECTS]` or free prose.
    Cuts,
    /// `[PLOTS_FOR_VALIDATION]`: a bare quantity is a plot.
    Plots,
    /// `[OUTPUT_STRUCTURE]`: a bare quantity is a saved feature.
    Output,
    /// `[DESCRIPTION]`: every line is description.
    Description,
}

/// What a phrase read: its statements, where it ended, and what it tells later phrases.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub stmts: Vec<Stmt>,
    pub end: usize,
    pub focus: Option<Focus>,
    /// Names bound to objects or systems ("Z1", "the W candidate").
    pub names: Vec<(String, Def)>,
    /// A definition: reads even with no cut.
    pub defines: bool,
}

impl Reading {
    /// A reading with no effect on the context.
    pub fn new(stmts: Vec<Stmt>, end: usize) -> Reading {
        Reading {
            stmts,
            end,
            focus: None,
            names: Vec::new(),
            defines: false,
        }
    }
}

/// The words of an item no reading used, as byte ranges of the item's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Leftover {
    pub spans: Vec<Range<usize>>,
}

/// What a clause is read as, by the verbs in it and the section it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Cut,
    Plot,
    Save,
}

/// Reads one item, updating the context. On failure, the words left over.
pub fn read(text: &str, section: Section, ctx: &mut Ctx) -> Result<Vec<Stmt>, Leftover> {
    let toks = tokenize(text);
    if section == Section::Description {
        return Ok(vec![Stmt::Note(Note::Description)]);
    }
    let mut out = Vec::new();
    let mut spans = Vec::new();
    let mut carried: Option<Mode> = None;
    let toks = drop_enumerators(toks);
    for clause in toks.split(|t| t.text == ";") {
        let clause: Vec<Tok> = clause.iter().filter(|t| t.text != ".").cloned().collect();
        if clause.is_empty() {
            continue;
        }
        // "Output: m_eμ; pT(eμ); MET": a list goes on after a semicolon.
        match read_clause(&clause, section, ctx, carried) {
            Ok((stmts, mode)) => {
                carried = (mode != Mode::Cut).then_some(mode);
                out.extend(stmts);
            }
            Err(s) => spans.extend(s),
        }
    }
    if spans.is_empty() {
        Ok(out)
    } else {
        Err(Leftover { spans })
    }
}

/// "CSV columns: 1- m_ll 2- pT of the leading muon 3) HT": numbers 1, 2, 3, ... each glued
/// to a "-", ")" or "." and followed by a space enumerate a list inside the line; they are
/// no part of what is listed ("1- m_ll" is not 1 − m_ll).
fn drop_enumerators(toks: Vec<Tok>) -> Vec<Tok> {
    let marks: Vec<usize> = (0..toks.len().saturating_sub(2))
        .filter(|&i| {
            toks[i].num.is_some()
                && matches!(toks[i + 1].text.as_str(), "-" | ")" | ".")
                && toks[i + 1].glued
                && !toks[i + 2].glued
                && (i == 0 || !toks[i].glued)
        })
        .collect();
    let sequential = marks.len() >= 2
        && marks
            .iter()
            .enumerate()
            .all(|(k, &i)| toks[i].num == Some(k as f64 + 1.0));
    if !sequential {
        return toks;
    }
    // Each mark but the first separates two items, as a comma would.
    let mut out = Vec::with_capacity(toks.len());
    for (i, t) in toks.into_iter().enumerate() {
        if marks.contains(&i) {
            if i != marks[0] {
                out.push(Tok {
                    text: ",".to_owned(),
                    num: None,
                    glued: false,
                    span: t.span.clone(),
                });
            }
        } else if !marks.iter().any(|m| i == m + 1) {
            out.push(t);
        }
    }
    out
}

/// A clause's statements and the mode it ends in, or the byte ranges of the words no phrase
/// used.
type ClauseRead = Result<(Vec<Stmt>, Mode), Vec<Range<usize>>>;

/// Reads one clause; `carried` is the kind of list an earlier clause of the item opened.
fn read_clause(toks: &[Tok], section: Section, ctx: &mut Ctx, carried: Option<Mode>) -> ClauseRead {
    if let Some(stmts) = notes::whole_clause(toks) {
        ctx.absorb(&stmts);
        return Ok((stmts, Mode::Cut));
    }
    let before = ctx.clone();
    let mode = carried.unwrap_or_else(|| initial_mode(section, ctx));
    let read = read_phrases(toks, ctx, mode);
    // In a list of plots or outputs, a line that names a quantity asks for it: it is not a
    // remark even when it has no number.
    let asks = matches!(mode, Mode::Plot | Mode::Save) && names_quantity(toks);
    if read.is_err() && !asks && (notes::is_description(toks) || notes::is_overview(toks)) {
        // A title or a remark: no number, no comparison, no cut word, and no reading.
        *ctx = before;
        return Ok((vec![Stmt::Note(Note::Description)], Mode::Cut));
    }
    read
}

/// Reads a clause as phrases, starting in `mode`.
fn read_phrases(toks: &[Tok], ctx: &mut Ctx, mode: Mode) -> ClauseRead {
    let mut state = Clause {
        toks,
        used: vec![false; toks.len()],
        out: Vec::new(),
        mode,
        verbs: Vec::new(),
    };
    // "Distributions of m_ee and of the jet multiplicity are shown": a passive output verb
    // sets the clause's kind from the start.
    let passive = toks.iter().find_map(|t| passive_mode(&t.text)).or_else(|| {
        // "should be plotted" (the lexer's "plot" after a form of "be").
        toks.windows(2).find_map(|p| {
            matches!(p[0].text.as_str(), "be" | "is" | "are" | "been")
                .then(|| verb_mode(&p[1].text))
                .flatten()
        })
    });
    if let Some(m) = passive {
        state.mode = m;
    }
    state.rationale();
    state.definitions_first(ctx);
    state.run(ctx);
    state.remarks();
    state.label_before_colon();
    state.restated_prefix();
    let left: Vec<usize> = (0..toks.len())
        .filter(|&k| !state.used[k] && is_content(toks, k))
        .collect();
    if left.is_empty() && (!state.out.is_empty()) {
        // "..., i.e. at most one such jet is allowed": a cut said twice is one cut.
        let mut out: Vec<Stmt> = Vec::new();
        for s in state.out {
            if !(matches!(s, Stmt::Cut(_)) && out.contains(&s)) {
                out.push(s);
            }
        }
        return Ok((out, state.mode));
    }
    // "We select H → γγ candidates in the CMS style": a process named, nothing selected.
    if left.is_empty() && toks.iter().any(|t| t.text == "→") {
        return Ok((vec![Stmt::Note(Note::Description)], Mode::Cut));
    }
    if left.is_empty() {
        // Nothing but filler and positive verbs: say which words could not be placed.
        return Err(toks.iter().map(|t| t.span.clone()).collect());
    }
    Err(left.iter().map(|&k| toks[k].span.clone()).collect())
}

/// Whether a clause names a quantity: a property, an event quantity, an object symbol, or a
/// word the lexicon does not know before "of" ("the xyzzy of the leading muon").
fn names_quantity(toks: &[Tok]) -> bool {
    use crate::lexicon::{is_known, prop_word, quantity_word, symbol};
    toks.iter().enumerate().any(|(i, t)| {
        let w = t.text.as_str();
        let unknown_of = toks.get(i + 1).is_some_and(|n| n.text == "of")
            && !is_known(w)
            && w.chars().all(char::is_alphabetic);
        (prop_word(w).is_some() && w != "e")
            || quantity_word(w)
            || symbol(w).is_some()
            || unknown_of
    })
}

fn initial_mode(section: Section, ctx: &Ctx) -> Mode {
    match (section, ctx.list) {
        (_, Some(Note::FeaturesFollow)) | (Section::Output, _) => Mode::Save,
        (_, Some(Note::PlotsFollow)) | (Section::Plots, _) => Mode::Plot,
        _ => Mode::Cut,
    }
}

/// The mode of a passive output verb ("shown", "saved").
fn passive_mode(w: &str) -> Option<Mode> {
    match w {
        "shown" | "drawn" | "plotted" | "histogrammed" => Some(Mode::Plot),
        "saved" | "stored" | "written" | "recorded" => Some(Mode::Save),
        _ => None,
    }
}

/// The mode an output verb switches to.
fn verb_mode(w: &str) -> Option<Mode> {
    if !is_output_verb(w) {
        return None;
    }
    Some(match w {
        "plot" | "histogram" | "hist" | "draw" | "drawn" | "shown" | "show" | "fill" | "book"
        | "make" | "produce" => Mode::Plot,
        _ => Mode::Save,
    })
}
