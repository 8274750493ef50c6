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

use crate::ir::{Cut, CountCmp, Kind, Note, Quantity, Stmt, Sys, Target};
use crate::lex::{tokenize, Tok};
use crate::lexicon::{is_content, OUTPUT_VERBS};
use base::P;

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
    for clause in toks.split(|t| t.text == ";") {
        let clause: Vec<Tok> = clause.iter().filter(|t| t.text != ".").cloned().collect();
        if clause.is_empty() {
            continue;
        }
        match read_clause(&clause, text, section, ctx) {
            Ok(stmts) => out.extend(stmts),
            Err(s) => spans.extend(s),
        }
    }
    if spans.is_empty() {
        Ok(out)
    } else {
        Err(Leftover { spans })
    }
}

/// Reads one clause.
fn read_clause(toks: &[Tok], text: &str, section: Section, ctx: &mut Ctx) -> Result<Vec<Stmt>, Vec<Range<usize>>> {
    if let Some(stmts) = notes::whole_clause(toks) {
        ctx.absorb(&stmts);
        return Ok(stmts);
    }
    let mut state = Clause {
        toks,
        used: vec![false; toks.len()],
        out: Vec::new(),
        mode: initial_mode(section, ctx),
        verbs: Vec::new(),
    };
    state.run(ctx);
    state.remarks();
    state.label_before_colon();
    let left: Vec<usize> = (0..toks.len()).filter(|&k| !state.used[k] && is_content(toks, k)).collect();
    if left.is_empty() && (!state.out.is_empty()) {
        return Ok(state.out);
    }
    if left.is_empty() {
        // Nothing but filler and positive verbs: say which words could not be placed.
        let _ = text;
        return Err(toks.iter().map(|t| t.span.clone()).collect());
    }
    Err(left.iter().map(|&k| toks[k].span.clone()).collect())
}

fn initial_mode(section: Section, ctx: &Ctx) -> Mode {
    match (section, ctx.list) {
        (_, Some(Note::FeaturesFollow)) | (Section::Output, _) => Mode::Save,
        (_, Some(Note::PlotsFollow)) | (Section::Plots, _) => Mode::Plot,
        _ => Mode::Cut,
    }
}

/// The state of reading one clause.
struct Clause<'t> {
    toks: &'t [Tok],
    used: Vec<bool>,
    out: Vec<Stmt>,
    mode: Mode,
    /// Output verbs seen, used once a phrase of their kind is read.
    verbs: Vec<(usize, Mode)>,
}

