//! `%%collm`: natural-language selection cuts → a typed analysis IR → a readable Rust cell.
//!
//! The pipeline is deterministic: [`spec::items`] splits the text (CoLLM sections or prose)
//! into bullets with line numbers, the phrase grammar ([`parse`]) reads each bullet into
//! [`ir::Stmt`]s, [`canon`] renders every reading as a one-line canonical form that the grammar
//! reads back to the same statements, and [`codegen`] turns the assembled [`ir::Analysis`]
//! into code on `collm-analysis`. A bullet the grammar cannot account for word by word is an
//! error quoting it with the nearest readings; nothing is dropped or guessed.
//!
//! Physics conventions are those of DESIGN §5 and the `collm-analysis` crate docs: "lepton"
//! is e or μ, b-jet means `btag >= 1`, cuts are strict, "between a and b" is `a < x < b`.

pub mod canon;
pub mod codegen;
pub mod echo;
pub mod ir;
mod lex;
pub mod model;
pub mod parse;
pub mod spec;

pub use codegen::{codegen, codegen_main, Options};
pub use echo::{Reading, SpecError, Unread};

use ir::{Analysis, Stmt};
use parse::Ctx;

/// The result of reading a spec: the per-bullet echo and the assembled analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Understood {
    pub readings: Vec<Reading>,
    pub analysis: Analysis,
}

impl Understood {
    /// The echo table as HTML (bullet | reading).
    pub fn echo_html(&self) -> String {
        echo::table_html(&self.readings)
    }

    /// The echo table as text.
    pub fn echo_text(&self) -> String {
        echo::table_text(&self.readings)
    }
}

/// Reads a whole spec. Any unreadable bullet makes the result an error that lists all of
/// them (with suggestions) together with what was read.
pub fn understand(spec: &str) -> Result<Understood, SpecError> {
    let mut ctx = Ctx::default();
    let mut readings = Vec::new();
    let mut unread = Vec::new();
    let mut section = None;
    for item in spec::items(spec) {
        if section != Some(item.section) {
            ctx.list = None;
            section = Some(item.section);
        }
        match parse::read(&item.text, item.section, &ctx) {
            Some(stmts) => {
                ctx.absorb(&stmts);
                readings.push(Reading {
                    line: item.line,
                    canonical: canon::stmts(&stmts),
                    text: item.text,
                    stmts,
                });
            }
            None => unread.push(Unread {
                line: item.line,
                suggestions: echo::suggest(&item.text),
                text: item.text,
            }),
        }
    }
    if !unread.is_empty() {
        return Err(SpecError {
            unread,
            problem: None,
            read: readings,
        });
    }
    let analysis = assemble(readings.iter().flat_map(|r| r.stmts.iter()));
    if analysis.cuts.is_empty() && analysis.plots.is_empty() && analysis.features.is_empty() {
        let what = if readings.is_empty() {
            "the spec is empty"
        } else {
            "the spec has no selection cuts, plots or features"
        };
        return Err(SpecError {
            unread,
            problem: Some(format!(
                "{what}: nothing to run. Write at least one cut, plot or feature, for example \
                 \"- Require MET > 30 GeV\", \"- Plot the pT of the leading jet\" or \
                 \"- Save to CSV: MET\"."
            )),
            read: readings,
        });
    }
    Ok(Understood { readings, analysis })
}

/// Orders statements into the analysis; "each histogram N bins" and "normalise all" apply to
/// every plot that does not say otherwise.
pub fn assemble<'a>(stmts: impl IntoIterator<Item = &'a Stmt>) -> Analysis {
    let mut a = Analysis::default();
    let (mut bins, mut norm) = (None, false);
    for s in stmts {
        match s {
            Stmt::Select { .. } | Stmt::Overlap { .. } => a.objects.push(s.clone()),
            Stmt::Cut(c) => a.cuts.push(c.clone()),
            Stmt::Plot(p) => a.plots.push(p.clone()),
            Stmt::Feature(q) => a.features.push(q.clone()),
            Stmt::AllBins(n) => bins = Some(*n),
            Stmt::AllNormalised => norm = true,
            Stmt::Note(_) => {}
        }
    }
    for p in &mut a.plots {
        p.bins = p.bins.or(bins);
        p.normalised |= norm;
    }
    a
}
