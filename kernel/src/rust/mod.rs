//! Rust cells through evcxr.
//!
//! evcxr compiles each cell into a shared object and runs it in a child
//! process. This module adds what the kernel needs on top:
//! - a panic hook in the child that reports the panic as evcxr content, so a
//!   panicking cell is an error (evcxr alone counts it as success);
//! - the names of variables lost when the child dies (abort, stack overflow,
//!   interrupt), and what killed it;
//! - plain-text compile errors with the offending line and a caret;
//! - a small `collm` module in every cell for rich output while it runs.

mod errors;
mod prelude;

pub use errors::CellError;
use errors::{compile_error, crash_error, panic_error, question_error};
use prelude::{CELL_PRELUDE, PANIC_HOOK, PANIC_MIME};

use crate::cellcache;
use crate::fixer::rules as repair;
use crate::publish::Publisher;
use crate::question_mark;
use crate::ran;
use crate::streams::StreamForwarder;
use evcxr::{CommandContext, Error as EvcxrError, EvalCallbacks};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::process::Child;
use std::sync::{Arc, Mutex, PoisonError};

/// The evcxr session of a kernel.
pub struct RustEngine {
    ctx: CommandContext,
    publisher: Publisher,
    stdout: StreamForwarder,
    stderr: StreamForwarder,
    hooked_pid: Option<u32>,
    analysis_added: bool,
}

impl RustEngine {
    /// Starts evcxr (compiles a first trivial crate, so this takes a moment).
    pub fn start(publisher: &Publisher) -> Result<RustEngine, String> {
        let exe =
            std::env::current_exe().map_err(|e| format!("cannot find the collm binary: {e}"))?;
        let mut child = std::process::Command::new(exe);
        if let Some(dir) = crate::toolchain::target_libdir() {
            // Cells load the toolchain's libstd dynamically. evcxr relies on a
            // relative rpath, which misses when the build directory and the
            // toolchain share a path prefix (as in ~/.cache and ~/.rustup).
            let mut paths = vec![dir];
            paths.extend(std::env::var_os("LD_LIBRARY_PATH").map(std::path::PathBuf::from));
            if let Ok(joined) = std::env::join_paths(paths) {
                child.env("LD_LIBRARY_PATH", joined);
            }
        }
        let (eval, outputs) =
            evcxr::EvalContext::with_subprocess_command(child).map_err(|e| e.to_string())?;
        let ctx = CommandContext::with_eval_context(eval);
        let mut engine = RustEngine {
            ctx,
            publisher: publisher.clone(),
            stdout: StreamForwarder::spawn("stdout", outputs.stdout, publisher.clone()),
            stderr: StreamForwarder::spawn("stderr", outputs.stderr, publisher.clone()),
            hooked_pid: None,
            analysis_added: false,
        };
        // One compile for both: the helpers persist as items, the hook as
        // state of the child process.
        engine
            .ctx
            .execute(&format!(
                "{CELL_PRELUDE}\n{}\n{PANIC_HOOK}",
                question_mark::PRELUDE
            ))
            .map_err(|e| format!("could not set up Rust cells: {e}"))?;
        engine.hooked_pid = Some(engine.child_pid());
        release_free_memory();
        Ok(engine)
    }

    /// The child process handle, valid across restarts (for interrupts).
    pub fn child(&self) -> Arc<Mutex<Child>> {
        self.ctx.process_handle()
    }

    fn child_pid(&self) -> u32 {
        self.child()
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .id()
    }

    fn ensure_panic_hook(&mut self) -> Result<(), String> {
        let pid = self.child_pid();
        if self.hooked_pid != Some(pid) {
            self.ctx
                .execute(PANIC_HOOK)
                .map_err(|e| format!("could not install the panic hook: {e}"))?;
            self.hooked_pid = Some(pid);
        }
        Ok(())
    }

    /// Variables currently defined, with their types.
    pub fn variables(&self) -> BTreeMap<String, String> {
        self.ctx
            .variables_and_types()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect()
    }

