//! `%%collm`: selection cuts in words → a Rust analysis cell, shown, inserted
//! below, and run.

use crate::collm_model::{SessionModels, WITHOUT_MODEL};
use crate::context::MagicContext;
use crate::magic::{Magic, MagicError};
use crate::parse_args;
use clap::Parser;
use collm_analysis::text::html_escape;
use collm_nl::model::Models;
use collm_nl::{codegen, echo, understand_with, Options, Understood};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// `%%collm [--data FILE...] [--out DIR] [--model M] [--no-run] [--max-fix N] [--lenient]`.
#[derive(Default)]
pub struct Collm(pub SessionModels);

/// Turn selection cuts written in words (CoLLM sections or prose) into a Rust
/// analysis cell over LHCO files, insert it below, and run it.
#[derive(Parser)]
#[command(
    name = "%%collm",
    about = "Selection cuts in words -> a Rust analysis cell: echo how every bullet was read, insert the cell below, run it, show the cutflow and plots",
    after_help = "The cell body uses the CoLLM sections [SELECTION_CUTS], [PLOTS_FOR_VALIDATION] and [OUTPUT_STRUCTURE], or plain prose.\nOutputs in --out: cutflow.csv, features.csv, one PNG per plot, analysis.rs."
)]
struct CollmArgs {
    /// LHCO files to analyse (plain or .gz), read in order.
    #[arg(long, num_args = 1.., required = true, value_name = "FILE")]
    data: Vec<PathBuf>,
    /// Directory for cutflow.csv, features.csv, the plots and analysis.rs.
    #[arg(long, default_value = "collm-out", value_name = "DIR")]
    out: PathBuf,
    /// Only echo and generate the cell; do not run it.
    #[arg(long)]
    no_run: bool,
    /// Automatic repairs a failing cell may get, each shown as a diff.
    #[arg(long, default_value_t = 3, value_name = "N")]
    max_fix: usize,
    /// Model directory for this run only, or `none` for no model (default: the session's,
    /// chosen with %collm_model).
    #[arg(long, value_name = "DIR|none")]
    model: Option<String>,
    /// Skip malformed events in the data (counted and reported by reason) instead of
    /// stopping at the first one.
    #[arg(long)]
    lenient: bool,
}

/// A generated analysis and how long each step took.
pub struct Generated {
    /// How every bullet was read.
    pub understood: Understood,
    /// The Rust cell.
    pub code: String,
    /// Time to read the spec.
    pub understand: Duration,
    /// Time to generate the cell.
    pub codegen: Duration,
}

/// Reads a spec and generates its cell, or explains which bullets could not
/// be read. Shared by `%%collm` and the headless `collm run`.
pub fn generate(
    spec: &str,
    data: &[PathBuf],
    out: &Path,
    lenient: bool,
    models: Option<&mut Models>,
) -> Result<Generated, collm_nl::SpecError> {
    let t0 = Instant::now();
    let understood = understand_with(spec, models)?;
    let understand = t0.elapsed();
    let options = Options {
        data: data.iter().map(|p| p.display().to_string()).collect(),
        out: out.display().to_string(),
        // The kernel writes analysis.rs from the cell that actually runs.
        write_source: false,
        lenient,
    };
    let t1 = Instant::now();
    let code = codegen(&understood.analysis, &options);
    Ok(Generated {
        understood,
        code,
        understand,
        codegen: t1.elapsed(),
    })
}

impl Magic for Collm {
    crate::describe_magic!(
        "collm",
        Cell,
        "selection cuts in words -> a Rust analysis cell, run, cutflow and plots",
        CollmArgs
    );
    fn run(
        &self,
        args: &str,
        spec: Option<&str>,
        ctx: &mut dyn MagicContext,
    ) -> Result<(), MagicError> {
        let args: CollmArgs = parse_args("collm", args)?;
        let spec = spec.unwrap_or_default();
        check_inputs(spec, &args.data)?;
        let generated = self.generate_with_model(spec, &args)?;
        self.0.report(ctx);
        let generated = match generated {
            Ok(ok) => ok,
            Err(e) => return Err(show_unread(ctx, &e)),
        };
        show_generated(ctx, &generated);
        if args.no_run {
            ctx.insert_below(&generated.code);
            return Ok(());
        }
        ctx.check_cancelled()?;
        run_and_insert(ctx, generated, args.max_fix)
    }
}

impl Collm {
    /// Generates the cell with the model `--model` names, or the session's without the flag.
    /// The outer error is a model that cannot be loaded; the inner one, a spec that cannot be
    /// read.
    fn generate_with_model(
        &self,
        spec: &str,
        args: &CollmArgs,
    ) -> Result<Result<Generated, collm_nl::SpecError>, MagicError> {
        let (data, out, lenient) = (&args.data, &args.out, args.lenient);
        match args.model.as_deref() {
            Some("none") => Ok(generate(spec, data, out, lenient, None)),
            Some(dir) => {
                let mut m = Models::open(Path::new(dir))
                    .map_err(|e| MagicError::Usage(format!("%%collm: --model {dir}: {e}")))?;
                Ok(generate(spec, data, out, lenient, Some(&mut m)))
            }
            None => self
                .0
                .with(|m| generate(spec, data, out, lenient, Some(m)))
                .map_err(|e| MagicError::Failed(anyhow::anyhow!("%%collm: {e}"))),
        }
    }
}

