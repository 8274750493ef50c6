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

use crate::cellcache;
use crate::publish::Publisher;
use crate::question_mark;
use crate::ran;
use crate::repair;
use crate::streams::StreamForwarder;
use evcxr::{CommandContext, Error as EvcxrError, EvalCallbacks};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::process::Child;
use std::sync::{Arc, Mutex, PoisonError};

/// evcxr content type our panic hook reports on.
const PANIC_MIME: &str = "application/vnd.collm.panic";

/// Installed in the child after every start. Fields are separated by U+001F
/// and newlines in the message by U+001E, so the report is one line.
const PANIC_HOOK: &str = r#"std::panic::set_hook(Box::new(|info| {
    let payload = info.payload();
    let msg = if let Some(s) = payload.downcast_ref::<&str>() { (*s).to_string() }
        else if let Some(s) = payload.downcast_ref::<String>() { s.clone() }
        else { String::from("Box<dyn Any>") };
    let place = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
    let thread = std::thread::current().name().unwrap_or("<unnamed>").to_string();
    println!("EVCXR_BEGIN_CONTENT application/vnd.collm.panic");
    println!("{}\u{1f}{}\u{1f}{}", thread, place, msg.replace('\n', "\u{1e}"));
    println!("EVCXR_END_CONTENT");
}));"#;

/// Rich output for Rust cells: `collm::display("text/html", "<b>hi</b>")`.
/// It prints our display marker, which the kernel turns into display messages
/// while the cell is still running.
const CELL_PRELUDE: &str = r#"
/// Rich output from Rust cells (displays, updates, clearing the output).
#[allow(dead_code)]
pub mod collm {
    fn esc(s: &str) -> String {
        let mut o = String::with_capacity(s.len() + 2);
        o.push('"');
        for c in s.chars() {
            match c {
                '"' => o.push_str("\\\""),
                '\\' => o.push_str("\\\\"),
                '\n' => o.push_str("\\n"),
                '\r' => o.push_str("\\r"),
                '\t' => o.push_str("\\t"),
                c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
                c => o.push(c),
            }
        }
        o.push('"');
        o
    }
    fn emit(kind: &str, mime: &str, content: &str, id: Option<&str>) {
        let id = id.map(|i| format!(",\"display_id\":{}", esc(i))).unwrap_or_default();
        println!("COLLM_DISPLAY {{\"kind\":\"{}\",\"data\":{{{}:{}}}{}}}", kind, esc(mime), esc(content), id);
    }
    /// Shows `content` with MIME type `mime` (base64 for images).
    pub fn display(mime: &str, content: &str) { emit("display", mime, content, None) }
    /// Shows content that can later be replaced with `update_display`.
    pub fn display_with_id(mime: &str, content: &str, id: &str) { emit("display", mime, content, Some(id)) }
    /// Replaces the display created with the same id.
    pub fn update_display(mime: &str, content: &str, id: &str) { emit("update", mime, content, Some(id)) }
    fn ask(prompt: &str, password: bool) -> String {
        let kind = if password { "EVCXR_INPUT_REQUEST_PASSWORD" } else { "EVCXR_INPUT_REQUEST" };
        println!("{}:{}", kind, prompt.replace(':', "\u{2236}"));
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
        line.trim_end_matches(['\n', '\r']).to_string()
    }
    /// Asks the user for a line of text in the notebook.
    pub fn input(prompt: &str) -> String { ask(prompt, false) }
    /// Asks for a secret; the notebook hides what is typed.
    pub fn password(prompt: &str) -> String { ask(prompt, true) }
    /// Clears the cell output (with `wait`, when new output arrives).
    pub fn clear_output(wait: bool) { println!("COLLM_DISPLAY {{\"kind\":\"clear\",\"wait\":{}}}", wait) }
    /// Shows a cell's final value with `Debug` when its type has no
    /// `evcxr_display` of its own. evcxr tries `evcxr_display` first and falls
    /// back to `Debug` with a second compile; this makes the first one succeed.
    #[doc(hidden)]
    pub trait DebugResult {
        fn evcxr_display(&self);
    }
    impl<T: std::fmt::Debug + ?Sized> DebugResult for T {
        fn evcxr_display(&self) {
            println!("EVCXR_BEGIN_CONTENT text/plain\n{:?}\nEVCXR_END_CONTENT", self);
        }
    }
}
use collm::DebugResult as _;
"#;

/// A failed cell, in the protocol's error shape.
#[derive(Debug, Clone)]
pub struct CellError {
    /// Error name (`CompileError`, `Panic`, `Interrupted`, ...).
    pub ename: String,
    /// One-line description.
    pub evalue: String,
    /// Plain-text lines, no ANSI codes.
    pub traceback: Vec<String>,
    /// The cell with repairs applied, when a repair rule knows one.
    pub fix: Option<String>,
}

impl CellError {
    /// An error with a one-line traceback.
    pub fn new(ename: &str, evalue: impl Into<String>) -> CellError {
        let evalue = evalue.into();
        CellError {
            ename: ename.to_string(),
            traceback: vec![format!("{ename}: {evalue}")],
            evalue,
            fix: None,
        }
    }
}

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

fn lost_line(lost: &[String]) -> Option<String> {
    (!lost.is_empty()).then(|| format!("Variables lost: {}", lost.join(", ")))
}

