//! The collm interpreter: Rust cells through evcxr, magics from the registry (which see the
//! notebook through `CellContext`), the fixer's repairs and the widgets' comms.
//!
//! evcxr warms up on a thread of its own, so magics and protocol replies do not wait for
//! the first compile.

use super::{CommKind, Completion, ExecuteRequest, Executed, Interpreter, QuickAnswers};
use crate::fixer::Fixer;
use crate::interrupt::Interrupt;
use crate::publish::Publisher;
use crate::rust::{CellError, RustEngine};
use crate::stdin::StdinBridge;
use collm_magics::{
    split_cell, MagicContext, MagicError, Magics, Registry, Segment, Session, StreamName,
};
use collm_widgets::{CommManager, EventFn, Outgoing, State};
use serde_json::{json, Map, Value};
use std::sync::mpsc::Receiver;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// evcxr's session, which becomes available once warmed up.
enum RustSlot {
    Pending(Receiver<Result<RustEngine, String>>),
    Ready(Box<RustEngine>),
    Failed(String),
}

/// What a cell produced when it succeeded.
type CellResult = Result<(), CellError>;

/// Everything a kernel session owns on the engine thread.
pub struct CollmInterpreter {
    publisher: Publisher,
    stdin: StdinBridge,
    interrupt: Arc<Interrupt>,
    registry: Registry,
    session: Session,
    comms: CommManager,
    rust: RustSlot,
    payloads: Vec<Value>,
    result: Option<Map<String, Value>>,
    token: CancellationToken,
    pending_env: Vec<(String, String)>,
    /// The failure of code a magic ran (`%%time` over a panicking body).
    inner_error: Option<CellError>,
    /// How many repairs a failing Rust cell may get (0: none).
    repair_budget: usize,
    /// The last Rust code that failed, for `%fix`.
    last_failed: Option<String>,
    /// The last Rust code run, after any repairs.
    last_code: Option<String>,
}

impl CollmInterpreter {
    /// Builds the interpreter and starts warming evcxr up in the background. Output goes
    /// to `publisher`, input requests through `stdin`; `interrupt` is shared with whoever
    /// fires it.
    pub fn new(
        publisher: Publisher,
        stdin: StdinBridge,
        interrupt: Arc<Interrupt>,
        magics: Magics,
    ) -> CollmInterpreter {
        let (tx, rx) = std::sync::mpsc::channel();
        let warm_publisher = publisher.clone();
        let warm_interrupt = interrupt.clone();
        std::thread::Builder::new()
            .name("collm-evcxr-start".into())
            .spawn(move || {
                let engine = RustEngine::start(&warm_publisher);
                if let Ok(e) = &engine {
                    warm_interrupt.set_child(e.child());
                }
                let _ = tx.send(engine);
            })
            .ok();
        CollmInterpreter {
            publisher,
            stdin,
            interrupt,
            registry: magics.registry,
            session: magics.session,
            comms: CommManager::with_default_targets(),
            rust: RustSlot::Pending(rx),
            payloads: Vec::new(),
            result: None,
            token: CancellationToken::new(),
            pending_env: Vec::new(),
            inner_error: None,
            repair_budget: 0,
            last_failed: None,
            last_code: None,
        }
    }

    /// Evaluates each requested expression as a Rust cell of its own.
    fn user_expressions(&mut self, requested: &Map<String, Value>) -> Map<String, Value> {
        let mut out = Map::new();
        for (name, expr) in requested {
            let Some(expr) = expr.as_str() else { continue };
            self.result = None;
            let value = match self.run_rust(expr) {
                Ok(()) => json!({
                    "status": "ok",
                    "data": self.result.take().unwrap_or_default(),
                    "metadata": {},
                }),
                Err(e) => json!({
                    "status": "error", "ename": e.ename, "evalue": e.evalue, "traceback": e.traceback,
                }),
            };
            out.insert(name.clone(), value);
        }
        out
    }

    /// Runs a cell: its magics and Rust code, in order, stopping at the first
    /// failure. The final value of the last Rust segment becomes the result.
    fn run_cell(&mut self, code: &str) -> CellResult {
        for segment in split_cell(code) {
            self.result = None;
            match segment {
                Segment::Code(rust) => self.run_rust(&rust)?,
                Segment::Line { name, args } => self.run_magic(&name, &args, None)?,
                Segment::Cell { name, args, body } => self.run_magic(&name, &args, Some(&body))?,
                Segment::Help(request) => {
                    let registry = self.registry.clone();
                    let mut ctx = CellContext { interp: self };
                    registry.help(&request, &mut ctx).map_err(magic_error)?;
                }
            }
        }
        Ok(())
    }

    fn run_magic(&mut self, name: &str, args: &str, body: Option<&str>) -> CellResult {
        let registry = self.registry.clone();
        self.inner_error = None;
        let mut ctx = CellContext { interp: self };
        let result = registry.run(name, args, body, &mut ctx);
        match result {
            // Code the magic ran failed: show that failure as it is (a
            // panic stays a panic, with its traceback).
            Err(MagicError::Failed(_)) if self.inner_error.is_some() => Err(self
                .inner_error
                .take()
                .unwrap_or_else(|| CellError::new("Error", ""))),
            other => other.map_err(magic_error),
        }
    }