impl Clause<'_> {
    /// Reads phrases left to right.
    fn run(&mut self, ctx: &mut Ctx) {
        let mut i = 0;
        while i < self.toks.len() {
            let w = self.toks[i].text.as_str();
            if let Some(m) = verb_mode(w) {
                let p = P { toks: self.toks, ctx, each: None, formula: false };
                // "Plot m_jj" switches to plots; "save" in "saved as png" does not stand alone.
                if m != self.mode || p.w(i + 1) != "" {
                    self.mode = m;
                    self.verbs.push((i, m));
                    i += 1;
                    continue;
                }
            }
            match self.phrase(i, ctx) {
                Some(r) if r.end > i => {
                    self.commit(i, r, ctx);
                }
                _ => i += 1,
            }
            i = self.next_unused(i);
        }
    }

    fn next_unused(&self, i: usize) -> usize {
        let mut j = i;
        while j < self.used.len() && self.used[j] {
            j += 1;
        }
        j
    }

    /// The first phrase that reads at `i`.
    fn phrase(&self, i: usize, ctx: &Ctx) -> Option<Reading> {
        let p = P { toks: self.toks, ctx, each: None, formula: false };
        match self.mode {
            Mode::Plot => return p.plots(i),
            Mode::Save => return p.features(i),
            Mode::Cut => {}
        }
        let readers: [fn(&P, usize) -> Option<Reading>; 11] = [
            |p, i| p.definition(i),
            |p, i| p.candidate_def(i),
            |p, i| p.overlap(i),
            |p, i| p.veto_phrase(i),
            |p, i| p.veto_suffix(i),
            |p, i| p.count_phrase(i),
            |p, i| p.every_phrase(i),
            |p, i| p.value_phrase(i).map(|(s, e)| Reading::new(s, e)),
            |p, i| p.subject_phrase(i),
            |p, i| p.select_phrase(i),
            |p, i| p.relation_phrase(i),
        ];
        readers.iter().find_map(|f| f(&p, i).filter(|r| !r.stmts.is_empty() || r.defines))
    }

    /// Records a reading: its words are used, its statements kept, the context updated.
    fn commit(&mut self, start: usize, r: Reading, ctx: &mut Ctx) {
        for k in start..r.end.min(self.used.len()) {
            self.used[k] = true;
        }
        for (k, m) in &self.verbs {
            if *m == self.mode {
                self.used[*k] = true;
            }
        }
        for (name, def) in r.names {
            ctx.name(&name, def);
        }
        ctx.absorb(&r.stmts);
        let focus = r.focus.or_else(|| last_object(&r.stmts));
        if let Some(f) = focus {
            if let Some(s @ Sys::Obj(_)) = &f.sys {
                ctx.recent.push(s.clone());
            }
            if let (None, Some(1)) = (&f.sys, f.n) {
                ctx.recent.push(Sys::Obj(crate::ir::ObjRef { kind: f.kind, index: 0 }));
            }
            ctx.focus = Some(f);
        }
        self.out.extend(r.stmts);
    }

    /// A parenthetical remark with no number, comparison or relation ("(W leptonic
    /// candidate)") is a note to the reader.
    fn remarks(&mut self) {
        let mut k = 0;
        while k < self.toks.len() {
            if self.toks[k].text == "(" && !self.used[k] {
                if let Some(len) = self.toks[k + 1..].iter().position(|t| t.text == ")") {
                    let inner = k + 1..k + 1 + len;
                    let plain = inner.clone().all(|m| {
                        let t = &self.toks[m];
                        t.num.is_none() && !is_hard(&t.text)
                    });
                    if plain && self.toks[k].span.start > 0 {
                        for m in k..=k + 1 + len {
                            self.used[m] = true;
                        }
                    }
                    k += len + 2;
                    continue;
                }
            }
            k += 1;
        }
    }

    /// "Electron veto: no electrons", "Tagging jets in opposite hemispheres: η(j1) · η(j2)
    /// < 0": words before a colon that restate what follows it are a label.
    fn label_before_colon(&mut self) {
        let Some(colon) = self.toks.iter().position(|t| t.text == ":") else { return };
        let after_read = (colon + 1..self.toks.len()).any(|k| self.used[k]);
        let label_plain = self.toks[..colon].iter().all(|t| t.num.is_none() && !is_hard(&t.text));
        let after_clean = (colon + 1..self.toks.len()).all(|k| self.used[k] || !is_content(self.toks, k));
        if after_read && label_plain && after_clean {
            for k in 0..=colon {
                self.used[k] = true;
            }
        }
    }
}

/// Words a remark or a label may not carry: comparisons, counts, relations, negations.
fn is_hard(w: &str) -> bool {
    matches!(
        w,
        ">" | "<" | ">=" | "<=" | "=" | "==" | "!=" | "±" | "above" | "below" | "between" | "within"
            | "no" | "not" | "none" | "without" | "exactly" | "os" | "ss" | "sf" | "sfos" | "df"
            | "dfos" | "veto" | "vetoed" | "removed" | "discarded" | "rejected" | "or" | "every"
            | "btagged"
    )
}

/// The mode an output verb switches to.
fn verb_mode(w: &str) -> Option<Mode> {
    if !OUTPUT_VERBS.contains(&w) {
        return None;
    }
    Some(match w {
        "plot" | "histogram" | "hist" | "draw" | "drawn" | "shown" | "show" | "fill" | "book" | "make" | "produce" => Mode::Plot,
        _ => Mode::Save,
    })
}

/// The object the last cut was about, as the new focus ("the leading jet pT > 100 GeV with
/// |η| < 2.4").
fn last_object(stmts: &[Stmt]) -> Option<Focus> {
    stmts.iter().rev().find_map(|s| match s {
        Stmt::Cut(Cut::Value { q: Quantity::Prop(_, s @ Sys::Obj(o)), .. }) if o.kind != Kind::Met => {
            Some(Focus { kind: o.kind, n: None, sys: Some(s.clone()) })
        }
        Stmt::Cut(Cut::Count { target: Target::Objects { kind, .. }, cmp }) => Some(Focus {
            kind: *kind,
            n: match cmp {
                CountCmp::Exactly(n) | CountCmp::AtLeast(n) => Some(*n),
                CountCmp::AtMost(_) => None,
            },
            sys: None,
        }),
        _ => None,
    })
}
