//! A [`MagicContext`] for a terminal, so `collm simulate`, `collm status` and `collm balance`
//! run the very magics a notebook runs and print their plain-text forms.

use crate::context::{MagicContext, StreamName};
use collm_widgets::{EventFn, Outgoing, State};
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, Write};
use tokio_util::sync::CancellationToken;

/// Prints what a magic shows: streams as they are, displays by their `text/plain` form, and a
/// display update only when its text changed (a progress line does not repeat itself).
#[derive(Default)]
pub struct TerminalContext {
    token: CancellationToken,
    shown: HashMap<String, String>,
}

impl TerminalContext {
    /// A context whose magics stop when `token` is cancelled (the caller's Ctrl-C).
    pub fn new(token: CancellationToken) -> TerminalContext {
        TerminalContext {
            token,
            shown: HashMap::new(),
        }
    }
}

/// What a terminal shows of a MIME bundle: its `text/plain`, else the list of its types (an
/// image cannot be printed).
pub fn plain_text(data: &Value) -> String {
    data.get("text/plain")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| {
            let kinds: Vec<&str> = data
                .as_object()
                .map(|m| m.keys().map(String::as_str).collect())
                .unwrap_or_default();
            format!("[{}]", kinds.join(", "))
        })
}

fn no_cells() -> anyhow::Error {
    anyhow::anyhow!(
        "Rust cells run in the kernel, not in the terminal; use `collm run` or a notebook"
    )
}

impl MagicContext for TerminalContext {
    fn stream(&mut self, name: StreamName, text: &str) {
        match name {
            StreamName::Stdout => {
                print!("{text}");
                let _ = std::io::stdout().flush();
            }
            StreamName::Stderr => eprint!("{text}"),
        }
    }
    fn display(&mut self, data: Value, _metadata: Value, display_id: Option<&str>) {
        let text = plain_text(&data);
        println!("{text}");
        if let Some(id) = display_id {
            self.shown.insert(id.to_owned(), text);
        }
    }
    fn update_display(&mut self, data: Value, _metadata: Value, display_id: &str) {
        let text = plain_text(&data);
        if self.shown.get(display_id) != Some(&text) {
            println!("{text}");
            self.shown.insert(display_id.to_owned(), text);
        }
    }
    fn clear_output(&mut self, _wait: bool) {}
    fn payload(&mut self, payload: Value) {
        if let Some(text) = payload["data"]["text/plain"].as_str() {
            println!("{text}");
        }
    }
    fn cancel_token(&self) -> CancellationToken {
        self.token.clone()
    }
    fn read_input(&mut self, prompt: &str, password: bool) -> anyhow::Result<String> {
        eprint!("{prompt}");
        if password {
            // Echo is off while a terminal types it; piped input is read as it comes.
            let line = rpassword::read_password().map_err(|e| anyhow::anyhow!("no input ({e})"))?;
            return Ok(line.trim_end_matches(['\n', '\r']).to_owned());
        }
        let mut line = String::new();
        let n = std::io::stdin().lock().read_line(&mut line)?;
        anyhow::ensure!(n > 0, "no input (standard input is closed)");
        Ok(line.trim_end_matches(['\n', '\r']).to_owned())
    }
    fn run_code(&mut self, _code: &str) -> anyhow::Result<()> {
        Err(no_cells())
    }
    fn set_env(&mut self, key: &str, value: &str) -> anyhow::Result<()> {
        std::env::set_var(key, value);
        Ok(())
    }
    fn run_repairing(&mut self, _code: &str, _max_fix: usize) -> anyhow::Result<String> {
        Err(no_cells())
    }
    fn last_failed(&self) -> Option<String> {
        None
    }
    fn create_widget(&mut self, _state: State, _on_event: Option<EventFn>) -> String {
        String::new()
    }
    fn send_comms(&mut self, _out: Vec<Outgoing>) {}
}
