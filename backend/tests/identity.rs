//! Who a token is: Hugging Face tokens verified with a stand-in for `whoami-v2` (rejections
//! remembered, verifications limited per client), and one account per name whichever way it
//! signs in.

mod common;

use common::*;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_collm-backend");

/// A stand-in for huggingface.co's whoami-v2: `hf_good` is alice, `hf_bob` is bob, anything
/// else is 401.
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
                Some("Bearer hf_bob") => (
                    StatusCode::OK,
                    axum::Json(serde_json::json!({"name": "bob", "type": "user"})),
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
fn a_hugging_face_user_never_gets_the_local_account_of_the_same_name() {
    let (hf, _rt) = fake_whoami();
    let dir = temp_dir("hf-names");
    let db = database(&dir);
    let mut cfg = config(&dir, &db);
    cfg.verifier = collm_backend::auth::Verifier::HuggingFace { base: hf };
    let s = start(cfg);
    // A local alice with credits of her own; the Hugging Face user "alice" is someone else.
    let local = add_user(&s, "alice");
    let (st, e) = get(&s, Some("hf_good"), "/v1/me");
    assert_eq!(st, 403, "{e}");
    let detail = e["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("signs in with a local token"), "{e}");
    assert_eq!(
        post(&s, Some("hf_good"), "/v1/simulate", sim("zee", 10, 0, 1)).0,
        403
    );
    assert_eq!(credits(&s, &local), 10.0, "the local account is untouched");
    // The other way round: `add-user` will not issue a local token for a Hugging Face name.
    let (st, me) = get(&s, Some("hf_bob"), "/v1/me");
    assert_eq!((st, me["hf_username"].as_str()), (200, Some("bob")), "{me}");
    let out = Command::new(BIN)
        .args(["add-user", "bob", "--db", &s.db])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("signs in with Hugging Face"), "{err}");
}

#[test]
fn one_client_cannot_have_more_than_thirty_new_tokens_verified_a_minute() {
    use std::sync::atomic::Ordering;
    let (hf, _rt, calls) = counting_whoami();
    let dir = temp_dir("hf-per-client");
    let db = database(&dir);
    let mut cfg = config(&dir, &db);
    cfg.verifier = collm_backend::auth::Verifier::HuggingFace { base: hf };
    let s = start(cfg);
    let limit = collm_backend::auth::VERIFICATIONS_PER_MINUTE as usize;
    let codes: Vec<u16> = (0..limit + 10)
        .map(|i| get(&s, Some(&format!("hf_random_{i}")), "/v1/me").0)
        .collect();
    assert_eq!(codes[..limit], vec![401; limit][..], "{codes:?}");
    let (st, e) = get(&s, Some("hf_random_last"), "/v1/me");
    assert_eq!(st, 429, "{e}");
    assert!(
        e["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("new tokens to verify"),
        "{e}"
    );
    assert_eq!(
        calls.load(Ordering::SeqCst),
        limit,
        "Hugging Face was asked {limit} times, no more"
    );
    // Tokens the backend already knows are not verification calls, and still work.
    let local = add_user(&s, "carol");
    assert_eq!(get(&s, Some(&local), "/v1/me").0, 200);
}