    /// Runs Rust code; while a repair budget is set (`%fix`, `%%collm
    /// --max-fix`), a failure with a known repair is shown as a diff and the
    /// repaired code is run instead (the policy is the [`Fixer`]'s).
    fn run_rust(&mut self, code: &str) -> CellResult {
        let models = self.session.models.clone();
        let model = |code: &str, error: &str, attempt: u64| {
            models.with(|m| crate::fixer::model::propose(m, code, error, attempt))?
        };
        let fixer = Fixer::new(self.repair_budget, Some(&model), self.publisher.clone());
        match fixer.run(code, &mut |c| self.run_rust_once(c)) {
            Ok(ran) => {
                self.last_code = Some(ran);
                Ok(())
            }
            Err((last, e)) => {
                self.last_failed = Some(last.clone());
                self.last_code = Some(last);
                Err(e)
            }
        }
    }

    fn run_rust_once(&mut self, code: &str) -> CellResult {
        let parent = self.publisher.parent();
        let interrupt = self.interrupt.clone();
        let token = self.token.clone();
        let stdin = &self.stdin;
        let rust = ready(&mut self.rust).map_err(|e| CellError::new("KernelError", e))?;
        let input = |prompt: &str, password: bool| -> String {
            match &parent {
                Some(p) => stdin.read(p, prompt, password, &token).unwrap_or_default(),
                None => String::new(),
            }
        };
        let fired = || interrupt.fired();
        if !self.pending_env.is_empty() {
            let stmt: String = self
                .pending_env
                .drain(..)
                .map(|(k, v)| format!("unsafe {{ std::env::set_var({k:?}, {v:?}); }}\n"))
                .collect();
            rust.execute(&stmt, &input, &fired)?;
        }
        self.interrupt.set_running_rust(true);
        let outcome = rust.execute(code, &input, &fired);
        self.interrupt.set_running_rust(false);
        self.result = outcome?;
        Ok(())
    }

    /// Help for the magic named on the cursor's line, if the line is a magic.
    fn magic_help_at(&self, code: &str, cursor: usize) -> Option<String> {
        let start = code[..cursor].rfind('\n').map_or(0, |i| i + 1);
        let line = code[start..].lines().next().unwrap_or_default().trim();
        let name = line.trim_start_matches('%');
        if name.len() == line.len() {
            return None;
        }
        let name = name
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .trim_end_matches('?');
        if name == "lsmagic" {
            return Some(self.registry.listing());
        }
        let magic = self.registry.get(name)?;
        Some(format!(
            "{}\n\n{}",
            magic.summary(),
            magic.command().render_long_help()
        ))
    }

    /// Publishes what comm traffic or a magic asked the kernel to send.
    fn publish_comms(&self, out: Vec<Outgoing>) {
        for o in out {
            match o {
                Outgoing::Msg { comm_id, data } => self
                    .publisher
                    .send("comm_msg", json!({"comm_id": comm_id, "data": data})),
                Outgoing::Open {
                    comm_id,
                    target_name,
                    data,
                    metadata,
                } => {
                    let content =
                        json!({"comm_id": comm_id, "target_name": target_name, "data": data});
                    self.publisher
                        .send_with_metadata("comm_open", content, metadata)
                }
                Outgoing::Close { comm_id, data } => self
                    .publisher
                    .send("comm_close", json!({"comm_id": comm_id, "data": data})),
            }
        }
    }
}

impl Interpreter for CollmInterpreter {
    fn execute(&mut self, request: &ExecuteRequest) -> Executed {
        self.payloads.clear();
        self.result = None;
        self.token = self.interrupt.begin();
        let outcome = match &request.code {
            Some(code) => self.run_cell(code).map(|()| self.result.take()),
            None => Err(CellError::new(
                "BadRequest",
                "execute_request has no string `code` field",
            )),
        };
        let user_expressions = match outcome {
            Ok(_) => self.user_expressions(&request.user_expressions),
            Err(_) => Map::new(),
        };
        Executed {
            outcome,
            payload: std::mem::take(&mut self.payloads),
            user_expressions,
        }
    }

    fn complete(&mut self, code: &str, cursor: usize) -> Completion {
        let line_start = code[..cursor].rfind('\n').map_or(0, |i| i + 1);
        let line_end = code[cursor..].find('\n').map_or(code.len(), |i| cursor + i);
        let line = &code[line_start..line_end];
        let (start, end, matches) =
            if let Some((s, names)) = self.registry.complete(line, cursor - line_start) {
                (line_start + s, cursor, names)
            } else if let Ok(rust) = ready(&mut self.rust) {
                rust.complete(code, cursor)
                    .unwrap_or((cursor, cursor, Vec::new()))
            } else {
                (cursor, cursor, Vec::new())
            };
        Completion {
            start,
            end,
            matches,
        }
    }

