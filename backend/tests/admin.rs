//! The process-level behaviour: `add-user` prints a token and stores only its hash, a backend
//! killed mid-job and restarted loses no job and no credit, and Hugging Face tokens are
//! verified with whoami-v2 (a fake server on loopback stands in for huggingface.co).

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_collm-backend");

fn spawn_serve(db: &str, outputs: &std::path::Path, extra: &[&str]) -> (Child, String) {
    let log = outputs.parent().expect("dir").join("backend.log");
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0", "--db", db, "--outputs"])
        .arg(outputs)
        .arg("--log")
        .arg(log)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
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

#[test]
fn the_backend_logs_each_request_and_each_failure_and_never_a_token() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("log");
    let db = database(&dir);
    let (mut child, base) = spawn_serve(&db, &dir.join("outputs"), &[]);
    let s = as_server(&base, &db, &dir);
    let a = add_user(&s, "alice");
    let forged = format!("collm_{}", "0f".repeat(32));
    assert_eq!(get(&s, Some(&a), "/v1/me").0, 200);
    assert_eq!(get(&s, Some(&forged), "/v1/me").0, 401);
    assert_eq!(
        get(&s, Some("hf_abcdefghijklmnopqrstuvwx"), "/v1/requests").0,
        401
    );
    // A failure the user is told to look up in the log: the ledger table is gone.
    with_db(&s, |db| {
        Box::pin(async move {
            sqlx::query("DROP TABLE ledger")
                .execute(&db.pool)
                .await
                .expect("drop");
        })
    });
    let (st, e) = get(&s, Some(&a), "/v1/me/transactions");
    assert_eq!(st, 500, "{e}");
    assert!(
        e["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("backend's log"),
        "{e}"
    );
    child.kill().ok();
    child.wait().ok();
    let path = dir.join("backend.log");
    let log = std::fs::read_to_string(&path).expect("log");
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "the log is private");
    assert!(log.contains("listening on"), "{log}");
    assert!(log.contains("GET /v1/me 200"), "{log}");
    assert!(log.contains("GET /v1/me 401"), "{log}");
    assert!(log.contains("GET /v1/me/transactions 500"), "{log}");
    assert!(
        log.contains("ERROR") && log.contains("ledger"),
        "the cause is logged: {log}"
    );
    for secret in [a.as_str(), forged.as_str(), "hf_abcdefghijklmnopqrstuvwx"] {
        assert!(!log.contains(secret), "a token in the log: {log}");
    }
}
