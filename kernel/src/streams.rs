//! Forwarding evcxr's stdout and stderr to iopub while a cell runs.
//!
//! evcxr hands over the child's output line by line on channels. One thread per
//! stream batches lines into `stream` messages (a 10 MB burst becomes a few
//! dozen messages, not a hundred thousand) and turns our display marker lines
//! into `display_data` / `update_display_data` / `clear_output`. Before a cell's
//! reply the kernel calls [`StreamForwarder::flush`], so every byte of output is
//! published before the reply and the `idle` status.

use crate::publish::Publisher;
use crossbeam_channel::{select, Receiver, Sender};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// A stdout line starting with this is a display request from a cell.
pub const DISPLAY_MARKER: &str = "COLLM_DISPLAY ";

/// A stderr line starting with this says how many lines that follow are a copy of an error
/// the cell reports as its failure (evcxr prints the error of a top-level `?` too).
const SKIP_MARKER: &str = "\u{1f}collm-skip ";

/// Largest text batched into one stream message.
const BATCH_BYTES: usize = 256 * 1024;

/// How many recent stderr lines are kept for crash diagnosis.
const TAIL_LINES: usize = 40;

/// Lines of one evcxr output stream, forwarded to iopub by a thread.
pub struct StreamForwarder {
    flush_tx: Sender<Sender<()>>,
    tail: Arc<Mutex<VecDeque<String>>>,
}

impl StreamForwarder {
    /// Starts the forwarding thread for stream `name` (`stdout` or `stderr`).
    pub fn spawn(name: &'static str, lines: Receiver<String>, publisher: Publisher) -> Self {
        let (flush_tx, flush_rx) = crossbeam_channel::unbounded::<Sender<()>>();
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let worker = Worker {
            name,
            publisher,
            tail: tail.clone(),
            buf: String::new(),
            skip: 0,
        };
        std::thread::Builder::new()
            .name(format!("collm-{name}"))
            .spawn(move || worker.run(lines, flush_rx))
            .ok();
        StreamForwarder { flush_tx, tail }
    }

    /// Returns once every line received so far has been published.
    pub fn flush(&self) {
        let (ack_tx, ack_rx) = crossbeam_channel::bounded(1);
        if self.flush_tx.send(ack_tx).is_ok() {
            let _ = ack_rx.recv_timeout(Duration::from_secs(5));
        }
    }

    /// Recent lines, newest last, for explaining a crashed child process.
    pub fn take_tail(&self) -> Vec<String> {
        let mut tail = self.tail.lock().unwrap_or_else(PoisonError::into_inner);
        tail.drain(..).collect()
    }
}

struct Worker {
    name: &'static str,
    publisher: Publisher,
    tail: Arc<Mutex<VecDeque<String>>>,
    buf: String,
    /// Lines still to drop after a [`SKIP_MARKER`].
    skip: usize,
}

impl Worker {
    fn run(mut self, lines: Receiver<String>, flush: Receiver<Sender<()>>) {
        loop {
            select! {
                recv(lines) -> line => match line {
                    Ok(line) => {
                        self.take(line);
                        while self.buf.len() < BATCH_BYTES {
                            match lines.try_recv() {
                                Ok(line) => self.take(line),
                                Err(_) => break,
                            }
                        }
                        self.emit();
                    }
                    Err(_) => return,
                },
                recv(flush) -> ack => {
                    self.drain(&lines);
                    if let Ok(ack) = ack {
                        let _ = ack.send(());
                    }
                }
            }
        }
    }

    /// Takes whatever is queued. stderr comes from a pipe read by another
    /// thread, so a line written just before the cell ended may still be in
    /// flight: wait briefly for it.
    fn drain(&mut self, lines: &Receiver<String>) {
        let grace = if self.name == "stderr" {
            Duration::from_millis(3)
        } else {
            Duration::ZERO
        };
        loop {
            let next = if grace.is_zero() {
                lines.try_recv().ok()
            } else {
                lines.recv_timeout(grace).ok()
            };
            match next {
                Some(line) => {
                    self.take(line);
                    if self.buf.len() >= BATCH_BYTES {
                        self.emit();
                    }
                }
                None => break,
            }
        }
        self.emit();
    }

    fn take(&mut self, line: String) {
        if self.name == "stdout" {
            if let Some(spec) = line.strip_prefix(DISPLAY_MARKER) {
                self.emit();
                publish_marker(&self.publisher, spec);
                return;
            }
        } else {
            if let Some(n) = line.strip_prefix(SKIP_MARKER) {
                self.skip = n.trim().parse().unwrap_or(0);
                return;
            }
            if self.skip > 0 {
                self.skip -= 1;
                return;
            }
            let mut tail = self.tail.lock().unwrap_or_else(PoisonError::into_inner);
            if tail.len() == TAIL_LINES {
                tail.pop_front();
            }
            tail.push_back(line.clone());
        }
        self.buf.push_str(&line);
        self.buf.push('\n');
    }

    fn emit(&mut self) {
        if !self.buf.is_empty() {
            self.publisher.stream(self.name, &self.buf);
            self.buf.clear();
        }
    }
}

/// Publishes one display marker. A malformed marker is shown as stderr text
/// naming the problem rather than silently dropped.
fn publish_marker(publisher: &Publisher, spec: &str) {
    let parsed: Result<Value, _> = serde_json::from_str(spec);
    let Ok(v) = parsed else {
        publisher.stream(
            "stderr",
            &format!("collm: malformed display marker (not JSON): {spec}\n"),
        );
        return;
    };
    let id = v.get("display_id").and_then(Value::as_str);
    match v.get("kind").and_then(Value::as_str).unwrap_or("display") {
        "clear" => publisher.send(
            "clear_output",
            json!({ "wait": v.get("wait").and_then(Value::as_bool).unwrap_or(false) }),
        ),
        kind @ ("display" | "update") => {
            let data = v.get("data").cloned().unwrap_or_else(|| json!({}));
            let metadata = v.get("metadata").cloned().unwrap_or_else(|| json!({}));
            if kind == "update" && id.is_none() {
                publisher.stream("stderr", "collm: update_display needs a display_id\n");
                return;
            }
            publisher.display(data, metadata, id, kind == "update");
        }
        other => publisher.stream(
            "stderr",
            &format!("collm: unknown display marker kind `{other}`\n"),
        ),
    }
}