    fn inspect(&mut self, code: &str, cursor: usize) -> Option<String> {
        self.magic_help_at(code, cursor).or_else(|| {
            ready(&mut self.rust)
                .ok()
                .and_then(|r| r.inspect(code, cursor))
        })
    }

    fn comm(&mut self, kind: CommKind, comm_id: &str, target: &str, data: &Value) {
        let out = match kind {
            CommKind::Open => self.comms.open(comm_id, target, data),
            CommKind::Msg => self.comms.message(comm_id, data),
            CommKind::Close => {
                self.comms.close(comm_id, data);
                Vec::new()
            }
        };
        self.publish_comms(out);
    }

    fn comm_info(&self, target: Option<&str>) -> Value {
        self.comms.info(target)
    }

    fn quick(&self) -> Arc<dyn QuickAnswers> {
        Arc::new(super::quick::CollmQuick {
            interrupt: self.interrupt.clone(),
        })
    }
}

/// A magic's view of the interpreter for the length of one call.
struct CellContext<'a> {
    interp: &'a mut CollmInterpreter,
}

impl MagicContext for CellContext<'_> {
    fn stream(&mut self, name: StreamName, text: &str) {
        self.interp.publisher.stream(name.as_str(), text);
    }
    fn display(&mut self, data: Value, metadata: Value, display_id: Option<&str>) {
        self.interp
            .publisher
            .display(data, metadata, display_id, false);
    }
    fn update_display(&mut self, data: Value, metadata: Value, display_id: &str) {
        self.interp
            .publisher
            .display(data, metadata, Some(display_id), true);
    }
    fn clear_output(&mut self, wait: bool) {
        self.interp
            .publisher
            .send("clear_output", json!({"wait": wait}));
    }
    fn payload(&mut self, payload: Value) {
        self.interp.payloads.push(payload);
    }
    fn cancel_token(&self) -> CancellationToken {
        self.interp.token.clone()
    }
    fn read_input(&mut self, prompt: &str, password: bool) -> anyhow::Result<String> {
        let parent = self
            .interp
            .publisher
            .parent()
            .ok_or_else(|| anyhow::anyhow!("no request to ask input for"))?;
        self.interp
            .stdin
            .read(&parent, prompt, password, &self.interp.token)
    }
    fn run_code(&mut self, code: &str) -> anyhow::Result<()> {
        self.interp.run_cell(code).map_err(|e| {
            let summary = anyhow::anyhow!("{}: {}", e.ename, e.evalue);
            self.interp.inner_error = Some(e);
            summary
        })
    }
    fn run_repairing(&mut self, code: &str, max_fix: usize) -> anyhow::Result<String> {
        self.interp.repair_budget = max_fix;
        let result = self.run_code(code);
        self.interp.repair_budget = 0;
        result?;
        Ok(self
            .interp
            .last_code
            .clone()
            .unwrap_or_else(|| code.to_string()))
    }
    fn last_failed(&self) -> Option<String> {
        self.interp.last_failed.clone()
    }
    fn create_widget(&mut self, state: State, on_event: Option<EventFn>) -> String {
        let (id, open) = self.interp.comms.create_widget(state, on_event);
        self.interp.publish_comms(vec![open]);
        id
    }
    fn send_comms(&mut self, out: Vec<Outgoing>) {
        self.interp.publish_comms(out);
    }
    fn set_env(&mut self, key: &str, value: &str) -> anyhow::Result<()> {
        // Children started later (cargo, a restarted evcxr child) inherit it;
        // the running child gets it before the next Rust code runs.
        std::env::set_var(key, value);
        self.interp
            .pending_env
            .push((key.to_string(), value.to_string()));
        Ok(())
    }
}

/// The Rust engine, once warm-up has finished (waiting for it if need be).
fn ready(slot: &mut RustSlot) -> Result<&mut RustEngine, String> {
    if let RustSlot::Pending(rx) = slot {
        *slot = match rx.recv() {
            Ok(Ok(engine)) => RustSlot::Ready(Box::new(engine)),
            Ok(Err(e)) => RustSlot::Failed(e),
            Err(_) => RustSlot::Failed("the evcxr start-up thread died".into()),
        };
    }
    match slot {
        RustSlot::Ready(engine) => Ok(engine),
        RustSlot::Failed(e) => Err(format!("the Rust engine (evcxr) could not start: {e}")),
        RustSlot::Pending(_) => Err("evcxr is still starting".into()),
    }
}

fn magic_error(e: MagicError) -> CellError {
    match e {
        MagicError::Usage(m) => CellError::new("UsageError", m),
        MagicError::Help(m) => CellError::new("UsageError", m),
        MagicError::Cancelled => CellError::new("Interrupted", "interrupted by the user"),
        MagicError::Failed(e) => CellError::new("MagicError", format!("{e:#}")),
    }
}
