//! Publishing on iopub, attached to the request being served.

use crate::wire::Message;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::mpsc::UnboundedSender;

/// Sends iopub messages whose parent is the request currently being served.
///
/// Output produced by a cell (streams from evcxr's threads, displays from
/// magics) does not know which request it belongs to; the publisher does, so
/// every output lands in the right notebook cell.
#[derive(Clone)]
pub struct Publisher {
    tx: UnboundedSender<Message>,
    parent: Arc<Mutex<Option<Message>>>,
    muted: Arc<AtomicBool>,
    session: String,
}

impl Publisher {
    /// A publisher feeding the iopub task.
    pub fn new(tx: UnboundedSender<Message>, session: &str) -> Publisher {
        Publisher {
            tx,
            parent: Arc::new(Mutex::new(None)),
            muted: Arc::new(AtomicBool::new(false)),
            session: session.to_string(),
        }
    }

    /// Makes `parent` the request that later outputs answer.
    pub fn set_parent(&self, parent: Option<Message>) {
        *self.parent.lock().unwrap_or_else(PoisonError::into_inner) = parent;
    }

    /// The request being served, if any.
    pub fn parent(&self) -> Option<Message> {
        self.parent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Silences cell output (for `silent` executes); status messages still go.
    pub fn set_muted(&self, muted: bool) {
        self.muted.store(muted, Ordering::SeqCst);
    }

    /// Publishes an output message of `msg_type` under the current parent.
    pub fn send(&self, msg_type: &str, content: Value) {
        self.send_with_metadata(msg_type, content, json!({}));
    }

    /// [`send`](Self::send) with message-level metadata (where the widget protocol puts its
    /// `version` on `comm_open`).
    pub fn send_with_metadata(&self, msg_type: &str, content: Value, metadata: Value) {
        if self.muted.load(Ordering::SeqCst) {
            return;
        }
        let mut msg = match self.parent() {
            Some(p) => {
                let mut m = Message::reply_to(&p, msg_type, content);
                m.identities.clear();
                m
            }
            None => Message::orphan(msg_type, &self.session, content),
        };
        msg.metadata = metadata;
        // The receiver only goes away at shutdown; output then has nowhere to go.
        let _ = self.tx.send(msg);
    }

    /// Publishes under an explicit parent (status messages of quick requests).
    pub fn send_for(&self, parent: &Message, msg_type: &str, content: Value) {
        let mut m = Message::reply_to(parent, msg_type, content);
        m.identities.clear();
        let _ = self.tx.send(m);
    }

    /// `status` with the given execution state.
    pub fn status_for(&self, parent: &Message, state: &str) {
        self.send_for(parent, "status", json!({ "execution_state": state }));
    }

    /// A stream message.
    pub fn stream(&self, name: &str, text: &str) {
        if !text.is_empty() {
            self.send("stream", json!({ "name": name, "text": text }));
        }
    }

    /// `display_data`, or `update_display_data` when `update` is set.
    pub fn display(&self, data: Value, metadata: Value, display_id: Option<&str>, update: bool) {
        let transient = match display_id {
            Some(id) => json!({ "display_id": id }),
            None => json!({}),
        };
        let kind = if update {
            "update_display_data"
        } else {
            "display_data"
        };
        self.send(
            kind,
            json!({ "data": data, "metadata": metadata, "transient": transient }),
        );
    }
}
