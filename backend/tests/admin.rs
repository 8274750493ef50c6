//! The process-level behaviour: `add-user` prints a token and stores only its hash, a backend
//! killed mid-job and restarted loses no job and no credit, and Hugging Face tokens are
//! verified with whoami-v2 (a fake server on loopback stands in for huggingface.co).

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_collm-backend");

fn spawn_serve(db: &str, outputs: &std::path::Path, extra: &[&str]) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0", "--db", db, "--outputs"])
        .arg(outputs)
        .args(extra)
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn backend");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("first line");
    let base = line.trim().rsplit(' ').next().expect("address").to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{line}");
    (child, base)
}

fn as_server(base: &str, db: &str, dir: &std::path::Path) -> Server {
    Server {
        base: base.to_owned(),
        db: db.to_owned(),
        dir: dir.to_owned(),
        _rt: tokio::runtime::Runtime::new().expect("rt"),
    }
}

#[test]
fn add_user_prints_the_token_last_and_stores_a_hash() {
    let dir = temp_dir("adduser");
    let db = database(&dir);
    let out = Command::new(BIN)
        .args(["add-user", "dana", "--db", &db])
        .output()
        .expect("add-user");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf8");
    let token = text.lines().last().expect("a last line").to_owned();
    assert!(
        token.starts_with("collm_") && !token.contains(' '),
        "{text}"
    );
    let (mut child, base) = spawn_serve(&db, &dir.join("outputs"), &[]);
    let s = as_server(&base, &db, &dir);
    let (st, me) = get(&s, Some(&token), "/v1/me");
    child.kill().ok();
    child.wait().ok();
    assert_eq!((st, me["hf_username"].as_str()), (200, Some("dana")));
    if let Some(path) = db.strip_prefix("sqlite:") {
        let mut bytes = std::fs::read(path).expect("db file");
        bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
        assert!(
            !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
            "the token itself is not stored"
        );
    }
    let again = Command::new(BIN)
        .args(["add-user", "dana", "--db", &db])
        .output()
        .expect("again");
    let new = String::from_utf8(again.stdout)
        .expect("utf8")
        .lines()
        .last()
        .expect("token")
        .to_owned();
    assert_ne!(new, token, "a new token replaces the old one");
    let check = Command::new(BIN)
        .args(["check", "--db", &db])
        .output()
        .expect("check");
    assert!(check.status.success());
}

#[test]
fn a_killed_backend_resumes_its_jobs_and_keeps_every_credit() {
    let dir = temp_dir("restart");
    let db = database(&dir);
    let outputs = dir.join("outputs");
    let (mut child, base) = spawn_serve(&db, &outputs, &["--throttle", "400"]);
    let s = as_server(&base, &db, &dir);
    let a = add_user(&s, "alice");
    let (st, r) = post(&s, Some(&a), "/v1/simulate", sim("zmumu", 800, 0, 11));
    assert_eq!(st, 200, "{r}");
    let id = r["request_id"].as_str().expect("id").to_owned();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let (_, mid) = get(&s, Some(&a), &format!("/v1/requests/{id}"));
    assert_eq!(mid["state"], "running", "killed while running");
    child.kill().expect("kill");
    child.wait().ok();
    let (mut child, base) = spawn_serve(&db, &outputs, &[]);
    let s = as_server(&base, &db, &dir);
    let done = wait(&s, &a, &id);
    assert_eq!(done["state"], "completed", "{done}");
    assert!(
        (credits(&s, &a) - (10.0 - 6.667)).abs() < 1e-9,
        "charged once, nothing refunded or lost"
    );
    let (_, tx) = get(&s, Some(&a), "/v1/me/transactions");
    let reasons: Vec<&str> = tx
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|t| t["reason"].as_str())
        .collect();
    assert_eq!(reasons, ["spent_on_request", "signup"]);
    let (_, files) = get(&s, Some(&a), &format!("/v1/requests/{id}/files"));
    assert_eq!(files.as_array().map(Vec::len), Some(2));
    child.kill().ok();
    child.wait().ok();
    let check = Command::new(BIN)
        .args(["check", "--db", &db])
        .output()
        .expect("check");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

/// A stand-in for huggingface.co's whoami-v2: `hf_good` is alice, anything else is 401.
fn fake_whoami() -> (String, tokio::runtime::Runtime) {
    let (base, rt, _) = counting_whoami();
    (base, rt)
}

