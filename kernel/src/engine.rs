//! The engine thread: runs cells, magics, completion and comms, one shell
//! request at a time and in arrival order, as Jupyter expects.
//!
//! evcxr warms up on a thread of its own, so magics and protocol replies do
//! not wait for the first compile.

use crate::fixer::Fixer;
use crate::history::History;
use crate::interrupt::Interrupt;
use crate::publish::Publisher;
use crate::rust::{CellError, RustEngine};
use crate::stdin::StdinBridge;
use crate::wire::Message;
use collm_magics::{
    split_cell, MagicContext, MagicError, Magics, Registry, Segment, Session, StreamName,
};
use collm_widgets::{CommManager, EventFn, Outgoing, State};
use serde_json::{json, Map, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

/// evcxr's session, which becomes available once warmed up.
enum RustSlot {
    Pending(Receiver<Result<RustEngine, String>>),
    Ready(Box<RustEngine>),
    Failed(String),
}

/// Everything the engine thread owns.
pub struct Engine {
    /// Publishes outputs under the request being served.
    pub publisher: Publisher,
    /// Replies to shell requests.
    pub shell_tx: UnboundedSender<Message>,
    /// Input requests.
    pub stdin: StdinBridge,
    /// Shared with the control task.
    pub interrupt: Arc<Interrupt>,
    /// Known magics.
    pub registry: Registry,
    /// The state the magics share (models for the repair loop's last step).
    pub session: Session,
    /// Open comms.
    pub comms: CommManager,
    /// Shared with the shell task, which answers history requests.
    pub history: Arc<Mutex<History>>,
    /// Set while a request is being served (quick replies skip status then).
    pub busy: Arc<AtomicBool>,
    rust: RustSlot,
    count: u64,
    payloads: Vec<Value>,
    result: Option<Map<String, Value>>,
    current: Option<Message>,
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
    /// When the last failed execute was about to be answered.
    failed_at: Instant,
}

/// What a cell produced when it succeeded.
type CellResult = Result<(), CellError>;

impl Engine {
    /// Builds the engine and starts warming evcxr up in the background.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        publisher: Publisher,
        shell_tx: UnboundedSender<Message>,
        stdin: StdinBridge,
        interrupt: Arc<Interrupt>,
        magics: Magics,
        history: Arc<Mutex<History>>,
        busy: Arc<AtomicBool>,
    ) -> Engine {
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
        Engine {
            publisher,
            shell_tx,
            stdin,
            interrupt,
            registry: magics.registry,
            session: magics.session,
            comms: CommManager::with_default_targets(),
            history,
            busy,
            rust: RustSlot::Pending(rx),
            count: 0,
            payloads: Vec::new(),
            result: None,
            current: None,
            token: CancellationToken::new(),
            pending_env: Vec::new(),
            inner_error: None,
            repair_budget: 0,
            last_failed: None,
            last_code: None,
            failed_at: Instant::now(),
        }
    }

    /// Serves shell requests (each with the time it arrived) until the
    /// channel closes.
    pub fn run(mut self, jobs: Receiver<(Message, Instant)>) {
        while let Ok((msg, _)) = jobs.recv() {
            let started = Instant::now();
            let failed_stop = self.serve(msg);
            if failed_stop {
                self.abort_queued(&jobs, started);
            }
        }
    }

    /// After a failed cell with `stop_on_error`, the executes that were
    /// already queued while it ran are answered `aborted` instead of run;
    /// requests sent after the failure was reported run as usual.
    fn abort_queued(&mut self, jobs: &Receiver<(Message, Instant)>, failed_cell_started: Instant) {
        loop {
            match jobs.try_recv() {
                Ok((msg, arrived))
                    if arrived <= failed_cell_started.max(self.failed_at)
                        && msg.msg_type() == "execute_request" =>
                {
                    self.publisher.status_for(&msg, "busy");
                    let reply = json!({"status": "aborted", "execution_count": self.count});
                    self.reply(&msg, "execute_reply", reply);
                    self.publisher.status_for(&msg, "idle");
                }
                Ok((msg, _)) => {
                    if self.serve(msg) {
                        continue;
                    }
                    return;
                }
                Err(TryRecvError::Empty) | Err(TryRecvError::Disconnected) => return,
            }
        }
    }

    /// Serves one request; returns true when an execute failed with
    /// `stop_on_error`.
    fn serve(&mut self, msg: Message) -> bool {
        self.busy.store(true, Ordering::SeqCst);
        self.publisher.status_for(&msg, "busy");
        let mut stop = false;
        match msg.msg_type() {
            "execute_request" => stop = self.execute(&msg),
            "complete_request" => self.complete(&msg),
            "inspect_request" => self.inspect(&msg),
            "comm_info_request" => {
                let target = msg.content.get("target_name").and_then(Value::as_str);
                let reply = json!({"status": "ok", "comms": self.comms.info(target)});
                self.reply(&msg, "comm_info_reply", reply);
            }
            "comm_open" | "comm_msg" | "comm_close" => self.comm(&msg),
            _ => {}
        }
        self.publisher.status_for(&msg, "idle");
        self.busy.store(false, Ordering::SeqCst);
        stop
    }

    fn reply(&self, parent: &Message, msg_type: &str, content: Value) {
        let _ = self
            .shell_tx
            .send(Message::reply_to(parent, msg_type, content));
    }

    fn rust(&mut self) -> Result<&mut RustEngine, String> {
        settle(&mut self.rust);
        match &mut self.rust {
            RustSlot::Ready(engine) => Ok(engine),
            RustSlot::Failed(e) => Err(e.clone()),
            RustSlot::Pending(_) => Err("evcxr is still starting".into()),
        }
    }

    fn execute(&mut self, msg: &Message) -> bool {
        let c = &msg.content;
        let code = c
            .get("code")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let silent = c.get("silent").and_then(Value::as_bool).unwrap_or(false);
        let store = !silent
            && c.get("store_history")
                .and_then(Value::as_bool)
                .unwrap_or(true);
        let stop_on_error = c
            .get("stop_on_error")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        if store {
            self.count += 1;
        }
        let count = self.count.max(1);
        self.publisher.set_parent(Some(msg.clone()));
        if !silent {
            self.publisher.send(
                "execute_input",
                json!({"code": code, "execution_count": count}),
            );
        }
        self.publisher.set_muted(silent);
        self.current = Some(msg.clone());
        self.payloads.clear();
        self.result = None;
        self.token = self.interrupt.begin();

        let outcome = match c.get("code") {
            Some(Value::String(_)) => self.run_cell(&code),
            _ => Err(CellError::new(
                "BadRequest",
                "execute_request has no string `code` field",
            )),
        };
        let mut text_out = None;
        let reply = match outcome {
            Ok(()) => {
                if let Some(bundle) = self.result.take() {
                    text_out = bundle
                        .get("text/plain")
                        .and_then(Value::as_str)
                        .map(String::from);
                    self.publisher.send(
                        "execute_result",
                        json!({"execution_count": count, "data": bundle, "metadata": {}}),
                    );
                }
                let user_expressions = self.user_expressions(c.get("user_expressions"));
                json!({
                    "status": "ok",
                    "execution_count": count,
                    "payload": std::mem::take(&mut self.payloads),
                    "user_expressions": user_expressions,
                })
            }
            Err(e) => {
                self.publisher.send(
                    "error",
                    json!({"ename": e.ename, "evalue": e.evalue, "traceback": e.traceback}),
                );
                json!({
                    "status": "error",
                    "execution_count": count,
                    "ename": e.ename,
                    "evalue": e.evalue,
                    "traceback": e.traceback,
                    "payload": std::mem::take(&mut self.payloads),
                    "user_expressions": {},
                })
            }
        };
        self.publisher.set_muted(false);
        if store {
            self.history
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(count, &code, text_out);
        }
        let failed = reply["status"] == "error";
        if failed {
            self.failed_at = Instant::now();
        }
        self.reply(msg, "execute_reply", reply);
        self.current = None;
        failed && stop_on_error
    }

    /// Evaluates each requested expression as a Rust cell of its own.
    fn user_expressions(&mut self, requested: Option<&Value>) -> Value {
        let mut out = Map::new();
        let Some(Value::Object(exprs)) = requested else {
            return Value::Object(out);
        };
        for (name, expr) in exprs {
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
        Value::Object(out)
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
                    registry
                        .help(&request, &mut CellContext { engine: self })
                        .map_err(magic_error)?;
                }
            }
        }
        Ok(())
    }

    fn run_magic(&mut self, name: &str, args: &str, body: Option<&str>) -> CellResult {
        let registry = self.registry.clone();
        self.inner_error = None;
        let result = registry.run(name, args, body, &mut CellContext { engine: self });
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
        let model =
            |code: &str, error: &str, attempt: u64| models.propose_fix(code, error, attempt);
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
        let parent = self.current.clone();
        let interrupt = self.interrupt.clone();
        let token = self.token.clone();
        let stdin = &self.stdin;
        settle(&mut self.rust);
        let rust = match &mut self.rust {
            RustSlot::Ready(r) => r,
            RustSlot::Failed(e) => {
                return Err(CellError::new(
                    "KernelError",
                    format!("the Rust engine (evcxr) could not start: {e}"),
                ))
            }
            RustSlot::Pending(_) => {
                return Err(CellError::new("KernelError", "evcxr is still starting"))
            }
        };
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

    fn complete(&mut self, msg: &Message) {
        let (code, cursor) = code_and_cursor(msg);
        let line_start = code[..cursor].rfind('\n').map_or(0, |i| i + 1);
        let line_end = code[cursor..].find('\n').map_or(code.len(), |i| cursor + i);
        let line = &code[line_start..line_end];
        let (start, end, matches) =
            if let Some((s, names)) = self.registry.complete(line, cursor - line_start) {
                (line_start + s, cursor, names)
            } else if let Ok(rust) = self.rust() {
                rust.complete(code, cursor)
                    .unwrap_or((cursor, cursor, Vec::new()))
            } else {
                (cursor, cursor, Vec::new())
            };
        let reply = json!({
            "status": "ok",
            "matches": matches,
            "cursor_start": byte_to_char(code, start),
            "cursor_end": byte_to_char(code, end),
            "metadata": {},
        });
        self.reply(msg, "complete_reply", reply);
    }

    fn inspect(&mut self, msg: &Message) {
        let (code, cursor) = code_and_cursor(msg);
        let text = self
            .magic_help_at(code, cursor)
            .or_else(|| self.rust().ok().and_then(|r| r.inspect(code, cursor)));
        let reply = match text {
            Some(t) => {
                json!({"status": "ok", "found": true, "data": {"text/plain": t}, "metadata": {}})
            }
            None => json!({"status": "ok", "found": false, "data": {}, "metadata": {}}),
        };
        self.reply(msg, "inspect_reply", reply);
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

    fn comm(&mut self, msg: &Message) {
        let c = &msg.content;
        let id = c
            .get("comm_id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let data = c.get("data").cloned().unwrap_or_else(|| json!({}));
        self.publisher.set_parent(Some(msg.clone()));
        let out = match msg.msg_type() {
            "comm_open" => {
                let target = c
                    .get("target_name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                self.comms.open(&id, target, &data)
            }
            "comm_msg" => self.comms.message(&id, &data),
            _ => {
                self.comms.close(&id, &data);
                Vec::new()
            }
        };
        self.publish_comms(out);
        self.publisher.set_parent(None);
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

/// Waits for evcxr's warm-up to finish, if it has not yet.
fn settle(slot: &mut RustSlot) {
    if let RustSlot::Pending(rx) = slot {
        *slot = match rx.recv() {
            Ok(Ok(engine)) => RustSlot::Ready(Box::new(engine)),
            Ok(Err(e)) => RustSlot::Failed(e),
            Err(_) => RustSlot::Failed("the evcxr start-up thread died".into()),
        };
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

/// The `code` of a complete or inspect request and its cursor as a byte
/// offset (the protocol counts the cursor in characters).
fn code_and_cursor(msg: &Message) -> (&str, usize) {
    let code = msg
        .content
        .get("code")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let chars = msg
        .content
        .get("cursor_pos")
        .and_then(Value::as_u64)
        .map_or(code.chars().count(), |c| c as usize);
    (code, char_to_byte(code, chars))
}

fn char_to_byte(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

fn byte_to_char(s: &str, byte: usize) -> usize {
    s[..byte.min(s.len())].chars().count()
}

/// The notebook as seen by a magic running in the current cell.
struct CellContext<'a> {
    engine: &'a mut Engine,
}

impl MagicContext for CellContext<'_> {
    fn stream(&mut self, name: StreamName, text: &str) {
        self.engine.publisher.stream(name.as_str(), text);
    }
    fn display(&mut self, data: Value, metadata: Value, display_id: Option<&str>) {
        self.engine
            .publisher
            .display(data, metadata, display_id, false);
    }
    fn update_display(&mut self, data: Value, metadata: Value, display_id: &str) {
        self.engine
            .publisher
            .display(data, metadata, Some(display_id), true);
    }
    fn clear_output(&mut self, wait: bool) {
        self.engine
            .publisher
            .send("clear_output", json!({"wait": wait}));
    }
    fn payload(&mut self, payload: Value) {
        self.engine.payloads.push(payload);
    }
    fn cancel_token(&self) -> CancellationToken {
        self.engine.token.clone()
    }
    fn read_input(&mut self, prompt: &str, password: bool) -> anyhow::Result<String> {
        let parent = self
            .engine
            .current
            .clone()
            .ok_or_else(|| anyhow::anyhow!("no request to ask input for"))?;
        self.engine
            .stdin
            .read(&parent, prompt, password, &self.engine.token)
    }
    fn run_code(&mut self, code: &str) -> anyhow::Result<()> {
        self.engine.run_cell(code).map_err(|e| {
            let summary = anyhow::anyhow!("{}: {}", e.ename, e.evalue);
            self.engine.inner_error = Some(e);
            summary
        })
    }
    fn run_repairing(&mut self, code: &str, max_fix: usize) -> anyhow::Result<String> {
        self.engine.repair_budget = max_fix;
        let result = self.run_code(code);
        self.engine.repair_budget = 0;
        result?;
        Ok(self
            .engine
            .last_code
            .clone()
            .unwrap_or_else(|| code.to_string()))
    }
    fn last_failed(&self) -> Option<String> {
        self.engine.last_failed.clone()
    }
    fn create_widget(&mut self, state: State, on_event: Option<EventFn>) -> String {
        let (id, open) = self.engine.comms.create_widget(state, on_event);
        self.engine.publish_comms(vec![open]);
        id
    }
    fn send_comms(&mut self, out: Vec<Outgoing>) {
        self.engine.publish_comms(out);
    }
    fn set_env(&mut self, key: &str, value: &str) -> anyhow::Result<()> {
        // Children started later (cargo, a restarted evcxr child) inherit it;
        // the running child gets it before the next Rust code runs.
        std::env::set_var(key, value);
        self.engine
            .pending_env
            .push((key.to_string(), value.to_string()));
        Ok(())
    }
}
