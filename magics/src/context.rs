//! What a running magic may do to the notebook.

use collm_widgets::{CommManager, EventFn, Outgoing, State};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

/// Which output stream text goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamName {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

impl StreamName {
    /// The protocol name of the stream.
    pub fn as_str(self) -> &'static str {
        match self {
            StreamName::Stdout => "stdout",
            StreamName::Stderr => "stderr",
        }
    }
}

/// Returned by [`MagicContext::check_cancelled`] after an interrupt, so that a
/// magic can stop with `?` at its next check and keep kernel state intact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted by the user")
    }
}

impl std::error::Error for Cancelled {}

/// The notebook as a magic sees it.
///
/// The kernel implements this on top of its sockets; tests use
/// [`RecordingContext`]. Outputs are attached to the cell being executed.
pub trait MagicContext {
    /// Appends text to a stream of the cell's output.
    fn stream(&mut self, name: StreamName, text: &str);
    /// Shows a MIME bundle; with a `display_id` it can later be updated.
    fn display(&mut self, data: Value, metadata: Value, display_id: Option<&str>);
    /// Replaces the content of an earlier display with the same id.
    fn update_display(&mut self, data: Value, metadata: Value, display_id: &str);
    /// Clears the cell's output (with `wait`, when the next output arrives).
    fn clear_output(&mut self, wait: bool);
    /// Adds a payload to the execute reply (`page`, `set_next_input`, ...).
    fn payload(&mut self, payload: Value);
    /// The token that an interrupt cancels.
    fn cancel_token(&self) -> CancellationToken;
    /// Asks the user for a line of input on the stdin channel.
    fn read_input(&mut self, prompt: &str, password: bool) -> anyhow::Result<String>;
    /// Runs code (Rust or further magics) as if it were a cell of its own,
    /// with its outputs going to this cell. Returns an error when it failed.
    fn run_code(&mut self, code: &str) -> anyhow::Result<()>;
    /// Sets an environment variable for the kernel and for Rust cells.
    fn set_env(&mut self, key: &str, value: &str) -> anyhow::Result<()>;
    /// Like `run_code`, but a failing cell gets up to `max_fix` automatic
    /// repairs, each shown as a diff. Returns the code that finally ran.
    fn run_repairing(&mut self, code: &str, max_fix: usize) -> anyhow::Result<String>;
    /// The last Rust code that failed, if any (what `%fix` repairs).
    fn last_failed(&self) -> Option<String>;
    /// Creates a widget model (published with `comm_open`); `on_event` runs
    /// on its updates and custom events. Returns the model id.
    fn create_widget(&mut self, state: State, on_event: Option<EventFn>) -> String;
    /// Publishes widget updates made outside an event callback.
    fn send_comms(&mut self, out: Vec<Outgoing>);

    /// `Err(Cancelled)` once the user has interrupted the cell.
    fn check_cancelled(&self) -> Result<(), Cancelled> {
        if self.cancel_token().is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }

    /// Shorthand for text on stdout.
    fn print(&mut self, text: &str) {
        self.stream(StreamName::Stdout, text);
    }

    /// Puts `code` in a new cell below this one (a `set_next_input` payload), so what a magic
    /// generated or repaired stays in the notebook to read, edit and run again.
    fn insert_below(&mut self, code: &str) {
        self.payload(
            serde_json::json!({"source": "set_next_input", "text": code, "replace": false}),
        );
    }
}

/// One output captured by [`RecordingContext`].
#[derive(Debug, Clone, PartialEq)]
pub enum Recorded {
    /// Stream text.
    Stream(StreamName, String),
    /// A display (bundle, metadata, optional id).
    Display(Value, Value, Option<String>),
    /// A display update (bundle, metadata, id).
    Update(Value, Value, String),
    /// A clear_output.
    Clear(bool),
    /// An execute-reply payload.
    Payload(Value),
}

/// An in-memory context for testing magics without a kernel.
#[derive(Default)]
pub struct RecordingContext {
    /// Everything the magic produced, in order.
    pub outputs: Vec<Recorded>,
    /// Lines returned by `read_input`, in order.
    pub inputs: Vec<String>,
    /// Code passed to `run_code`, in order.
    pub ran: Vec<String>,
    /// Variables passed to `set_env`.
    pub env: Vec<(String, String)>,
    /// Cancelled to simulate an interrupt.
    pub token: CancellationToken,
    /// Widgets the magic created, with their event handlers.
    pub comms: CommManager,
    /// Comm messages the magic sent.
    pub sent: Vec<Outgoing>,
}

impl RecordingContext {
    /// All stdout text joined.
    pub fn stdout(&self) -> String {
        self.outputs
            .iter()
            .filter_map(|o| match o {
                Recorded::Stream(StreamName::Stdout, t) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }
}

impl MagicContext for RecordingContext {
    fn stream(&mut self, name: StreamName, text: &str) {
        self.outputs.push(Recorded::Stream(name, text.to_string()));
    }
    fn display(&mut self, data: Value, metadata: Value, display_id: Option<&str>) {
        self.outputs.push(Recorded::Display(
            data,
            metadata,
            display_id.map(str::to_string),
        ));
    }
    fn update_display(&mut self, data: Value, metadata: Value, display_id: &str) {
        self.outputs
            .push(Recorded::Update(data, metadata, display_id.to_string()));
    }
    fn clear_output(&mut self, wait: bool) {
        self.outputs.push(Recorded::Clear(wait));
    }
    fn payload(&mut self, payload: Value) {
        self.outputs.push(Recorded::Payload(payload));
    }
    fn cancel_token(&self) -> CancellationToken {
        self.token.clone()
    }
    fn read_input(&mut self, _prompt: &str, _password: bool) -> anyhow::Result<String> {
        if self.inputs.is_empty() {
            anyhow::bail!("no input available");
        }
        Ok(self.inputs.remove(0))
    }
    fn run_code(&mut self, code: &str) -> anyhow::Result<()> {
        self.ran.push(code.to_string());
        Ok(())
    }
    fn set_env(&mut self, key: &str, value: &str) -> anyhow::Result<()> {
        self.env.push((key.to_string(), value.to_string()));
        Ok(())
    }
    fn run_repairing(&mut self, code: &str, _max_fix: usize) -> anyhow::Result<String> {
        self.run_code(code)?;
        Ok(code.to_string())
    }
    fn last_failed(&self) -> Option<String> {
        self.ran.last().cloned()
    }
    fn create_widget(&mut self, state: State, on_event: Option<EventFn>) -> String {
        let (id, open) = self.comms.create_widget(state, on_event);
        self.sent.push(open);
        id
    }
    fn send_comms(&mut self, out: Vec<Outgoing>) {
        self.sent.extend(out);
    }
}
