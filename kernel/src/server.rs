//! The five ZeroMQ sockets of a Jupyter kernel and the tasks serving them.
//!
//! - iopub (XPUB) belongs to one task that both publishes and reads
//!   subscriptions, answering each with `iopub_welcome`;
//! - heartbeat echoes;
//! - control runs on its own task, so interrupts and shutdowns are served
//!   while a cell runs;
//! - shell answers quick requests itself and queues the rest for the engine;
//! - stdin carries input requests and replies.

use crate::dispatch::Dispatcher;
use crate::history::History;
use crate::interpreter::{CollmInterpreter, Completeness, Interpreter, KernelInfo, QuickAnswers};
use crate::interrupt::Interrupt;
use crate::publish::Publisher;
use crate::stdin::StdinBridge;
use crate::wire::{Message, Signer};
use anyhow::Context;
use bytes::Bytes;
use jupyter_protocol::ConnectionInfo;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};
use zeromq::{RepSocket, RouterSocket, Socket, SocketRecv, SocketSend, XPubSocket, ZmqMessage};

/// Protocol version spoken.
const PROTOCOL_VERSION: &str = "5.3";

/// The five sockets, bound.
struct Sockets {
    shell: RouterSocket,
    control: RouterSocket,
    stdin: RouterSocket,
    iopub: XPubSocket,
    hb: RepSocket,
}

impl Sockets {
    async fn bind(conn: &ConnectionInfo) -> anyhow::Result<Sockets> {
        Ok(Sockets {
            shell: bound(RouterSocket::new(), &conn.shell_url(), "shell").await?,
            control: bound(RouterSocket::new(), &conn.control_url(), "control").await?,
            stdin: bound(RouterSocket::new(), &conn.stdin_url(), "stdin").await?,
            iopub: bound(XPubSocket::new(), &conn.iopub_url(), "iopub").await?,
            hb: bound(RepSocket::new(), &conn.hb_url(), "heartbeat").await?,
        })
    }
}

/// `socket`, bound to `url`; a failure names the socket.
async fn bound<S: Socket>(mut socket: S, url: &str, name: &str) -> anyhow::Result<S> {
    socket
        .bind(url)
        .await
        .with_context(|| format!("binding {name} to {url}"))?;
    Ok(socket)
}

