//! The front door: every connection is accepted here, counted against a limit, given a
//! deadline to send its request head, and its head checked (with `httparse`) before hyper
//! sees it.
//!
//! Why not `axum::serve`: it sets no header-read deadline (a client that sends half a head
//! holds its connection for ever) and no connection limit, and hyper answers a malformed,
//! oversized or too-long head itself with an empty body, where the contract wants
//! `{"detail": …}` for every error. Checking the head here, with limits tighter than hyper's,
//! means every refusal is ours and says what was wrong. Each connection carries one request
//! (no keep-alive), so every request passes this door; on loopback that costs nothing.

use axum::extract::ConnectInfo;
use axum::http::StatusCode;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower_service::Service;

/// How much a backend lets its clients hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections open at once; one more is answered 503 and closed.
    pub connections: usize,
    /// Time from accepting a connection to having its whole request head.
    pub header_read: Duration,
    /// Time a route may take to produce its response (a file's download streams after it).
    pub request: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            connections: 256,
            header_read: Duration::from_secs(10),
            request: Duration::from_secs(60),
        }
    }
}

/// The longest request head accepted (request line and headers).
const MAX_HEAD: usize = 32 * 1024;
/// The longest request target accepted.
const MAX_URI: usize = 8 * 1024;
/// The most headers accepted.
const MAX_HEADERS: usize = 64;
/// How long a shutdown waits for requests in flight.
const DRAIN: Duration = Duration::from_secs(30);

/// Serves `router` on `listener` until `stop` completes, then lets requests in flight finish
/// (for at most [`DRAIN`]).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    stop: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.connections));
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, typically: wait rather than spin.
                    tracing::warn!("accepting a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::warn!(
                "{peer}: refused, {} connections already open",
                limits.connections
            );
            let busy = Refusal(
                StatusCode::SERVICE_UNAVAILABLE,
                "too many connections; try again shortly".into(),
            );
            tokio::spawn(busy.send(stream));
            continue;
        };
        let router = router.clone();
        tokio::spawn(async move {
            connection(stream, peer, router, limits).await;
            drop(slot);
        });
    }
    let all = u32::try_from(limits.connections).unwrap_or(u32::MAX);
    if tokio::time::timeout(DRAIN, slots.acquire_many(all))
        .await
        .is_err()
    {
        tracing::warn!(
            "stopping with requests still in flight after {} s",
            DRAIN.as_secs()
        );
    }
}

/// One connection: its head within the deadline and within the limits, then one request.
async fn connection(mut stream: TcpStream, peer: SocketAddr, router: Router, limits: Limits) {
    let head = match tokio::time::timeout(limits.header_read, read_head(&mut stream)).await {
        Err(_) => Err(Some(Refusal(
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "the request head did not arrive within {} s",
                limits.header_read.as_secs()
            ),
        ))),
        Ok(head) => head,
    };
    let head = match head {
        Ok(head) => head,
        Err(Some(refusal)) => return refusal.send(stream).await,
        Err(None) => return,
    };
    let io = TokioIo::new(Replay {
        head,
        at: 0,
        stream,
    });
    // The client's address, for routes that count per client (as axum's `ConnectInfo`).
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        router.clone().call(req)
    });
    let served = hyper::server::conn::http1::Builder::new()
        .keep_alive(false)
        .serve_connection(io, service)
        .await;
    if let Err(e) = served {
        tracing::debug!("connection ended: {e}");
    }
}

/// Reads until the request head is complete; the bytes read (the head and perhaps the start
/// of the body). `Err(None)`: the client left before finishing it.
async fn read_head(stream: &mut TcpStream) -> Result<Vec<u8>, Option<Refusal>> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.map_err(|_| None)?;
        if n == 0 {
            return Err(None);
        }
        buf.extend_from_slice(&chunk[..n]);
        if check_head(&buf)? {
            return Ok(buf);
        }
    }
}

/// Whether `buf` holds a whole, acceptable request head (`false`: not yet whole).
fn check_head(buf: &[u8]) -> Result<bool, Refusal> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    let status = req.parse(buf).map_err(|e| match e {
        httparse::Error::TooManyHeaders => Refusal(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!("more than {MAX_HEADERS} headers"),
        ),
        e => Refusal(
            StatusCode::BAD_REQUEST,
            format!("malformed HTTP request head: {e}"),
        ),
    })?;
    let line_end = buf.iter().position(|&b| b == b'\n').unwrap_or(buf.len());
    if req.path.is_some_and(|p| p.len() > MAX_URI) || line_end > MAX_URI + 32 {
        return Err(Refusal(
            StatusCode::URI_TOO_LONG,
            format!("the request target is longer than {MAX_URI} bytes"),
        ));
    }
    match status {
        httparse::Status::Complete(_) => Ok(true),
        httparse::Status::Partial if buf.len() >= MAX_HEAD => Err(Refusal(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!("the request head is longer than {MAX_HEAD} bytes"),
        )),
        httparse::Status::Partial => Ok(false),
    }
}

