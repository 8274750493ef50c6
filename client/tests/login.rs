//! `%login`'s OAuth flow end to end against a fake authorization server on loopback: the
//! "browser" follows the authorization URL, the server redirects to the loopback callback,
//! and the code is exchanged only with the PKCE verifier that matches the challenge.

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::Engine;
use collm_client::login::{self, LoginError, OAuthConfig};
use sha2::Digest;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The challenge of each issued code, and whether a code was redeemed.
#[derive(Default)]
struct Fake {
    codes: Mutex<HashMap<String, String>>,
    deny: bool,
}

async fn authorize(
    State(f): State<Arc<Fake>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let redirect = &q["redirect_uri"];
    if f.deny {
        let to = format!(
            "{redirect}?error=access_denied&error_description=user+said+no&state={}",
            q["state"]
        );
        return (StatusCode::FOUND, [(header::LOCATION, to)]).into_response();
    }
    assert_eq!(q["code_challenge_method"], "S256");
    let code = format!("code-{}", f.codes.lock().unwrap().len());
    f.codes
        .lock()
        .unwrap()
        .insert(code.clone(), q["code_challenge"].clone());
    let to = format!("{redirect}?code={code}&state={}", q["state"]);
    (StatusCode::FOUND, [(header::LOCATION, to)]).into_response()
}

async fn token(State(f): State<Arc<Fake>>, body: axum::body::Bytes) -> Response {
    let form: HashMap<String, String> = oauth2::url::form_urlencoded::parse(&body)
        .into_owned()
        .collect();
    let challenge = f.codes.lock().unwrap().remove(&form["code"]);
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    let expected = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    if form["grant_type"] != "authorization_code" || challenge.as_deref() != Some(&expected) {
        return (
            StatusCode::BAD_REQUEST,
            axum::Json(serde_json::json!({"error": "invalid_grant", "error_description": "PKCE verification failed"})),
        )
            .into_response();
    }
    axum::Json(serde_json::json!({
        "access_token": "hf_oauth_fake_token",
        "token_type": "bearer",
        "expires_in": 3600,
    }))
    .into_response()
}

fn fake_server(deny: bool) -> (String, tokio::runtime::Runtime) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let app = Router::new()
        .route("/oauth/authorize", get(authorize))
        .route("/oauth/token", post(token))
        .with_state(Arc::new(Fake {
            deny,
            ..Fake::default()
        }));
    rt.spawn(async move { axum::serve(listener, app).await.expect("fake oauth") });
    (base, rt)
}

fn config(server: &str) -> OAuthConfig {
    OAuthConfig {
        server: server.to_owned(),
        client_id: "collm-test".into(),
        scopes: vec!["openid".into()],
    }
}

/// Opens `url` the way a browser would, following the redirect to the callback.
fn browse(url: String) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        reqwest::blocking::get(url)
            .and_then(|r| r.text())
            .expect("browser")
    })
}

#[test]
fn code_flow_with_pkce_yields_the_token() {
    let (server, _rt) = fake_server(false);
    let pending = login::begin(&config(&server)).expect("begin");
    let page = browse(pending.url().to_owned());
    let token = pending
        .finish(Duration::from_secs(20), &|| false)
        .expect("signed in");
    assert_eq!(token.secret(), "hf_oauth_fake_token");
    assert!(page
        .join()
        .expect("page")
        .contains("You can close this tab"));
}

/// The loopback address the sign-in waits on.
fn redirect_of(pending: &login::Pending) -> String {
    let url = oauth2::url::Url::parse(pending.url()).expect("url");
    url.query_pairs()
        .find(|(k, _)| k == "redirect_uri")
        .map(|(_, v)| v.into_owned())
        .expect("redirect_uri")
}

#[test]
fn a_refusal_is_reported_and_a_forged_state_is_turned_away() {
    let (server, _rt) = fake_server(true);
    let pending = login::begin(&config(&server)).expect("begin");
    let page = browse(pending.url().to_owned());
    let e = pending
        .finish(Duration::from_secs(20), &|| false)
        .expect_err("denied");
    assert!(
        matches!(&e, LoginError::Denied(d) if d.contains("access_denied") && d.contains("user said no")),
        "{e}"
    );
    page.join().expect("page");

    let (server, _rt2) = fake_server(false);
    let pending = login::begin(&config(&server)).expect("begin");
    let redirect = redirect_of(&pending);
    let url = pending.url().to_owned();
    let waiting = std::thread::spawn(move || pending.finish(Duration::from_secs(20), &|| false));
    let forged = browse(format!("{redirect}?code=x&state=not-ours"));
    let page = forged.join().expect("page");
    assert!(page.contains("not for the current sign-in"), "{page}");
    let real = browse(url);
    let token = waiting
        .join()
        .expect("finish")
        .expect("a forged redirect does not end the sign-in");
    assert_eq!(token.secret(), "hf_oauth_fake_token");
    real.join().expect("page");
}

#[test]
fn idle_garbled_and_forged_connections_cannot_abort_a_sign_in() {
    use std::io::Write;
    let (server, _rt) = fake_server(false);
    let pending = login::begin(&config(&server)).expect("begin");
    let redirect = redirect_of(&pending);
    let addr = redirect
        .trim_start_matches("http://")
        .split('/')
        .next()
        .expect("host:port")
        .to_owned();
    let _idle = std::net::TcpStream::connect(&addr).expect("idle connection");
    let mut garbled = std::net::TcpStream::connect(&addr).expect("garbled connection");
    garbled
        .write_all(b"\xff\xfe\x00GET /\xc3(\r\n")
        .expect("garbage");
    let url = pending.url().to_owned();
    let waiting = std::thread::spawn(move || pending.finish(Duration::from_secs(30), &|| false));
    let refusal = browse(format!("{redirect}?error=access_denied&state=forged"));
    let page = refusal.join().expect("page");
    assert!(page.contains("not for the current sign-in"), "{page}");
    let real = browse(url);
    let token = waiting
        .join()
        .expect("finish")
        .expect("signed in despite the noise");
    assert_eq!(token.secret(), "hf_oauth_fake_token");
    real.join().expect("page");
}

#[test]
fn waiting_stops_on_interrupt_and_on_timeout() {
    let pending = login::begin(&config("http://127.0.0.1:9")).expect("begin");
    let e = pending
        .finish(Duration::from_secs(20), &|| true)
        .expect_err("cancelled");
    assert!(matches!(e, LoginError::Cancelled));
    let pending = login::begin(&config("http://127.0.0.1:9")).expect("begin");
    let e = pending
        .finish(Duration::from_millis(100), &|| false)
        .expect_err("timeout");
    assert!(matches!(e, LoginError::TimedOut(_)));
}
