//! The models of a kernel session and `%collm_model`, which shows and chooses them.
//!
//! One [`SessionModels`] is shared by `%collm_model`, `%%collm` and the kernel's repair loop,
//! so a model chosen once serves all three. `COLLM_MODEL=DIR` in the kernel's environment
//! chooses one at start-up; it is loaded on first use, so the kernel still answers at once.

use crate::context::MagicContext;
use crate::magic::{Magic, MagicError};
use crate::parse_args;
use clap::Parser;
use collm_nl::model::{library_path, Embedder, Models};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

/// What a model adds, told to users who have none so they know what they are missing.
pub const WITHOUT_MODEL: &str = "No model is in use: everything deterministic works (the \
phrase grammar, code generation, rustc's suggestions and the repair rules). The pretrained \
models (`collm models install`, which install.sh runs unless COLLM_NO_MODELS=1) would also \
read bullets the grammar cannot, constrained to the canonical grammar and flagged in the \
echo, propose repairs after the rules, and rank \"did you mean\" readings by meaning; \
%collm_model DIR chooses others. See the README, section Models.";

#[derive(Default)]
struct State {
    models: Models,
    /// A directory chosen by `COLLM_MODEL` and not loaded yet.
    pending: Option<PathBuf>,
}

/// The session's models, shared between the magics and the repair loop.
#[derive(Clone)]
pub struct SessionModels(Arc<Mutex<State>>);

impl Default for SessionModels {
    /// `COLLM_MODEL` (a directory, or `none`) if set, else the installed models; nothing is
    /// loaded until a cell needs it, so the kernel still answers at once.
    fn default() -> Self {
        let chosen = std::env::var_os("COLLM_MODEL").filter(|v| !v.is_empty());
        let state = match chosen {
            Some(v) if v == "none" => State::default(),
            Some(dir) => State {
                models: Models::default(),
                pending: Some(PathBuf::from(dir)),
            },
            None => State {
                models: Models::installed(),
                pending: None,
            },
        };
        SessionModels(Arc::new(Mutex::new(state)))
    }
}

impl SessionModels {
    /// Runs `f` on the models, loading a `COLLM_MODEL` choice first if there is one. A load
    /// failure is returned once, with the directory, and the session goes on without the
    /// model.
    pub fn with<R>(&self, f: impl FnOnce(&mut Models) -> R) -> Result<R, String> {
        let mut s = self.lock();
        if let Some(dir) = s.pending.take() {
            s.models =
                Models::open(&dir).map_err(|e| format!("COLLM_MODEL={}: {e}", dir.display()))?;
        }
        Ok(f(&mut s.models))
    }

    /// Prints what loading models on first use cost, and loads that failed, since the last
    /// call: a cell that made the session load a model says so.
    pub fn report(&self, ctx: &mut dyn MagicContext) {
        for line in self.lock().models.take_notices() {
            ctx.print(&format!("{line}\n"));
        }
    }

    /// A session with no models at all, whatever is installed: unit tests must not depend on
    /// the machine.
    #[cfg(test)]
    pub(crate) fn without_models() -> Self {
        SessionModels(Arc::new(Mutex::new(State::default())))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set(&self, models: Models) {
        let mut s = self.lock();
        s.pending = None;
        s.models = models;
    }
}

/// `%collm_model [DIR|none] [--embed DIR]`.
pub struct CollmModel(pub SessionModels);

/// Show or choose the models used by %%collm and the repair loop.
#[derive(Parser)]
#[command(
    name = "%collm_model",
    about = "Show or choose the models used by %%collm and the repair loop",
    after_help = "DIR is an ONNX export (model.onnx or onnx/model.onnx, tokenizer.json, config.json): a causal LM exported with its key/value cache, or a sentence encoder. A directory with lm/ and embed/ subdirectories gives both. `none` removes the models."
)]
struct CollmModelArgs {
    /// Model directory, or `none`.
    #[arg(value_name = "DIR|none")]
    dir: Option<String>,
    /// A sentence encoder to use beside the language model.
    #[arg(long, value_name = "DIR")]
    embed: Option<PathBuf>,
}

impl Magic for CollmModel {
    crate::describe_magic!(
        "collm_model",
        Line,
        "show or choose the models used by %%collm and the repair loop",
        CollmModelArgs
    );
    fn run(
        &self,
        args: &str,
        _body: Option<&str>,
        ctx: &mut dyn MagicContext,
    ) -> Result<(), MagicError> {
        let args: CollmModelArgs = parse_args("collm_model", args)?;
        let fail = |e: String| MagicError::Failed(anyhow::anyhow!("%collm_model: {e}"));
        let t0 = Instant::now();
        match args.dir.as_deref() {
            Some("none") => {
                self.0.set(Models::default());
                ctx.print("Models removed.\n");
                ctx.print(&format!("{WITHOUT_MODEL}\n"));
                return Ok(());
            }
            Some(dir) => {
                let m = Models::open(std::path::Path::new(dir)).map_err(|e| fail(e.to_string()))?;
                self.0.set(m);
            }
            None => {}
        }
        if let Some(dir) = &args.embed {
            let e = Embedder::load(dir).map_err(|e| fail(e.to_string()))?;
            self.0.with(|m| m.set_embedder(e)).map_err(fail)?;
        }
        let lines = self.0.with(|m| m.describe()).map_err(fail)?;
        if lines.is_empty() {
            ctx.print(&format!("{WITHOUT_MODEL}\n"));
        } else {
            for l in &lines {
                ctx.print(&format!("{l}\n"));
            }
            if args.dir.is_some() || args.embed.is_some() {
                ctx.print(&format!("loaded in {:.2} s\n", t0.elapsed().as_secs_f64()));
            }
        }
        ctx.print(&format!(
            "ONNX Runtime library: {}\n",
            library_path().display()
        ));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RecordingContext, Registry};

    fn fixture(name: &str) -> String {
        format!(
            "{}/../nl/tests/fixtures/models/{name}",
            env!("CARGO_MANIFEST_DIR")
        )
    }

    fn run(models: &SessionModels, args: &str) -> (String, Result<(), MagicError>) {
        let mut r = Registry::default();
        r.register(Arc::new(CollmModel(models.clone())));
        let mut ctx = RecordingContext::default();
        let res = r.run("collm_model", args, None, &mut ctx);
        (ctx.stdout(), res)
    }

    #[test]
    fn shows_chooses_and_removes_models() {
        let m = SessionModels::without_models();
        let (out, res) = run(&m, "");
        assert!(res.is_ok());
        assert!(out.contains("No model is in use"), "{out}");
        let (out, res) = run(
            &m,
            &format!("{} --embed {}", fixture("tiny-lm"), fixture("tiny-embed")),
        );
        assert!(res.is_ok(), "{res:?}");
        assert!(
            out.contains("language model: ") && out.contains("embedding model: "),
            "{out}"
        );
        assert!(m.with(|m| m.has_lm()).expect("models"));
        let (out, _) = run(&m, "none");
        assert!(out.contains("Models removed"), "{out}");
        assert!(!m.with(|m| m.has_lm()).expect("models"));
    }

    #[test]
    fn a_bad_directory_is_named() {
        let m = SessionModels::without_models();
        let (_, res) = run(&m, "/nonexistent/model");
        let err = res.expect_err("no such directory").to_string();
        assert!(
            err.contains("/nonexistent/model") && err.contains("not a directory"),
            "{err}"
        );
        let (_, res) = run(&m, &fixture(""));
        let err = res.expect_err("no model.onnx").to_string();
        assert!(err.contains("model.onnx"), "{err}");
    }
}
