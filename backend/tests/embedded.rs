//! The embedded default: the first connect starts one backend for the home, later and
//! concurrent connects reuse it, the local user's token is kept 0600, and `stop` ends it.

mod common;

use collm_client::embedded::{self, Home, Launcher};
use std::os::unix::fs::PermissionsExt;

fn launcher() -> Launcher {
    Launcher {
        program: env!("CARGO_BIN_EXE_collm-backend").into(),
        prefix: vec![],
    }
}

#[test]
fn one_backend_per_home_started_once_and_reused() {
    let home = Home::at(common::temp_dir("embedded"));
    let mut notes = Vec::new();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let home = home.clone();
            std::thread::spawn(move || {
                let mut told = Vec::new();
                let c = embedded::connect(&home, &launcher(), &mut |m| told.push(m.to_owned()))
                    .expect("connect");
                (c.base().to_owned(), told)
            })
        })
        .collect();
    let mut bases = Vec::new();
    for t in threads {
        let (base, told) = t.join().expect("thread");
        bases.push(base);
        notes.extend(told);
    }
    bases.dedup();
    assert_eq!(bases.len(), 1, "all connects share one backend: {bases:?}");
    assert_eq!(
        notes.len(),
        1,
        "only the first connect starts it: {notes:?}"
    );
    let state = home.server().expect("server.json");
    assert_eq!(state.url, bases[0]);

    let mode = std::fs::metadata(home.token_file())
        .expect("token file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the local token is private");

    let client =
        embedded::connect(&home, &launcher(), &mut |m| panic!("restarted: {m}")).expect("reuse");
    let me = client.me().expect("me");
    assert_eq!(me.credits, 1010.0, "sign-up grant plus the local allowance");

    assert!(embedded::stop(&home).expect("stop"));
    assert!(home.server().is_none(), "server.json goes with the server");
    assert!(!embedded::stop(&home).expect("second stop"));

    // A new start keeps the user, the token and the balance.
    let client = embedded::connect(&home, &launcher(), &mut |_| {}).expect("restart");
    assert_eq!(client.me().expect("me").credits, 1010.0);
    embedded::stop(&home).expect("stop again");
}

/// A program that took the backend's port: it answers every request with `{"status": "ok"}`
/// (enough to look healthy) and keeps all it was sent.
fn impostor(port: u16) -> std::sync::Arc<std::sync::Mutex<Vec<u8>>> {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("take the port");
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut c) = conn else { continue };
            let _ = c.set_read_timeout(Some(std::time::Duration::from_millis(300)));
            let mut buf = [0u8; 65536];
            let n = c.read(&mut buf).unwrap_or(0);
            log.lock().expect("log").extend_from_slice(&buf[..n]);
            let body = r#"{"status":"ok","pid":1,"proof":"00"}"#;
            let _ = write!(
                c,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    seen
}

#[test]
fn an_impostor_on_a_crashed_backends_port_never_receives_the_token() {
    let home = Home::at(common::temp_dir("impostor"));
    let client = embedded::connect(&home, &launcher(), &mut |_| {}).expect("connect");
    client.me().expect("the real backend answers");
    let token = std::fs::read_to_string(home.token_file()).expect("token");
    let state = home.server().expect("server.json");
    let port: u16 = state
        .url
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port");
    // The backend crashes (server.json stays behind) and another program takes its port.
    // SAFETY: signalling the backend this test started.
    assert_eq!(unsafe { libc::kill(state.pid as i32, libc::SIGKILL) }, 0);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let seen = impostor(port);
    // The session's client, still pointing at the port: refused before the token is sent.
    let err = client
        .me()
        .expect_err("an impostor cannot answer the challenge");
    assert!(
        matches!(err, collm_client::ClientError::NotTheBackend(_)),
        "{err}"
    );
    // A new connect sees the impostor, leaves it alone and starts a real backend elsewhere.
    let mut told = Vec::new();
    let fresh = embedded::connect(&home, &launcher(), &mut |m| told.push(m.to_owned()))
        .expect("a new backend");
    assert!(told.iter().any(|m| m.contains("did not prove")), "{told:?}");
    assert_ne!(fresh.base(), state.url);
    fresh.me().expect("the new backend answers");
    // `stop` signals the new backend, never the impostor's process or a reused pid.
    assert!(embedded::stop(&home).expect("stop"));
    let received = String::from_utf8_lossy(&seen.lock().expect("log")).into_owned();
    assert!(received.contains("/v1/local/proof"), "{received}");
    assert!(
        !received.contains(token.trim()),
        "the token reached the impostor"
    );
    assert!(
        !received.to_ascii_lowercase().contains("authorization"),
        "{received}"
    );
}

#[test]
fn stop_never_signals_a_process_that_is_not_the_backend() {
    let home = Home::at(common::temp_dir("stop-foreign"));
    home.create().expect("home");
    let mut other = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .expect("sleep");
    home.write_server(&embedded::ServerState {
        url: "http://127.0.0.1:9".into(),
        pid: other.id(),
    })
    .expect("server.json");
    assert!(
        !embedded::stop(&home).expect("stop"),
        "nothing of ours was running"
    );
    assert!(home.server().is_none(), "the stale server.json is removed");
    assert!(
        other.try_wait().expect("probe").is_none(),
        "the other process lives"
    );
    other.kill().expect("kill");
    let _ = other.wait();
}
