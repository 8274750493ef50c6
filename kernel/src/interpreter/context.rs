//! The notebook as a magic running in the current cell sees it.

use super::collm::CollmInterpreter;
use collm_magics::{MagicContext, StreamName};
use collm_widgets::{EventFn, Outgoing, State};
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

/// A magic's view of the interpreter for the length of one call.
pub(super) struct CellContext<'a> {
    pub(super) interp: &'a mut CollmInterpreter,
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