/// Usage errors that are cheaper to report before reading the spec: no spec, missing data.
fn check_inputs(spec: &str, data: &[PathBuf]) -> Result<(), MagicError> {
    if spec.trim().is_empty() {
        return Err(MagicError::Usage(
            "%%collm: the cell has no selection cuts; write them below the %%collm line".into(),
        ));
    }
    for file in data {
        if !file.exists() {
            return Err(MagicError::Usage(format!(
                "%%collm: --data {}: no such file",
                file.display()
            )));
        }
    }
    Ok(())
}

/// Shows which bullets could not be read (and, when no model was tried, what one would add);
/// returns the error that stops the magic before anything runs.
fn show_unread(ctx: &mut dyn MagicContext, e: &collm_nl::SpecError) -> MagicError {
    ctx.display(
        json!({"text/html": echo::error_html(e), "text/plain": e.to_string()}),
        json!({}),
        None,
    );
    let model_tried = e.unread.iter().any(|u| u.model_note.is_some());
    if !e.unread.is_empty() && !model_tried {
        ctx.print(&format!("{WITHOUT_MODEL}\n"));
    }
    let why = match &e.problem {
        Some(problem) => problem.clone(),
        None => format!("{} bullet(s) could not be read", e.unread.len()),
    };
    MagicError::Failed(anyhow::anyhow!("{why}; nothing was run"))
}

/// Shows how every bullet was read, then the generated cell (folded).
fn show_generated(ctx: &mut dyn MagicContext, g: &Generated) {
    ctx.display(
        json!({"text/html": g.understood.echo_html(), "text/plain": g.understood.echo_text()}),
        json!({}),
        None,
    );
    let lines = g.code.lines().count();
    ctx.display(
        json!({
            "text/html": format!(
                "<details><summary>Generated Rust analysis ({lines} lines, also inserted as the next cell)</summary><pre>{}</pre></details>",
                html_escape(&g.code)
            ),
            "text/plain": g.code,
        }),
        json!({}),
        None,
    );
}

/// Runs the generated cell with up to `max_fix` repairs, reports the time of each step, and
/// inserts below the code that finally ran (repairs included), or the last failing version.
fn run_and_insert(
    ctx: &mut dyn MagicContext,
    generated: Generated,
    max_fix: usize,
) -> Result<(), MagicError> {
    let t0 = Instant::now();
    let result = ctx.run_repairing(&generated.code, max_fix);
    ctx.print(&format!(
        "understood in {:.2} ms, generated in {:.2} ms, compiled and ran in {:.2} s\n",
        generated.understand.as_secs_f64() * 1e3,
        generated.codegen.as_secs_f64() * 1e3,
        t0.elapsed().as_secs_f64()
    ));
    let inserted = match &result {
        Ok(ran) => ran.clone(),
        Err(_) => ctx.last_failed().unwrap_or(generated.code),
    };
    ctx.insert_below(&inserted);
    result.map(|_| ()).map_err(MagicError::Failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Recorded, RecordingContext, Registry};
    use std::sync::Arc;

    fn run(args: &str, body: &str) -> (RecordingContext, Result<(), MagicError>) {
        let mut r = Registry::default();
        r.register(Arc::new(Collm(SessionModels::without_models())));
        let mut ctx = RecordingContext::default();
        let res = r.run("collm", args, Some(body), &mut ctx);
        (ctx, res)
    }

    /// A small LHCO file of its own for each test (tests run in parallel).
    fn data_file(test: &str) -> PathBuf {
        let p =
            std::env::temp_dir().join(format!("collm-magic-{}-{test}.lhco", std::process::id()));
        std::fs::write(&p, "0 1 0\n1 6 0.0 0.0 10.0 0 0 0 0 0 0\n").unwrap();
        p
    }

    #[test]
    fn generates_echoes_inserts_and_runs() {
        let data = data_file("runs");
        let (ctx, res) = run(
            &format!("--data {} --out /tmp/collm-magic-out", data.display()),
            "[SELECTION_CUTS]\n- Select muons with pT > 20 GeV and |eta| < 2.4\n- Require exactly two muons\n",
        );
        res.unwrap();
        let payload = ctx
            .outputs
            .iter()
            .find_map(|o| match o {
                Recorded::Payload(p) => Some(p.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(payload["source"], "set_next_input");
        let code = payload["text"].as_str().unwrap();
        assert!(code.contains("use collm_analysis::prelude::*;"));
        assert_eq!(ctx.ran, vec![code.to_string()], "the generated cell is run");
        let Recorded::Display(echo, _, _) = &ctx.outputs[0] else {
            panic!()
        };
        assert!(echo["text/plain"].as_str().unwrap().contains("muons"));
        std::fs::remove_file(data).ok();
    }

    #[test]
    fn unreadable_bullets_stop_before_anything_runs() {
        let data = data_file("unreadable");
        let (ctx, res) = run(
            &format!("--data {} --no-run", data.display()),
            "[SELECTION_CUTS]\n- Require the flux capacitor to be charged\n",
        );
        let msg = res.unwrap_err().to_string();
        assert!(msg.contains("could not be read"), "{msg}");
        assert!(ctx.ran.is_empty());
        let Recorded::Display(err, _, _) = &ctx.outputs[0] else {
            panic!()
        };
        assert!(err["text/plain"]
            .as_str()
            .unwrap()
            .contains("flux capacitor"));
        std::fs::remove_file(data).ok();
    }

    #[test]
    fn missing_data_file_is_named() {
        let (_, res) = run("--data /no/such.lhco", "- Require at least one jet\n");
        assert!(res.unwrap_err().to_string().contains("/no/such.lhco"));
    }
}