/// Runs the kernel until a shutdown request.
pub async fn serve(conn: ConnectionInfo, magics: collm_magics::Magics) -> anyhow::Result<()> {
    let signer = Signer::new(&conn.key);
    let session = uuid::Uuid::new_v4().to_string();
    let sockets = Sockets::bind(&conn).await?;

    let (iopub_tx, iopub_rx) = unbounded_channel();
    let (iopub_done_tx, iopub_done_rx) = tokio::sync::oneshot::channel();
    let iopub = iopub_task(sockets.iopub, iopub_rx, signer.clone(), session.clone());
    tokio::spawn(async move {
        iopub.await;
        let _ = iopub_done_tx.send(());
    });
    tokio::spawn(heartbeat_task(sockets.hb));

    let publisher = Publisher::new(iopub_tx.clone(), &session);
    let (stdin_out_tx, stdin_out_rx) = unbounded_channel();
    let (stdin_reply_tx, stdin_reply_rx) = std::sync::mpsc::channel();
    let stdin_signer = signer.clone();
    tokio::spawn(stdin_task(
        sockets.stdin,
        stdin_out_rx,
        stdin_reply_tx,
        stdin_signer,
    ));

    let (shell_out_tx, shell_out_rx) = unbounded_channel();
    let stdin = StdinBridge::new(stdin_out_tx, stdin_reply_rx);
    let interpreter = CollmInterpreter::new(
        publisher.clone(),
        stdin,
        Arc::new(Interrupt::default()),
        magics,
    );
    let (shutdown_tx, mut shutdown_rx) = unbounded_channel::<()>();
    let quick = Quick {
        publisher: publisher.clone(),
        history: Arc::new(Mutex::new(History::new(1))),
        busy: Arc::new(AtomicBool::new(false)),
        shutdown: shutdown_tx,
        answers: interpreter.quick(),
    };
    let dispatcher = Dispatcher::new(
        publisher.clone(),
        shell_out_tx.clone(),
        quick.history.clone(),
        quick.busy.clone(),
        interpreter,
    );
    let (jobs_tx, jobs_rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("collm-engine".into())
        .spawn(move || dispatcher.run(jobs_rx))
        .context("starting the engine thread")?;

    tokio::spawn(control_task(sockets.control, signer.clone(), quick.clone()));
    let (shell_send, shell_recv) = sockets.shell.split();
    tokio::spawn(sender_task(shell_send, shell_out_rx, signer.clone()));
    tokio::spawn(shell_task(shell_recv, signer, shell_out_tx, jobs_tx, quick));

    shutdown_rx.recv().await;
    // Let the last status messages and replies leave before exiting.
    drop(iopub_tx);
    drop(publisher);
    let _ = tokio::time::timeout(std::time::Duration::from_millis(300), iopub_done_rx).await;
    Ok(())
}

/// State for requests answered without the engine.
#[derive(Clone)]
struct Quick {
    publisher: Publisher,
    history: Arc<Mutex<History>>,
    busy: Arc<AtomicBool>,
    shutdown: UnboundedSender<()>,
    answers: Arc<dyn QuickAnswers>,
}

impl Quick {
    /// Answers `msg` if it needs no engine; returns the reply, or None.
    fn answer(&self, msg: &Message) -> Option<Message> {
        let content = match msg.msg_type() {
            "kernel_info_request" => kernel_info(&self.answers.kernel_info()),
            "is_complete_request" => {
                let code = msg
                    .content
                    .get("code")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                match self.answers.is_complete(code) {
                    Completeness::Complete => json!({"status": "complete"}),
                    Completeness::Incomplete(indent) => {
                        json!({"status": "incomplete", "indent": indent})
                    }
                    Completeness::Invalid => json!({"status": "invalid"}),
                }
            }
            "history_request" => {
                let history = self.history.lock().unwrap_or_else(PoisonError::into_inner);
                json!({"status": "ok", "history": history.query(&msg.content)})
            }
            "shutdown_request" => {
                let restart = msg
                    .content
                    .get("restart")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                self.answers.shutdown(restart);
                json!({"status": "ok", "restart": restart})
            }
            "interrupt_request" => {
                self.answers.interrupt();
                json!({"status": "ok"})
            }
            _ => return None,
        };
        let reply_type = msg.msg_type().replace("_request", "_reply");
        Some(Message::reply_to(msg, &reply_type, content))
    }

    /// Status around a quick reply, unless a cell is running (its busy/idle
    /// pair must not be interleaved with another one).
    fn status(&self, msg: &Message, state: &str) {
        if !self.busy.load(Ordering::SeqCst) {
            self.publisher.status_for(msg, state);
        }
    }
}

fn kernel_info(info: &KernelInfo) -> Value {
    json!({
        "status": "ok",
        "protocol_version": PROTOCOL_VERSION,
        "implementation": info.implementation,
        "implementation_version": info.implementation_version,
        "language_info": {
            "name": info.language,
            "version": info.language_version,
            "mimetype": "text/rust",
            "file_extension": ".rs",
            "pygments_lexer": "rust",
            "codemirror_mode": "rust",
        },
        "banner": info.banner,
        "help_links": [
            {"text": "evcxr", "url": "https://github.com/evcxr/evcxr"},
            {"text": "Rust standard library", "url": "https://doc.rust-lang.org/std/"},
        ],
        "debugger": false,
    })
}

/// Receives a multipart message and decodes it; bad signatures and malformed
/// messages are logged and dropped, never executed.
fn decode(signer: &Signer, raw: ZmqMessage, socket: &str) -> Option<Message> {
    match signer.decode(raw.into_vec()) {
        Ok(msg) => Some(msg),
        Err(e) => {
            tracing::warn!("dropped a message on {socket}: {e}");
            None
        }
    }
}

async fn shell_task(
    mut socket: zeromq::RouterRecvHalf,
    signer: Signer,
    replies: UnboundedSender<Message>,
    jobs: std::sync::mpsc::Sender<(Message, std::time::Instant)>,
    quick: Quick,
) {
    while let Ok(raw) = socket.recv().await {
        let Some(msg) = decode(&signer, raw, "shell") else {
            continue;
        };
        if let Some(reply) = quick.answer(&msg) {
            quick.status(&msg, "busy");
            let _ = replies.send(reply);
            quick.status(&msg, "idle");
            if msg.msg_type() == "shutdown_request" {
                let _ = quick.shutdown.send(());
            }
        } else if jobs.send((msg, std::time::Instant::now())).is_err() {
            return;
        }
    }
}

async fn control_task(mut socket: RouterSocket, signer: Signer, quick: Quick) {
    while let Ok(raw) = socket.recv().await {
        let Some(msg) = decode(&signer, raw, "control") else {
            continue;
        };
        if let Some(reply) = quick.answer(&msg) {
            let _ = socket.send(signer.encode(&reply)).await;
            if msg.msg_type() == "shutdown_request" {
                let _ = quick.shutdown.send(());
            }
        }
    }
}

async fn sender_task(
    mut socket: zeromq::RouterSendHalf,
    mut rx: UnboundedReceiver<Message>,
    signer: Signer,
) {
    while let Some(msg) = rx.recv().await {
        if let Err(e) = socket.send(signer.encode(&msg)).await {
            tracing::warn!("could not send a shell reply: {e}");
        }
    }
}

async fn stdin_task(
    socket: RouterSocket,
    mut outgoing: UnboundedReceiver<Message>,
    replies: std::sync::mpsc::Sender<Value>,
    signer: Signer,
) {
    let (mut send, mut recv) = socket.split();
    let recv_signer = signer.clone();
    tokio::spawn(async move {
        while let Ok(raw) = recv.recv().await {
            if let Some(msg) = decode(&recv_signer, raw, "stdin") {
                if msg.msg_type() == "input_reply" {
                    let _ = replies.send(msg.content);
                }
            }
        }
    });
    while let Some(msg) = outgoing.recv().await {
        if let Err(e) = send.send(signer.encode(&msg)).await {
            tracing::warn!("could not send an input request: {e}");
        }
    }
}

/// Owns the XPUB socket: publishes outputs and answers every new
/// subscription with `iopub_welcome` (JEP 65), so a client knows when it
/// stops missing messages.
async fn iopub_task(
    mut socket: XPubSocket,
    mut rx: UnboundedReceiver<Message>,
    signer: Signer,
    session: String,
) {
    loop {
        tokio::select! {
            msg = rx.recv() => match msg {
                Some(msg) => {
                    let mut frames = signer.encode(&msg);
                    frames.push_front(Bytes::from(topic(&msg)));
                    if let Err(e) = socket.send(frames).await {
                        tracing::warn!("iopub send failed: {e}");
                    }
                }
                None => break,
            },
            sub = socket.recv() => {
                let Ok(sub) = sub else { continue };
                let Some(frame) = sub.get(0) else { continue };
                if frame.first() == Some(&1) {
                    let topic = String::from_utf8_lossy(&frame[1..]).to_string();
                    let welcome = Message::orphan("iopub_welcome", &session, json!({"subscription": topic}));
                    let mut frames = signer.encode(&welcome);
                    frames.push_front(Bytes::from(topic.into_bytes()));
                    let _ = socket.send(frames).await;
                }
            }
        }
    }
}

/// The iopub topic, as ipykernel names it (`kernel.<id>.<msg_type>`).
fn topic(msg: &Message) -> Vec<u8> {
    format!("kernel.{}.{}", msg.header.session, msg.msg_type()).into_bytes()
}

async fn heartbeat_task(mut socket: RepSocket) {
    while let Ok(ping) = socket.recv().await {
        if socket.send(ping).await.is_err() {
            return;
        }
    }
}
