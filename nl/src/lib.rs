//! `%%collm`: natural-language selection cuts → a typed analysis IR → a readable Rust cell.
//!
//! The pipeline is deterministic: [`spec::items`] splits the text (CoLLM sections, bullets,
//! terse lines or prose paragraphs) into items with line numbers, the compositional reader
//! ([`read`]) reads each item into [`ir::Stmt`]s with a discourse context, [`canon`] renders
//! every reading as a one-line canonical form that the reader reads back to the same
//! statements, and [`codegen`] turns the assembled [`ir::Analysis`] into code on
//! `collm-analysis`. An item with a number, comparison, object or quantity word that no
//! reading used is an error marking those words, with the nearest readings; nothing is
//! dropped or guessed.
//!
//! Physics conventions are those of DESIGN §5 and the `collm-analysis` crate docs: "lepton"
//! is e or μ, b-jet means `btag >= 1`, cuts are strict, "between a and b" is `a < x < b`.

mod agree;
mod by_model;
pub mod canon;
pub mod codegen;
pub mod conventions;
pub mod echo;
pub mod ir;
mod lex;
mod lexicon;
pub mod model;
pub mod read;
pub mod spec;
mod token;

pub use codegen::{codegen, codegen_main, Options};
pub use echo::{Mark, Reading, SpecError, Unread};

use ir::{Analysis, Stmt};
use model::Models;
use read::Ctx;

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
    understand_with(spec, None)
}

/// Like [`understand`], with models: a bullet the grammar cannot read goes to the language
/// model, whose constrained output is a canonical line the grammar then reads (and the echo
/// flags); suggestions for bullets left unread are ranked by the encoder.
pub fn understand_with(
    spec: &str,
    mut models: Option<&mut Models>,
) -> Result<Understood, SpecError> {
    let mut ctx = Ctx::default();
    let mut readings = Vec::new();
    let mut unread = Vec::new();
    let mut section = None;
    for item in spec::items(spec) {
        if section != Some(item.section) {
            ctx.list = None;
            section = Some(item.section);
        }
        let before = item.title.then(|| ctx.clone());
        let left = match read::read(&item.text, item.section, &mut ctx) {
            Ok(stmts) => {
                readings.push(Reading::of(item.line, item.text, stmts, false));
                continue;
            }
            Err(_) if item.title => {
                ctx = before.unwrap_or_default();
                let stmts = vec![Stmt::Note(ir::Note::Description)];
                readings.push(Reading::of(item.line, item.text, stmts, false));
                continue;
            }
            Err(left) => left,
        };
        let reader = models.as_deref_mut().and_then(Models::reader);
        let read = reader.map(|r| by_model::read(r, &item.text, item.section, &mut ctx));
        let model_note = match read {
            Some(Ok((stmts, alternatives))) => {
                let mut r = Reading::of(item.line, item.text, stmts, true);
                r.alternatives = alternatives;
                readings.push(r);
                continue;
            }
            Some(Err(why)) => Some(format!(
                "the language model could not read it either: {why}"
            )),
            None => None,
        };
        let embedder = models.as_deref_mut().and_then(Models::embedder);
        unread.push(unread_item(item, &left, model_note, embedder));
    }
    if !unread.is_empty() {
        return Err(SpecError {
            unread,
            problem: None,
            read: readings,
        });
    }
    // Each convention is stated where it is first relied on.
    let mut stated: Vec<&str> = Vec::new();
    for r in &mut readings {
        r.conventions.retain(|c| !stated.contains(c));
        stated.extend(r.conventions.iter().copied());
    }
    let analysis = assemble(readings.iter().flat_map(|r| r.stmts.iter()));
    if analysis.cuts.is_empty() && analysis.plots.is_empty() && analysis.features.is_empty() {
        return Err(nothing_to_run(readings));
    }
    Ok(Understood { readings, analysis })
}

/// A bullet nothing could read: its words left over, marked where they stand in the spec,
/// with the nearest readings (ranked by the encoder when there is one).
fn unread_item(
    item: spec::Item,
    left: &read::Leftover,
    model_note: Option<String>,
    embedder: Option<&mut model::Embedder>,
) -> Unread {
    let suggestions = match embedder {
        Some(e) => echo::suggest_with(&item.text, e),
        None => echo::suggest(&item.text),
    };
    let mut spans = left.spans.clone();
    // A word the lexer spelled out as several tokens ("m_ll") is marked once.
    spans.dedup();
    let leftover = spans
        .iter()
        .map(|r| {
            let (line, column) = item.position(r.start);
            Mark {
                line,
                column,
                word: item.text[r.clone()].to_owned(),
                start: r.start,
                end: r.end,
            }
        })
        .collect();
    Unread {
        line: item.line,
        suggestions,
        text: item.text,
        leftover,
        model_note,
    }
}

/// A spec that read but asks for nothing: an error that says so, with what was read.
fn nothing_to_run(readings: Vec<Reading>) -> SpecError {
    let what = if readings.is_empty() {
        "the spec is empty"
    } else {
        "the spec has no selection cuts, plots or features"
    };
    SpecError {
        unread: Vec::new(),
        problem: Some(format!(
            "{what}: nothing to run. Write at least one cut, plot or feature, for example \
             \"- Require MET > 30 GeV\", \"- Plot the pT of the leading jet\" or \
             \"- Save to CSV: MET\"."
        )),
        read: readings,
    }
}

/// Orders statements into the analysis; "each histogram N bins" and "normalise all" apply to
/// every plot that does not say otherwise.
pub fn assemble<'a>(stmts: impl IntoIterator<Item = &'a Stmt>) -> Analysis {
    let mut a = Analysis::default();
    let (mut bins, mut norm, mut log) = (None, false, false);
    for s in stmts {
        match s {
            Stmt::Select { .. } | Stmt::Overlap { .. } => a.objects.push(s.clone()),
            Stmt::Cut(c) => a.cuts.push(c.clone()),
            Stmt::Plot(p) => a.plots.push(p.clone()),
            Stmt::Feature(q) => a.features.push(q.clone()),
            Stmt::AllBins(n) => bins = Some(*n),
            Stmt::AllNormalised => norm = true,
            Stmt::AllLogY => log = true,
            Stmt::Note(_) | Stmt::Define { .. } | Stmt::Name { .. } => {}
        }
    }
    for p in &mut a.plots {
        p.bins = p.bins.or(bins);
        p.normalised |= norm;
        p.log_y |= log;
    }
    a
}