    /// Runs a cell. On success, returns the MIME bundle of its final value.
    /// `interrupted` tells whether the kernel killed the child on purpose.
    pub fn execute(
        &mut self,
        code: &str,
        input: &dyn Fn(&str, bool) -> String,
        interrupted: &dyn Fn() -> bool,
    ) -> Result<Option<Map<String, Value>>, CellError> {
        if let Err(e) = self.ensure_panic_hook() {
            return Err(CellError::new("KernelError", e));
        }
        let as_written = code;
        let rewritten = cellcache::rewrite_deps(code);
        let code = rewritten.as_deref().unwrap_or(code);
        if code.contains(":dep collm-analysis") {
            self.analysis_added = true;
        } else if code.contains("collm_analysis") {
            self.add_analysis()?;
        }
        let before = self.variables();
        let mut callbacks = EvalCallbacks {
            // evcxr cuts prompts at ':'; the prelude sends U+2236 instead.
            input_reader: &|req| input(&req.prompt.replace('\u{2236}', ":"), req.is_password),
        };
        let wrapped = question_mark::wrap(code);
        let mut result = self
            .ctx
            .execute_with_callbacks(wrapped.as_deref().unwrap_or(code), &mut callbacks);
        if wrapped.is_some() && matches!(result, Err(EvcxrError::CompilationErrors(_))) {
            // Nothing ran. The cell as written gives the errors (and rustc's fixes) in the
            // user's own code, and runs if only the wrapping failed to compile.
            result = self.ctx.execute_with_callbacks(code, &mut callbacks);
        }
        self.stdout.flush();
        self.stderr.flush();
        release_free_memory();
        let tail = self.stderr.take_tail();
        let lost: Vec<String> = before
            .keys()
            .filter(|k| !self.variables().contains_key(*k))
            .cloned()
            .collect();
        match result {
            Ok(outputs) => self.finished(outputs, as_written, code, &lost),
            Err(EvcxrError::CompilationErrors(errors)) => {
                let mut error = compile_error(&errors);
                let json: Vec<Value> = errors.iter().map(|e| e.json.clone()).collect();
                let generated = self.ctx.last_source().unwrap_or_default();
                error.fix = repair::fix_compile_errors(code, &generated, &json);
                Err(error)
            }
            Err(EvcxrError::SubprocessTerminated(message)) => {
                self.hooked_pid = None;
                Err(crash_error(&message, &tail, &lost, interrupted()))
            }
            Err(EvcxrError::TypeRedefinedVariablesLost(vars)) => Err(CellError::new(
                "VariablesLost",
                format!(
                    "a type was redefined, so these variables were lost: {}",
                    vars.join(", ")
                ),
            )),
            Err(EvcxrError::Message(message)) => Err(CellError::new("Error", message)),
        }
    }

    /// A cell that evcxr ran to its end: it still failed if it reported a `?` error or a
    /// panic. Otherwise a generated analysis gets its `analysis.rs`, and the final value's
    /// MIME bundle is the result. `as_written` is the cell's text, `code` what evcxr ran.
    fn finished(
        &mut self,
        mut outputs: evcxr::EvalOutputs,
        as_written: &str,
        code: &str,
        lost: &[String],
    ) -> Result<Option<Map<String, Value>>, CellError> {
        if let Some(total) = outputs.timing {
            // `:timing` is on: where the time went.
            let mut text = format!("Took {}ms\n", total.as_millis());
            for p in &outputs.phases {
                text.push_str(&format!("  {}: {}ms\n", p.name, p.duration.as_millis()));
            }
            self.publisher.stream("stdout", &text);
        }
        let reports = &mut outputs.content_by_mime_type;
        if let Some(report) = reports.remove(question_mark::ERROR_MIME) {
            return Err(question_error(&report, lost));
        }
        if let Some(report) = reports.remove(PANIC_MIME) {
            let mut error = panic_error(&report, lost);
            error.fix = self.panic_fix(code, &report, &error.evalue);
            return Err(error);
        }
        if let Err(e) = ran::record(as_written) {
            return Err(CellError::new("OutputError", e.to_string()));
        }
        let bundle: Map<String, Value> = outputs
            .content_by_mime_type
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        // A unit final value (`f();` without the semicolon) is not a result.
        let unit = bundle.len() == 1 && bundle.get("text/plain") == Some(&Value::from("()"));
        Ok((!bundle.is_empty() && !unit).then_some(bundle))
    }

    /// A guard for an indexing panic, placed by the panic's line in the
    /// generated crate (`src/lib.rs:LINE:COL` in the report).
    fn panic_fix(&self, code: &str, report: &str, message: &str) -> Option<String> {
        let place = report.split('\u{1f}').nth(1)?;
        let line: usize = place
            .strip_prefix("src/lib.rs:")?
            .split(':')
            .next()?
            .parse()
            .ok()?;
        let generated = self.ctx.last_source().ok()?;
        repair::fix_index_panic(code, &generated, message, line)
    }

    /// Makes `collm_analysis` available to cells; the first time in a build
    /// directory this compiles the library, which is worth a notice.
    pub fn add_analysis(&mut self) -> Result<(), CellError> {
        if self.analysis_added {
            return Ok(());
        }
        self.publisher.stream(
            "stderr",
            "Loading the collm-analysis library (compiled once per build directory)…\n",
        );
        self.ctx
            .execute(&cellcache::analysis_dep_command())
            .map_err(|e| match e {
                EvcxrError::CompilationErrors(errors) => compile_error(&errors),
                other => CellError::new("DependencyError", other.to_string()),
            })?;
        self.analysis_added = true;
        Ok(())
    }

    /// Completions at byte offset `pos`: (start, end, candidates).
    pub fn complete(&mut self, code: &str, pos: usize) -> Option<(usize, usize, Vec<String>)> {
        let c = self.ctx.completions(code, pos).ok()?;
        let mut names: Vec<String> = c.completions.into_iter().map(|c| c.code).collect();
        names.dedup();
        Some((c.start_offset, c.end_offset, names))
    }

    /// Type and documentation of the item at byte offset `pos`.
    pub fn inspect(&mut self, code: &str, pos: usize) -> Option<String> {
        let (text, _) = self.ctx.hover_at(code, pos).ok()?;
        (!text.trim().is_empty()).then_some(text)
    }
}

/// Hands memory that evcxr's analysis freed back to the system. glibc keeps
/// freed heap pages in its arenas, so without this the kernel's resident size
/// stays at its high-water mark.
pub fn release_free_memory() {
    // SAFETY: malloc_trim only walks glibc's own allocator state; it is safe
    // to call at any time from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}