/// An `Err` that left the cell through `?`: the cell fails with the error's own name.
fn question_error(report: &str, lost: &[String]) -> CellError {
    let r = question_mark::reported(report);
    let mut traceback = r.traceback;
    traceback.extend(lost_line(lost));
    CellError {
        ename: r.ename,
        evalue: r.evalue,
        traceback,
        fix: None,
    }
}

fn panic_error(report: &str, lost: &[String]) -> CellError {
    let first = report.lines().next().unwrap_or_default();
    let mut fields = first.splitn(3, '\u{1f}');
    let thread = fields.next().unwrap_or("<unnamed>");
    let place = fields.next().unwrap_or_default();
    let message = fields.next().unwrap_or_default().replace('\u{1e}', "\n");
    let mut traceback = vec![if thread == "<unnamed>" || thread == "main" {
        format!("panicked: {message}")
    } else {
        format!("thread '{thread}' panicked: {message}")
    }];
    // Locations inside the generated cell crate mean nothing to the user.
    if !place.is_empty() && !place.starts_with("src/lib.rs") {
        traceback.push(format!("  at {place}"));
    }
    traceback.extend(lost_line(lost));
    CellError {
        ename: "Panic".to_string(),
        evalue: message,
        traceback,
        fix: None,
    }
}

fn crash_error(message: &str, tail: &[String], lost: &[String], interrupted: bool) -> CellError {
    let joined = tail.join("\n");
    let (ename, evalue) = if interrupted {
        ("Interrupted", "the cell was interrupted".to_string())
    } else if joined.contains("overflowed its stack") || joined.contains("stack overflow") {
        (
            "StackOverflow",
            "the cell overflowed its stack (unbounded recursion?)".to_string(),
        )
    } else if joined.contains("Segmentation fault") {
        ("Crash", "segmentation fault in the cell".to_string())
    } else if message.contains("SIGSEGV") {
        // evcxr's SIGSEGV handler reports and aborts; dying of SIGSEGV itself
        // means the handler had no stack left to run on: a stack overflow.
        (
            "StackOverflow",
            "the cell overflowed its stack (unbounded recursion?)".to_string(),
        )
    } else if message.contains("SIGABRT") {
        (
            "Abort",
            "the cell aborted the process (std::process::abort or a fatal runtime error)"
                .to_string(),
        )
    } else {
        ("Crash", "the process running the cell exited".to_string())
    };
    let mut traceback = vec![format!("{ename}: {evalue}")];
    let status = message.lines().last().unwrap_or_default();
    if !interrupted && !status.is_empty() {
        traceback.push(status.to_string());
    }
    traceback.push("The Rust session was restarted.".to_string());
    traceback.extend(lost_line(lost));
    CellError {
        ename: ename.to_string(),
        evalue,
        traceback,
        fix: None,
    }
}

fn compile_error(errors: &[evcxr::CompilationError]) -> CellError {
    let mut traceback = Vec::new();
    for e in errors {
        let head = match e.code() {
            Some(code) => format!("{}[{code}]: {}", e.level(), e.message()),
            None => format!("{}: {}", e.level(), e.message()),
        };
        traceback.push(head);
        let marks: Vec<Mark> = e
            .spanned_messages()
            .iter()
            .map(|m| Mark {
                span: m
                    .span
                    .map(|s| (s.start_line, s.start_column, s.end_line, s.end_column)),
                lines: m.lines.clone(),
                label: m.label.clone(),
            })
            .collect();
        traceback.extend(annotate(&marks));
        for help in e.help() {
            traceback.push(format!("  = help: {help}"));
        }
    }
    let evalue = errors
        .first()
        .map(|e| e.message())
        .unwrap_or_else(|| "compilation failed".to_string());
    CellError {
        ename: "CompileError".to_string(),
        evalue,
        traceback,
        fix: None,
    }
}

/// One labelled span of a compile error: (start line, start column, end
/// line, end column), 1-based, in the user's cell.
struct Mark {
    span: Option<(usize, usize, usize, usize)>,
    lines: Vec<String>,
    label: String,
}

/// Source lines with carets under each labelled span, each line shown once,
/// in the style of rustc but without colour codes.
fn annotate(messages: &[Mark]) -> Vec<String> {
    let mut out = Vec::new();
    // line number -> (source text, carets as (column, width, label))
    type Carets = Vec<(usize, usize, String)>;
    let mut by_line: BTreeMap<usize, (String, Carets)> = BTreeMap::new();
    for m in messages {
        match &m.span {
            &Some((line, start, end_line, end)) if line == end_line && !m.lines.is_empty() => {
                let entry = by_line
                    .entry(line)
                    .or_insert_with(|| (m.lines[0].clone(), Vec::new()));
                let width = end.saturating_sub(start).max(1);
                entry
                    .1
                    .push((start.saturating_sub(1), width, m.label.clone()));
            }
            &Some((line, ..)) => {
                for (i, text) in m.lines.iter().enumerate() {
                    out.push(format!("  {} | {text}", line + i));
                }
                if !m.label.is_empty() {
                    out.push(format!("  = {}", m.label));
                }
            }
            None if !m.label.is_empty() => out.push(format!("  = {}", m.label)),
            None => {}
        }
    }
    let width = by_line.keys().last().map_or(1, |n| n.to_string().len());
    for (line_no, (text, marks)) in by_line {
        out.push(format!("  {line_no:>width$} | {text}"));
        for (col, len, label) in marks {
            out.push(format!(
                "  {:width$} | {}{} {label}",
                "",
                " ".repeat(col),
                "^".repeat(len)
            ));
        }
    }
    out
}