/// [`fake_whoami`], also counting the calls it answered.
fn counting_whoami() -> (
    String,
    tokio::runtime::Runtime,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
) {
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::get as route;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let calls = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let rt = tokio::runtime::Runtime::new().expect("rt");
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = axum::Router::new().route(
        "/api/whoami-v2",
        route(move |h: HeaderMap| async move {
            counter.fetch_add(1, Ordering::SeqCst);
            match h.get("authorization").and_then(|v| v.to_str().ok()) {
                Some("Bearer hf_good") => (
                    StatusCode::OK,
                    axum::Json(serde_json::json!({"name": "alice", "type": "user"})),
                ),
                _ => (
                    StatusCode::UNAUTHORIZED,
                    axum::Json(serde_json::json!({"error": "Invalid credentials"})),
                ),
            }
        }),
    );
    rt.spawn(async move { axum::serve(listener, app).await.expect("fake whoami") });
    (format!("http://{addr}"), rt, calls)
}

#[test]
fn a_rejected_token_is_remembered_so_the_backend_cannot_flood_hugging_face() {
    use std::sync::atomic::Ordering;
    let (hf, _rt, calls) = counting_whoami();
    let dir = temp_dir("hf-negative");
    let db = database(&dir);
    let mut cfg = config(&dir, &db);
    cfg.verifier = collm_backend::auth::Verifier::HuggingFace { base: hf };
    let s = start(cfg);
    for _ in 0..20 {
        assert_eq!(get(&s, Some("hf_forged"), "/v1/me").0, 401);
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "one whoami call for one bad token"
    );
    for i in 0..5 {
        assert_eq!(get(&s, Some(&format!("hf_other_{i}")), "/v1/me").0, 401);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 6);
    assert_eq!(
        get(&s, Some("hf_good"), "/v1/me").0,
        200,
        "good tokens still pass"
    );
}

#[test]
fn hugging_face_tokens_are_verified_with_whoami() {
    let (hf, _rt) = fake_whoami();
    let dir = temp_dir("hf");
    let db = database(&dir);
    let mut cfg = config(&dir, &db);
    cfg.verifier = collm_backend::auth::Verifier::HuggingFace { base: hf };
    let s = start(cfg);
    let (st, me) = get(&s, Some("hf_good"), "/v1/me");
    assert_eq!(
        (st, me["hf_username"].as_str(), me["credits"].as_f64()),
        (200, Some("alice"), Some(10.0))
    );
    assert_eq!(
        get(&s, Some("hf_good"), "/v1/me").1["credits"].as_f64(),
        Some(10.0),
        "the grant is once"
    );
    assert_eq!(get(&s, Some("hf_bad"), "/v1/me").0, 401);
}

#[test]
fn admin_commands_on_a_mistyped_database_fail_and_create_nothing() {
    let dir = temp_dir("typo");
    let typo = dir.join("ledgr.db");
    let url = format!("sqlite:{}", typo.display());
    for args in [
        vec!["check", "--db", &url],
        vec!["freeze", "on", "--db", &url],
        vec!["grant", "alice", "5", "--db", &url],
    ] {
        let out = Command::new(BIN).args(&args).output().expect("run");
        assert!(!out.status.success(), "{args:?} must fail");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("no database there"), "{args:?}: {err}");
        assert!(!typo.exists(), "{args:?} created a database");
    }
}

#[test]
fn grants_must_be_finite_and_bounded_and_leave_the_ledger_consistent() {
    let dir = temp_dir("grant-bounds");
    let db = database(&dir);
    let run = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .args(["--db", &db])
            .output()
            .expect("backend command")
    };
    assert!(run(&["add-user", "erin"]).status.success());
    for bad in ["inf", "-inf", "NaN", "1e300", "2e9"] {
        let out = run(&["grant", "erin", bad]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "grant {bad} was accepted");
        assert!(err.contains("finite number"), "grant {bad}: {err}");
    }
    assert!(run(&["grant", "erin", "999999990"]).status.success());
    let over = run(&["grant", "erin", "100"]);
    let err = String::from_utf8_lossy(&over.stderr);
    assert!(!over.status.success(), "a balance above the ceiling");
    assert!(err.contains("above"), "{err}");
    let check = run(&["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}
