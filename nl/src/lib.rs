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
use model::{Decoding, Grammar, Lm, Models, Request};
use parse::{Ctx, Section};

/// The most tokens a model may spend on one canonical line.
const LINE_TOKENS: usize = 96;

/// One bullet through the language model: the prompt from `prompts/understand.txt`, greedy
/// decoding constrained to the canonical grammar, then the grammar's own reading of the line.
fn model_read(
    lm: &mut Lm,
    bullet: &str,
    section: Section,
    ctx: &Ctx,
) -> Result<(String, Vec<Stmt>), String> {
    let name = match section {
        Section::Cuts => "selection cuts",
        Section::Plots => "plots",
        Section::Output => "output",
    };
    let prompt = model::prompts::render(
        "understand.txt",
        &[("section", name), ("bullet", bullet)],
        Some(lm.dir()),
    )?;
    let req = Request {
        prompt: prompt.trim_end_matches('\n'),
        max_tokens: LINE_TOKENS,
        decoding: Decoding::Greedy,
        grammar: Some(Grammar::canonical()),
        stop: None,
    };
    let out = lm.generate(&req).map_err(|e| e.to_string())?;
    if !out.finished {
        return Err(format!(
            "its reading \"{}\" was not a whole line after {LINE_TOKENS} tokens",
            out.text
        ));
    }
    let line = out.text.trim().to_owned();
    let stmts = [section, Section::Cuts, Section::Plots, Section::Output]
        .into_iter()
        .find_map(|s| parse::read(&line, s, ctx))
        .ok_or_else(|| format!("its reading \"{line}\" does not fit the earlier bullets"))?;
    Ok((canon::stmts(&stmts), stmts))
}

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
        match parse::read(&item.text, item.section, &ctx) {
            Some(stmts) => {
                ctx.absorb(&stmts);
                readings.push(Reading {
                    line: item.line,
                    canonical: canon::stmts(&stmts),
                    text: item.text,
                    stmts,
                    by_model: false,
                });
            }
            None => {
                let lm = models.as_deref_mut().and_then(|m| m.lm.as_mut());
                let model_note = match lm.map(|lm| model_read(lm, &item.text, item.section, &ctx)) {
                    Some(Ok((canonical, stmts))) => {
                        ctx.absorb(&stmts);
                        readings.push(Reading {
                            line: item.line,
                            canonical,
                            text: item.text,
                            stmts,
                            by_model: true,
                        });
                        continue;
                    }
                    Some(Err(why)) => Some(format!(
                        "the language model could not read it either: {why}"
                    )),
                    None => None,
                };
                let suggestions = match models.as_deref_mut().and_then(|m| m.embedder.as_mut()) {
                    Some(e) => echo::suggest_with(&item.text, e),
                    None => echo::suggest(&item.text),
                };
                unread.push(Unread {
                    line: item.line,
                    suggestions,
                    text: item.text,
                    model_note,
                })
            }
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
