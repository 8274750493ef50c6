//! Asking the frontend for input on the stdin channel.

use crate::wire::Message;
use serde_json::{json, Value};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

/// The engine's side of the stdin socket.
pub struct StdinBridge {
    requests: UnboundedSender<Message>,
    replies: Mutex<Receiver<Value>>,
}

impl StdinBridge {
    /// `requests` go to the stdin task; `replies` carry `input_reply` contents.
    pub fn new(requests: UnboundedSender<Message>, replies: Receiver<Value>) -> StdinBridge {
        StdinBridge {
            requests,
            replies: Mutex::new(replies),
        }
    }

    /// Sends `input_request` for `parent` and waits for the answer, or for an
    /// interrupt.
    pub fn read(
        &self,
        parent: &Message,
        prompt: &str,
        password: bool,
        cancel: &CancellationToken,
    ) -> anyhow::Result<String> {
        let allowed = parent
            .content
            .get("allow_stdin")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if !allowed {
            anyhow::bail!("this frontend does not accept input requests (allow_stdin is false)");
        }
        let replies = self.replies.lock().unwrap_or_else(PoisonError::into_inner);
        // Drop answers to earlier, abandoned requests.
        while replies.try_recv().is_ok() {}
        let msg = Message::reply_to(
            parent,
            "input_request",
            json!({ "prompt": prompt, "password": password }),
        );
        self.requests
            .send(msg)
            .map_err(|_| anyhow::anyhow!("the stdin channel is closed"))?;
        loop {
            match replies.recv_timeout(Duration::from_millis(50)) {
                Ok(content) => {
                    return Ok(content
                        .get("value")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string())
                }
                Err(RecvTimeoutError::Timeout) if cancel.is_cancelled() => {
                    anyhow::bail!("input interrupted")
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => anyhow::bail!("the stdin channel is closed"),
            }
        }
    }
}
