//! The deterministic phrase grammar: one bullet (or sentence) → statements.
//!
//! Reading is all-or-nothing: a bullet is understood only if every token is accounted for, so
//! a word the grammar does not know makes the bullet an error instead of being skipped.

mod cursor;
mod cuts;
mod output;
mod quantity;

use std::collections::BTreeSet;

use crate::ir::{Kind, Note, Stmt};
use crate::lex::{tokenize, Tok};
use cursor::Cursor;
pub use cursor::{MH, MTOP, MW, MZ};
use cuts::{count, overlap, pair_rel, selection, value_cut, veto};
use output::{features, note, plot};

/// Which part of the spec a bullet is in; decides what a bare quantity means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `[SELECTION_CUTS]` or free prose.
    Cuts,
    /// `[PLOTS_FOR_VALIDATION]`: a bare quantity is a plot.
    Plots,
    /// `[OUTPUT_STRUCTURE]`: a bare quantity is a saved feature.
    Output,
}

/// What earlier bullets established: the kinds already given a selection (so "at least 2 jets
/// with pT > 30" defines the jets the first time and sub-selects afterwards), and whether a
/// "the following" list header is open.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ctx {
    pub defined: BTreeSet<Kind>,
    pub list: Option<Note>,
}

impl Ctx {
    /// Records what statements establish for later bullets.
    pub fn absorb(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            match s {
                Stmt::Select {
                    kind: Kind::Lepton, ..
                } => {
                    self.defined.insert(Kind::Electron);
                    self.defined.insert(Kind::Muon);
                }
                Stmt::Select { kind, .. } => {
                    self.defined.insert(*kind);
                }
                Stmt::Note(n @ (Note::PlotsFollow | Note::FeaturesFollow)) => self.list = Some(*n),
                _ => {}
            }
        }
    }

    fn is_defined(&self, k: Kind) -> bool {
        match k {
            Kind::Lepton => {
                self.defined.contains(&Kind::Electron) || self.defined.contains(&Kind::Muon)
            }
            Kind::BJet | Kind::LightJet => self.defined.contains(&Kind::Jet),
            k => self.defined.contains(&k),
        }
    }
}

/// Reads one bullet. `None` means the grammar cannot account for every word.
pub fn read(text: &str, section: Section, ctx: &Ctx) -> Option<Vec<Stmt>> {
    let toks = unwrap_remarks(tokenize(text));
    let mut out = Vec::new();
    for clause in toks.split(|t| t.text == ";") {
        let clause: Vec<Tok> = clause.iter().filter(|t| t.text != ".").cloned().collect();
        if clause.is_empty() {
            continue;
        }
        let mut local = ctx.clone();
        local.absorb(&out);
        out.extend(statement(&clause, section, &local)?);
    }
    (!out.is_empty()).then_some(out)
}

/// Parenthetical remarks with no number, such as "(W leptonic candidate)" or "(electron or
/// muon)", are notes to the reader; remarks with numbers ("(ΔR < 0.4)") carry the cut and are
/// unwrapped. Parentheses glued to a word are calls (`pT(j1)`) and stay.
fn unwrap_remarks(toks: Vec<Tok>) -> Vec<Tok> {
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        let operand = i > 0 && ["/", "*", "+", "-", "sqrt"].contains(&toks[i - 1].text.as_str());
        if toks[i].text == "(" && !toks[i].glued && !operand {
            if let Some(len) = toks[i + 1..].iter().position(|t| t.text == ")") {
                let inner = &toks[i + 1..i + 1 + len];
                if inner.iter().any(|t| t.num.is_some()) {
                    out.extend(inner.iter().cloned());
                }
                i += len + 2;
                continue;
            }
        }
        out.push(toks[i].clone());
        i += 1;
    }
    out
}

const LEAD: &[&str] = &[
    "select",
    "selection",
    "require",
    "requires",
    "requiring",
    "required",
    "apply",
    "cut",
    "keep",
    "demand",
    "we",
    "that",
    "only",
    "accept",
    "choose",
    "also",
    "then",
    "need",
    "needs",
    "on",
    "events",
    "event",
    "with",
    "containing",
    "where",
];

/// One way of reading a clause; tried in order until one accounts for every token.
type Reader = fn(&mut Cursor, &Ctx) -> Option<Vec<Stmt>>;

const TRAIL: &[&str] = &[
    "in", "per", "event", "events", "each", "required", "selected", "gev",
];

fn statement(toks: &[Tok], section: Section, ctx: &Ctx) -> Option<Vec<Stmt>> {
    let mut c = Cursor::new(toks);
    if let Some(s) = note(toks, section) {
        return Some(vec![s]);
    }
    match c.peek()? {
        "plot" | "histogram" | "draw" | "histogramme" => {
            c.pos += 1;
            return plot(&mut c).map(|p| vec![Stmt::Plot(p)]);
        }
        "feature" | "save" | "store" | "write" | "export" => {
            c.pos += 1;
            return features(&mut c);
        }
        "overlap" | "remove" | "discard" | "drop" | "clean" => return overlap(toks),
        _ => {}
    }
    let bare = match (section, ctx.list) {
        (_, Some(Note::FeaturesFollow)) | (Section::Output, _) => Some(false),
        (_, Some(Note::PlotsFollow)) | (Section::Plots, _) => Some(true),
        _ => None,
    };
    if let Some(is_plot) = bare {
        return if is_plot {
            plot(&mut c).map(|p| vec![Stmt::Plot(p)])
        } else {
            features(&mut c)
        };
    }
    if toks
        .iter()
        .any(|t| t.text == "removed" || t.text == "overlapping")
    {
        return overlap(toks);
    }
    c.skip(LEAD);
    let attempts: [Reader; 5] = [veto, count, pair_rel, selection, value_cut];
    for f in attempts {
        let mut t = c;
        if let Some(s) = f(&mut t, ctx) {
            t.skip(TRAIL);
            if t.done() {
                return Some(s);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plot_with_range_and_remark() {
        let r = read(
            "Plot the transverse mass of lepton + MET (W leptonic) in the range 30 to 150 GeV",
            Section::Plots,
            &Ctx::default(),
        );
        assert_eq!(
            r.map(|s| crate::canon::stmts(&s)).as_deref(),
            Some("plot MT(l1, MET) in 30 to 150 GeV")
        );
    }
}
