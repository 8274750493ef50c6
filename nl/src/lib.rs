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
use model::bank::Bank;
use model::{Decoding, Embedder, Grammar, Lm, Models, Numbers, Request, Statements};
use read::{Ctx, Section};

/// The most tokens a model may spend on one canonical line.
const LINE_TOKENS: usize = 96;

/// One bullet through the language model: the prompt from `prompts/understand.txt` with the
/// bank's examples nearest the bullet, greedy decoding constrained to the canonical grammar and
/// to the bullet's numbers, then the grammar's own reading of the line.
fn model_read(
    (lm, embedder, bank): (&mut Lm, Option<&mut Embedder>, Result<&mut Bank, String>),
    bullet: &str,
    section: Section,
    ctx: &mut Ctx,
) -> Result<(String, Vec<Stmt>), String> {
    let name = |section: &str| match section {
        "plots" => "plots",
        "output" => "output",
        _ => "selection cuts",
    };
    let here = match section {
        Section::Cuts | Section::Description => "cuts",
        Section::Plots => "plots",
        Section::Output => "output",
    };
    let bank = bank.map_err(|why| format!("its examples could not be read: {why}"))?;
    let examples: String = bank
        .nearest(bullet, embedder)
        .iter()
        .map(|x| {
            let section = name(&x.section);
            format!(
                "Section: {section}\nBullet: {}\nCanonical: {}\n\n",
                x.phrasing, x.canonical
            )
        })
        .collect();
    let prompt = model::prompts::render(
        "understand.txt",
        &[
            ("section", name(here)),
            ("bullet", bullet),
            ("examples", &examples),
        ],
        Some(lm.dir()),
    )?;
    let statements = match section {
        Section::Cuts => Statements::Cuts,
        Section::Plots => Statements::Plots,
        Section::Output => Statements::Output,
        Section::Description => Statements::All,
    };
    let grammar = Grammar::of(statements).restricted(Numbers::from_bullet(bullet));
    let req = Request {
        prompt: prompt.trim_end(),
        max_tokens: LINE_TOKENS,
        decoding: Decoding::Greedy,
        grammar: Some(&grammar),
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
    if let Some(why) =
        agree::objects_differ(bullet, &line).or_else(|| agree::unfounded(bullet, &line))
    {
        return Err(format!("its reading \"{line}\" {why}"));
    }
    let stmts = [section, Section::Cuts, Section::Plots, Section::Output]
        .into_iter()
        .find_map(|s| {
            let mut c = ctx.clone();
            let r = read::read(&line, s, &mut c).ok()?;
            *ctx = c;
            Some(r)
        })
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
        let read = reader.map(|r| model_read(r, &item.text, item.section, &mut ctx));
        let model_note = match read {
            Some(Ok((_, stmts))) => {
                readings.push(Reading::of(item.line, item.text, stmts, true));
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
    let leftover = left
        .spans
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
