//! The engine thread's side of the protocol: shell requests become calls on the
//! [`Interpreter`], one at a time and in arrival order, as Jupyter expects, and their
//! typed results become replies. Execution counts, `execute_input`, history, busy/idle
//! and aborting queued cells after a failure live here, not in the interpreter.

use crate::history::History;
use crate::interpreter::{CommKind, ExecuteRequest, Executed, Interpreter};
use crate::publish::Publisher;
use crate::wire::Message;
use serde_json::{json, Map, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;
use tokio::sync::mpsc::UnboundedSender;

/// Serves the queued shell requests with an interpreter.
pub struct Dispatcher<I: Interpreter> {
    /// Publishes outputs under the request being served.
    publisher: Publisher,
    /// Replies to shell requests.
    shell_tx: UnboundedSender<Message>,
    /// Shared with the shell task, which answers history requests.
    history: Arc<Mutex<History>>,
    /// Set while a request is being served (quick replies skip status then).
    busy: Arc<AtomicBool>,
    /// What runs the requests.
    interpreter: I,
    count: u64,
    /// When the last failed execute was about to be answered.
    failed_at: Instant,
}

impl<I: Interpreter> Dispatcher<I> {
    /// A dispatcher whose first execution will be number 1.
    pub fn new(
        publisher: Publisher,
        shell_tx: UnboundedSender<Message>,
        history: Arc<Mutex<History>>,
        busy: Arc<AtomicBool>,
        interpreter: I,
    ) -> Self {
        Dispatcher {
            publisher,
            shell_tx,
            history,
            busy,
            interpreter,
            count: 0,
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
                let comms = self.interpreter.comm_info(target);
                self.reply(
                    &msg,
                    "comm_info_reply",
                    json!({"status": "ok", "comms": comms}),
                );
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

    fn execute(&mut self, msg: &Message) -> bool {
        let c = &msg.content;
        let flag =
            |name: &str, default: bool| c.get(name).and_then(Value::as_bool).unwrap_or(default);
        let silent = flag("silent", false);
        let store = !silent && flag("store_history", true);
        let request = ExecuteRequest {
            code: c.get("code").and_then(Value::as_str).map(String::from),
            user_expressions: match c.get("user_expressions") {
                Some(Value::Object(m)) => m.clone(),
                _ => Map::new(),
            },
        };
        let code = request.code.clone().unwrap_or_default();
        if store {
            self.count += 1;
        }
        let count = self.count.max(1);
        self.publisher.set_parent(Some(msg.clone()));
        if !silent {
            let input = json!({"code": code, "execution_count": count});
            self.publisher.send("execute_input", input);
        }
        self.publisher.set_muted(silent);
        let executed = self.interpreter.execute(&request);
        let (reply, text_out) = self.execute_reply(executed, count);
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
        failed && flag("stop_on_error", true)
    }

    /// Publishes the result or the error and builds the reply; also returns the result's
    /// text for the history.
    fn execute_reply(&self, executed: Executed, count: u64) -> (Value, Option<String>) {
        match executed.outcome {
            Ok(bundle) => {
                let text = bundle.as_ref().and_then(|b| {
                    let text = b.get("text/plain").and_then(Value::as_str)?;
                    Some(text.to_string())
                });
                if let Some(bundle) = bundle {
                    self.publisher.send(
                        "execute_result",
                        json!({"execution_count": count, "data": bundle, "metadata": {}}),
                    );
                }
                let reply = json!({
                    "status": "ok",
                    "execution_count": count,
                    "payload": executed.payload,
                    "user_expressions": executed.user_expressions,
                });
                (reply, text)
            }
            Err(e) => {
                self.publisher.send(
                    "error",
                    json!({"ename": e.ename, "evalue": e.evalue, "traceback": e.traceback}),
                );
                let reply = json!({
                    "status": "error",
                    "execution_count": count,
                    "ename": e.ename,
                    "evalue": e.evalue,
                    "traceback": e.traceback,
                    "payload": executed.payload,
                    "user_expressions": {},
                });
                (reply, None)
            }
        }
    }

    fn complete(&mut self, msg: &Message) {
        let (code, cursor) = code_and_cursor(msg);
        let c = self.interpreter.complete(code, cursor);
        let reply = json!({
            "status": "ok",
            "matches": c.matches,
            "cursor_start": byte_to_char(code, c.start),
            "cursor_end": byte_to_char(code, c.end),
            "metadata": {},
        });
        self.reply(msg, "complete_reply", reply);
    }

    fn inspect(&mut self, msg: &Message) {
        let (code, cursor) = code_and_cursor(msg);
        let reply = match self.interpreter.inspect(code, cursor) {
            Some(t) => {
                json!({"status": "ok", "found": true, "data": {"text/plain": t}, "metadata": {}})
            }
            None => json!({"status": "ok", "found": false, "data": {}, "metadata": {}}),
        };
        self.reply(msg, "inspect_reply", reply);
    }

    fn comm(&mut self, msg: &Message) {
        let c = &msg.content;
        let text = |name: &str| c.get(name).and_then(Value::as_str).unwrap_or_default();
        let data = c.get("data").cloned().unwrap_or_else(|| json!({}));
        let kind = match msg.msg_type() {
            "comm_open" => CommKind::Open,
            "comm_msg" => CommKind::Msg,
            _ => CommKind::Close,
        };
        self.publisher.set_parent(Some(msg.clone()));
        self.interpreter
            .comm(kind, text("comm_id"), text("target_name"), &data);
        self.publisher.set_parent(None);
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
