//! The front door against raw sockets: a half-sent head is cut off at the deadline, a
//! connection over the limit is refused, and every error (whoever makes it: the door, the
//! framework or a route) is JSON with `detail`.

mod common;
use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn connect(s: &Server) -> TcpStream {
    let addr = s.base.trim_start_matches("http://");
    let c = TcpStream::connect(addr).expect("connect");
    c.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    c
}

/// Sends `data` and reads the whole answer: status and body.
fn exchange(s: &Server, data: &[u8]) -> (u16, String) {
    let mut c = connect(s);
    // A refusal may close before everything is written; the answer is what matters.
    let _ = c.write_all(data);
    read_answer(&mut c)
}

fn read_answer(c: &mut TcpStream) -> (u16, String) {
    let mut out = Vec::new();
    let _ = c.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_owned());
    (status, body)
}

fn detail(body: &str) -> String {
    let v: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body:?}"));
    v["detail"].to_string()
}

#[test]
fn every_error_body_is_json_with_detail() {
    let s = server();
    let big_header = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(500_000)
    );
    let long_uri = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000));
    let big_body = format!(
        "POST /v1/estimate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 3000000\r\n\r\n{}",
        " ".repeat(3_000_000)
    );
    let cases: Vec<(Vec<u8>, u16, &str)> = vec![
        (b"GARBAGE\r\n\r\n".to_vec(), 400, "malformed HTTP request head"),
        (long_uri.into_bytes(), 414, "request target is longer"),
        (big_header.into_bytes(), 431, "request head is longer"),
        (big_body.into_bytes(), 413, "length limit"),
        (
            b"GET /v1/requests?limit=abc HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer x\r\n\r\n".to_vec(),
            400,
            "limit",
        ),
        (b"GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(), 404, "no such route"),
        (b"DELETE /v1/me HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(), 405, "Method Not Allowed"),
        (
            b"POST /v1/estimate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{bad}".to_vec(),
            422,
            "key must be a string",
        ),
    ];
    for (request, status, words) in cases {
        let (got, body) = exchange(&s, &request);
        let shown = String::from_utf8_lossy(&request[..request.len().min(60)]).into_owned();
        assert_eq!(got, status, "{shown:?} → {body}");
        assert!(detail(&body).contains(words), "{shown:?} → {body}");
    }
}

#[test]
fn a_half_sent_head_is_cut_off_and_connections_are_limited() {
    let dir = temp_dir("front");
    let db = database(&dir);
    let mut cfg = config(&dir, &db);
    cfg.limits.header_read = Duration::from_secs(1);
    cfg.limits.connections = 2;
    let s = start(cfg);
    let t = Instant::now();
    let (status, body) = exchange(&s, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Half: ");
    assert_eq!(status, 408, "{body}");
    assert!(
        detail(&body).contains("did not arrive within 1 s"),
        "{body}"
    );
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    // Two idle connections fill the door (once the one above has given its slot back); a
    // third is refused at once, and once they are cut off, a request gets through again.
    std::thread::sleep(Duration::from_millis(300));
    let idle: Vec<TcpStream> = (0..2).map(|_| connect(&s)).collect();
    std::thread::sleep(Duration::from_millis(200));
    let (status, body) = exchange(&s, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(status, 503, "{body}");
    assert!(detail(&body).contains("too many connections"), "{body}");
    // Each is cut off after 1 s, and read for a moment more before it is closed.
    std::thread::sleep(Duration::from_millis(3000));
    let (status, body) = exchange(&s, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(status, 200, "{body}");
    drop(idle);
}
