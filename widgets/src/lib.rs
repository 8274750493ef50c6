//! Comms for the collm kernel: the registry of comm targets, the table of open
//! comms, and the `jupyter.widget.control` target of the ipywidgets protocol.
//!
//! The kernel owns one [`CommManager`]. Frontend messages (`comm_open`,
//! `comm_msg`, `comm_close`) go in; what the kernel must send back comes out
//! as [`Outgoing`] values, so this crate needs no socket code and can be
//! tested on its own.

mod ipywidgets;
mod store;

pub use ipywidgets::{
    bounded_int_text, boxed, button, dropdown, html, int_slider, layout, output, reference, style,
    view_bundle, State, PROTOCOL_VERSION, VIEW_MIME, WIDGET_TARGET,
};
pub use store::{EventFn, WidgetEvent, WidgetStore};

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
    /// `comm_open` from the kernel (a widget model it created).
    Open {
        /// Comm id (the widget's model id).
        comm_id: String,
        /// Comm target (`jupyter.widget`).
        target_name: String,
        /// Open data (`{state, buffer_paths}`).
        data: Value,
        /// Open metadata (`{version}`).
        metadata: Value,
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
    widgets: WidgetStore,
}

impl CommManager {
    /// A manager with the targets the kernel always serves.
    pub fn with_default_targets() -> CommManager {
        let mut m = CommManager::default();
        let control = WidgetControl {
            widgets: m.widgets.clone(),
        };
        m.register_target("jupyter.widget.control", Arc::new(control));
        m
    }

    /// The widget models this kernel has created.
    pub fn widgets(&self) -> &WidgetStore {
        &self.widgets
    }

    /// Creates a widget model: records its state, answers its comm messages
    /// (calling `on_event` for updates and custom events such as clicks), and
    /// returns its id with the `comm_open` the kernel must publish.
    pub fn create_widget(&mut self, state: State, on_event: Option<EventFn>) -> (String, Outgoing) {
        let id = uuid::Uuid::new_v4().simple().to_string();
        self.widgets.insert(&id, state.clone());
        let handler = store::WidgetHandler::new(self.widgets.clone(), on_event);
        self.adopt(&id, WIDGET_TARGET, Box::new(handler));
        let open = Outgoing::Open {
            comm_id: id.clone(),
            target_name: WIDGET_TARGET.to_string(),
            data: json!({"state": state, "buffer_paths": []}),
            metadata: json!({"version": PROTOCOL_VERSION}),
        };
        (id, open)
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
        self.widgets.remove(comm_id);
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
/// live widget (`request_states`), so forms survive a page reload.
struct WidgetControl {
    widgets: WidgetStore,
}

struct WidgetControlHandler {
    widgets: WidgetStore,
}

impl CommTarget for WidgetControl {
    fn open(
        &self,
        _comm_id: &str,
        _data: &Value,
        _out: &mut Vec<Outgoing>,
    ) -> Result<Box<dyn CommHandler>, String> {
        Ok(Box::new(WidgetControlHandler {
            widgets: self.widgets.clone(),
        }))
    }
}

impl CommHandler for WidgetControlHandler {
    fn on_msg(&mut self, comm_id: &str, data: &Value, out: &mut Vec<Outgoing>) {
        if data.get("method").and_then(Value::as_str) == Some("request_states") {
            out.push(Outgoing::Msg {
                comm_id: comm_id.to_string(),
                data: json!({
                    "method": "update_states",
                    "states": self.widgets.all_states(),
                    "buffer_paths": [],
                }),
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
    fn request_states_lists_every_widget() {
        let mut m = CommManager::with_default_targets();
        let (id, _) = m.create_widget(html("<b>hi</b>", "l1", "s1"), None);
        m.open("c1", "jupyter.widget.control", &json!({}));
        let out = m.message("c1", &json!({"method": "request_states"}));
        match &out[0] {
            Outgoing::Msg { data, .. } => {
                assert_eq!(data["method"], "update_states");
                assert_eq!(data["states"][&id]["model_name"], "HTMLModel");
                assert_eq!(data["states"][&id]["state"]["value"], "<b>hi</b>");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn created_widgets_open_with_protocol_metadata() {
        let mut m = CommManager::with_default_targets();
        let (id, open) = m.create_widget(button("Submit", "primary", "l", "s"), None);
        let Outgoing::Open {
            comm_id,
            target_name,
            data,
            metadata,
        } = open
        else {
            panic!("expected an open")
        };
        assert_eq!(comm_id, id);
        assert_eq!(target_name, "jupyter.widget");
        assert_eq!(metadata["version"], "2.1.0");
        assert_eq!(data["state"]["_model_name"], "ButtonModel");
        assert_eq!(data["state"]["_model_module_version"], "2.0.0");
        assert_eq!(data["state"]["layout"], "IPY_MODEL_l");
        assert_eq!(
            m.info(Some("jupyter.widget"))[&id]["target_name"],
            "jupyter.widget"
        );
    }

    #[test]
    fn request_state_update_and_click_reach_the_widget() {
        let mut m = CommManager::with_default_targets();
        let clicks = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = clicks.clone();
        let on_event: EventFn = Box::new(move |event, _store, _out| {
            if let WidgetEvent::Custom(content) = event {
                if content["event"] == "click" {
                    seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            }
        });
        let (id, _) = m.create_widget(
            int_slider(0, 0, 200, 10, "Pileup", "l", "s"),
            Some(on_event),
        );
        m.message(
            &id,
            &json!({"method": "update", "state": {"value": 40}, "buffer_paths": []}),
        );
        assert_eq!(m.widgets().get(&id, "value"), Some(json!(40)));
        let out = m.message(&id, &json!({"method": "request_state"}));
        match &out[0] {
            Outgoing::Msg { data, .. } => {
                assert_eq!(data["method"], "update");
                assert_eq!(data["state"]["value"], 40);
                assert_eq!(data["state"]["_model_name"], "IntSliderModel");
            }
            other => panic!("unexpected {other:?}"),
        }
        m.message(
            &id,
            &json!({"method": "custom", "content": {"event": "click"}}),
        );
        assert_eq!(clicks.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
