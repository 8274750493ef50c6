//! Comms for the collm kernel: the registry of comm targets, the table of open
//! comms, and the `jupyter.widget.control` target of the ipywidgets protocol.
//!
//! The kernel owns one [`CommManager`]. Frontend messages (`comm_open`,
//! `comm_msg`, `comm_close`) go in; what the kernel must send back comes out
//! as [`Outgoing`] values, so this crate needs no socket code and can be
//! tested on its own.

use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// A message the kernel must publish on iopub as a result of comm traffic.
#[derive(Debug, Clone, PartialEq)]
pub enum Outgoing {
    /// `comm_msg` to the frontend.
    Msg {
        /// Comm id.
        comm_id: String,
        /// Message data.
        data: Value,
    },
    /// `comm_close` to the frontend.
    Close {
        /// Comm id.
        comm_id: String,
        /// Close data.
        data: Value,
    },
}

/// The kernel side of one open comm.
pub trait CommHandler: Send {
    /// A `comm_msg` arrived from the frontend.
    fn on_msg(&mut self, comm_id: &str, data: &Value, out: &mut Vec<Outgoing>);
    /// The frontend closed the comm.
    fn on_close(&mut self, _data: &Value) {}
}

/// Creates handlers for comms the frontend opens on a target name.
pub trait CommTarget: Send + Sync {
    /// Accepts a `comm_open`; `Err` makes the kernel close the comm at once.
    fn open(
        &self,
        comm_id: &str,
        data: &Value,
        out: &mut Vec<Outgoing>,
    ) -> Result<Box<dyn CommHandler>, String>;
}

struct OpenComm {
    target: String,
    handler: Box<dyn CommHandler>,
}

/// All comm targets and open comms of a kernel.
#[derive(Default)]
pub struct CommManager {
    targets: HashMap<String, Arc<dyn CommTarget>>,
    open: BTreeMap<String, OpenComm>,
}

impl CommManager {
    /// A manager with the targets the kernel always serves.
    pub fn with_default_targets() -> CommManager {
        let mut m = CommManager::default();
        m.register_target("jupyter.widget.control", Arc::new(WidgetControl));
        m
    }

    /// Makes `name` openable from the frontend.
    pub fn register_target(&mut self, name: &str, target: Arc<dyn CommTarget>) {
        self.targets.insert(name.to_string(), target);
    }

    /// Records a comm the kernel opened itself (for example a widget model).
    pub fn adopt(&mut self, comm_id: &str, target: &str, handler: Box<dyn CommHandler>) {
        self.open.insert(
            comm_id.to_string(),
            OpenComm {
                target: target.to_string(),
                handler,
            },
        );
    }

    /// Handles `comm_open` from the frontend. Unknown targets are closed.
    pub fn open(&mut self, comm_id: &str, target: &str, data: &Value) -> Vec<Outgoing> {
        let mut out = Vec::new();
        let result = match self.targets.get(target) {
            Some(t) => t.open(comm_id, data, &mut out),
            None => Err(format!("no comm target named `{target}`")),
        };
        match result {
            Ok(handler) => self.adopt(comm_id, target, handler),
            Err(reason) => out.push(Outgoing::Close {
                comm_id: comm_id.to_string(),
                data: json!({ "error": reason }),
            }),
        }
        out
    }

    /// Handles `comm_msg`; messages to unknown comms are ignored, as the
    /// protocol asks.
    pub fn message(&mut self, comm_id: &str, data: &Value) -> Vec<Outgoing> {
        let mut out = Vec::new();
        if let Some(c) = self.open.get_mut(comm_id) {
            c.handler.on_msg(comm_id, data, &mut out);
        }
        out
    }

    /// Handles `comm_close` from the frontend.
    pub fn close(&mut self, comm_id: &str, data: &Value) {
        if let Some(mut c) = self.open.remove(comm_id) {
            c.handler.on_close(data);
        }
    }

    /// The `comms` field of `comm_info_reply`, optionally for one target.
    pub fn info(&self, target: Option<&str>) -> Value {
        let comms: serde_json::Map<String, Value> = self
            .open
            .iter()
            .filter(|(_, c)| target.is_none_or(|t| t == c.target))
            .map(|(id, c)| (id.clone(), json!({ "target_name": c.target })))
            .collect();
        Value::Object(comms)
    }
}

/// `jupyter.widget.control`: lets a reloaded page ask for the state of every
/// live widget (`request_states`). The kernel has no widget models yet, so the
/// answer lists none; the reply shape is what the frontend expects.
struct WidgetControl;

struct WidgetControlHandler;

impl CommTarget for WidgetControl {
    fn open(
        &self,
        _comm_id: &str,
        _data: &Value,
        _out: &mut Vec<Outgoing>,
    ) -> Result<Box<dyn CommHandler>, String> {
        Ok(Box::new(WidgetControlHandler))
    }
}

impl CommHandler for WidgetControlHandler {
    fn on_msg(&mut self, comm_id: &str, data: &Value, out: &mut Vec<Outgoing>) {
        if data.get("method").and_then(Value::as_str) == Some("request_states") {
            out.push(Outgoing::Msg {
                comm_id: comm_id.to_string(),
                data: json!({"method": "update_states", "states": {}, "buffer_paths": []}),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_target_is_closed() {
        let mut m = CommManager::with_default_targets();
        let out = m.open("c1", "no.such.target", &json!({}));
        assert!(matches!(&out[0], Outgoing::Close { comm_id, .. } if comm_id == "c1"));
        assert_eq!(m.info(None), json!({}));
    }

    #[test]
    fn open_comms_are_listed_and_filtered() {
        let mut m = CommManager::with_default_targets();
        assert!(m
            .open("c1", "jupyter.widget.control", &json!({}))
            .is_empty());
        assert_eq!(
            m.info(None),
            json!({"c1": {"target_name": "jupyter.widget.control"}})
        );
        assert_eq!(m.info(Some("other")), json!({}));
        m.close("c1", &json!({}));
        assert_eq!(m.info(None), json!({}));
    }

    #[test]
    fn request_states_is_answered() {
        let mut m = CommManager::with_default_targets();
        m.open("c1", "jupyter.widget.control", &json!({}));
        let out = m.message("c1", &json!({"method": "request_states"}));
        match &out[0] {
            Outgoing::Msg { data, .. } => assert_eq!(data["method"], "update_states"),
            other => panic!("unexpected {other:?}"),
        }
    }
}
