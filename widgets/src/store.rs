//! The kernel's widget models and how frontend messages change them.

use crate::ipywidgets::State;
use crate::{CommHandler, Outgoing};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

/// What the frontend did to a widget.
#[derive(Debug, Clone, PartialEq)]
pub enum WidgetEvent {
    /// The user changed values (`update`); the keys that changed.
    Update(Map<String, Value>),
    /// A `custom` message, such as a button's `{"event": "click"}`.
    Custom(Value),
}

/// Called on a widget's events; may update widgets through the store and
/// push messages for the frontend.
pub type EventFn = Box<dyn FnMut(&WidgetEvent, &WidgetStore, &mut Vec<Outgoing>) + Send>;

/// The state of every live widget model, shared by their comm handlers and
/// by `jupyter.widget.control`.
#[derive(Clone, Default)]
pub struct WidgetStore {
    models: Arc<Mutex<BTreeMap<String, State>>>,
}

impl WidgetStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, State>> {
        self.models.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a new model.
    pub fn insert(&self, id: &str, state: State) {
        self.lock().insert(id.to_string(), state);
    }

    /// Forgets a closed model.
    pub fn remove(&self, id: &str) {
        self.lock().remove(id);
    }

    /// One value of a model's state.
    pub fn get(&self, id: &str, key: &str) -> Option<Value> {
        self.lock().get(id).and_then(|s| s.get(key).cloned())
    }

    /// A model's full state.
    pub fn state(&self, id: &str) -> Option<State> {
        self.lock().get(id).cloned()
    }

    /// Applies changes that came from the frontend.
    pub fn merge(&self, id: &str, changes: &Map<String, Value>) {
        if let Some(state) = self.lock().get_mut(id) {
            for (k, v) in changes {
                state.insert(k.clone(), v.clone());
            }
        }
    }

    /// Changes a value from the kernel side and returns the `update` message
    /// that shows the change in the frontend.
    pub fn set(&self, id: &str, key: &str, value: Value) -> Outgoing {
        let mut change = Map::new();
        change.insert(key.to_string(), value);
        self.merge(id, &change);
        Outgoing::Msg {
            comm_id: id.to_string(),
            data: json!({"method": "update", "state": change, "buffer_paths": []}),
        }
    }

    /// `states` for `update_states`: model name, module, version and state of each.
    pub fn all_states(&self) -> Value {
        let states: Map<String, Value> = self
            .lock()
            .iter()
            .map(|(id, s)| {
                let get = |k: &str| s.get(k).cloned().unwrap_or(Value::Null);
                (
                    id.clone(),
                    json!({
                        "model_name": get("_model_name"),
                        "model_module": get("_model_module"),
                        "model_module_version": get("_model_module_version"),
                        "state": s,
                    }),
                )
            })
            .collect();
        Value::Object(states)
    }
}

/// The kernel side of one widget's comm.
pub(crate) struct WidgetHandler {
    store: WidgetStore,
    on_event: Option<EventFn>,
}

impl WidgetHandler {
    pub(crate) fn new(store: WidgetStore, on_event: Option<EventFn>) -> WidgetHandler {
        WidgetHandler { store, on_event }
    }

    fn fire(&mut self, event: WidgetEvent, out: &mut Vec<Outgoing>) {
        if let Some(f) = self.on_event.as_mut() {
            f(&event, &self.store, out);
        }
    }
}

impl CommHandler for WidgetHandler {
    fn on_msg(&mut self, comm_id: &str, data: &Value, out: &mut Vec<Outgoing>) {
        match data.get("method").and_then(Value::as_str) {
            Some("update") => {
                if let Some(Value::Object(changes)) = data.get("state") {
                    self.store.merge(comm_id, changes);
                    self.fire(WidgetEvent::Update(changes.clone()), out);
                }
            }
            Some("request_state") => {
                if let Some(state) = self.store.state(comm_id) {
                    out.push(Outgoing::Msg {
                        comm_id: comm_id.to_string(),
                        data: json!({"method": "update", "state": state, "buffer_paths": []}),
                    });
                }
            }
            Some("custom") => {
                let content = data.get("content").cloned().unwrap_or(Value::Null);
                self.fire(WidgetEvent::Custom(content), out);
            }
            _ => {}
        }
    }
}