/// A request refused at the door: its status and the `detail` of its JSON body.
#[derive(Debug, PartialEq)]
struct Refusal(StatusCode, String);

impl Refusal {
    /// Writes the response and closes; a client gone by then is no one's loss.
    async fn send(self, mut stream: TcpStream) {
        let body = serde_json::json!({ "detail": self.1 }).to_string();
        let head = format!(
            "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            self.0.as_u16(),
            self.0.canonical_reason().unwrap_or(""),
            body.len()
        );
        let write = async {
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(body.as_bytes()).await?;
            stream.shutdown().await
        };
        if tokio::time::timeout(Duration::from_secs(2), write)
            .await
            .is_err()
        {
            return;
        }
        // Closing with unread bytes would reset the connection, and the client could lose the
        // answer; read (and drop) what it is still sending, for a moment, first.
        let drain = async {
            let mut sink = [0u8; 16 * 1024];
            let mut left = 4 * 1024 * 1024usize;
            while let Ok(n @ 1..) = stream.read(&mut sink).await {
                left = left.saturating_sub(n);
                if left == 0 {
                    break;
                }
            }
        };
        let _ = tokio::time::timeout(Duration::from_secs(1), drain).await;
    }
}

/// The connection as hyper reads it: the bytes the door already read, then the socket.
struct Replay {
    head: Vec<u8>,
    at: usize,
    stream: TcpStream,
}

impl AsyncRead for Replay {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let me = &mut *self;
        if me.at < me.head.len() {
            let n = buf.remaining().min(me.head.len() - me.at);
            buf.put_slice(&me.head[me.at..me.at + n]);
            me.at += n;
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut me.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Replay {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Gives every route at most `limit` to answer (past it, 503 with the reason), and logs one
/// line per request: method, path, status and time taken (never a header, so never a token).
pub fn with_deadline(router: Router, limit: Duration) -> Router {
    router.layer(axum::middleware::from_fn(
        move |req: axum::extract::Request, next: axum::middleware::Next| async move {
            use axum::response::IntoResponse;
            let began = std::time::Instant::now();
            let (method, path) = (req.method().clone(), req.uri().path().to_owned());
            let peer = req
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
                .unwrap_or_default();
            let resp = match tokio::time::timeout(limit, next.run(req)).await {
                Ok(resp) => resp,
                Err(_) => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    axum::Json(serde_json::json!({
                        "detail": format!("the request took longer than {} s", limit.as_secs())
                    })),
                )
                    .into_response(),
            };
            tracing::info!(
                "{peer} {method} {path} {} {} ms",
                resp.status().as_u16(),
                began.elapsed().as_millis()
            );
            resp
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(head: &[u8]) -> Option<StatusCode> {
        check_head(head).err().map(|r| r.0)
    }

    #[test]
    fn heads_are_checked_before_hyper_sees_them() {
        assert_eq!(
            check_head(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
            Ok(true)
        );
        assert_eq!(check_head(b"GET /healthz HTTP/1.1\r\nHo"), Ok(false));
        assert_eq!(refused(b"GARBAGE\r\n\r\n"), Some(StatusCode::BAD_REQUEST));
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_URI + 1));
        assert_eq!(refused(long.as_bytes()), Some(StatusCode::URI_TOO_LONG));
        let unfinished = format!("GET /{}", "a".repeat(MAX_URI + 100));
        assert_eq!(
            refused(unfinished.as_bytes()),
            Some(StatusCode::URI_TOO_LONG)
        );
        let many: String = (0..=MAX_HEADERS).map(|i| format!("X-{i}: 1\r\n")).collect();
        let many = format!("GET / HTTP/1.1\r\n{many}\r\n");
        assert_eq!(
            refused(many.as_bytes()),
            Some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
        );
        let big = format!("GET / HTTP/1.1\r\nX-Big: {}", "a".repeat(MAX_HEAD));
        assert_eq!(
            refused(big.as_bytes()),
            Some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
        );
    }
}
