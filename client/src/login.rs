//! `%login`: the OAuth 2 authorization-code flow with PKCE and a loopback redirect (RFC 8252),
//! the way a desktop application signs in to Hugging Face.
//!
//! [`begin`] binds a port on 127.0.0.1 and builds the authorization URL; the user opens it;
//! the authorization server sends the browser back to `http://127.0.0.1:PORT/callback` with a
//! code; [`Pending::finish`] checks the `state`, exchanges the code (with the PKCE verifier)
//! for an access token, and returns it. The caller stores it like huggingface_hub does.

use crate::token::Token;
use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, CsrfToken, EndpointNotSet, EndpointSet,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse, TokenUrl,
};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

/// The public Hugging Face authorization server.
pub const HUGGING_FACE: &str = "https://huggingface.co";

type Configured =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// Where and as whom to sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthConfig {
    /// The authorization server's base URL; `/oauth/authorize` and `/oauth/token` are under
    /// it, as on huggingface.co.
    pub server: String,
    /// The OAuth application's client id (public client: PKCE, no secret).
    pub client_id: String,
    /// Scopes to ask for.
    pub scopes: Vec<String>,
}

/// Why signing in failed.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// The configuration is unusable (a bad URL).
    #[error("{0}")]
    Config(String),
    /// The loopback listener failed.
    #[error("the loopback redirect listener failed: {0}")]
    Listener(#[from] std::io::Error),
    /// The authorization server sent the browser back with an error.
    #[error("the authorization server refused: {0}")]
    Denied(String),
    /// The code could not be exchanged for a token.
    #[error("exchanging the code for a token failed: {0}")]
    Exchange(String),
    /// Nobody came back in time.
    #[error(
        "no redirect arrived within {0} s; run %login again (or paste a token with %login --token)"
    )]
    TimedOut(u64),
    /// The user interrupted.
    #[error("sign-in interrupted")]
    Cancelled,
}

/// A sign-in waiting for the browser to come back.
pub struct Pending {
    listener: TcpListener,
    client: Configured,
    url: String,
    csrf: CsrfToken,
    verifier: PkceCodeVerifier,
}

/// Starts a sign-in: binds the loopback redirect and builds the URL to open.
pub fn begin(config: &OAuthConfig) -> Result<Pending, LoginError> {
    let base = config.server.trim_end_matches('/');
    let bad = |what: &str, e: oauth2::url::ParseError| {
        LoginError::Config(format!("{what} of {base}: {e}"))
    };
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let client = BasicClient::new(ClientId::new(config.client_id.clone()))
        .set_auth_uri(
            AuthUrl::new(format!("{base}/oauth/authorize"))
                .map_err(|e| bad("authorization URL", e))?,
        )
        .set_token_uri(
            TokenUrl::new(format!("{base}/oauth/token")).map_err(|e| bad("token URL", e))?,
        )
        .set_redirect_uri(
            RedirectUrl::new(format!("http://127.0.0.1:{port}/callback"))
                .map_err(|e| bad("redirect URL", e))?,
        );
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf) = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(config.scopes.iter().cloned().map(Scope::new))
        .set_pkce_challenge(challenge)
        .url();
    listener.set_nonblocking(true)?;
    Ok(Pending {
        listener,
        client,
        url: url.to_string(),
        csrf,
        verifier,
    })
}

/// The query of a callback request line (`GET /callback?… HTTP/1.1`), or `None` for any other
/// path (a browser also asks for `/favicon.ico`).
fn callback_query(request_line: &str) -> Option<Vec<(String, String)>> {
    let target = request_line.split_whitespace().nth(1)?;
    let url = oauth2::url::Url::parse(&format!("http://127.0.0.1{target}")).ok()?;
    (url.path() == "/callback").then(|| url.query_pairs().into_owned().collect())
}

/// The request line of one connection, with the rest of its header read (so that closing
/// the connection after the reply does not reset it before the browser reads the page).
/// `None` for a connection that stays idle, sends no line, or sends bytes that are not text.
fn request_line(stream: &TcpStream) -> Option<String> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let mut reader = BufReader::new(stream).take(16 * 1024);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 0) && header.trim() != "" {
        header.clear();
    }
    Some(line)
}

fn respond(mut stream: &TcpStream, status: &str, body: &str) {
    let page = format!(
        "<!doctype html><meta charset=utf-8><title>collm</title><p style=\"font-family:sans-serif\">{body}</p>"
    );
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
        page.len()
    );
}

/// What one connection to the redirect listener brought.
enum Callback {
    /// The authorization code of this sign-in.
    Code(String),
    /// This sign-in was refused (with the server's words).
    Denied(String),
    /// Anything else: another path, a stale or forged redirect, an idle or garbled
    /// connection. None of these may end the sign-in, or any local process could abort it.
    Ignored,
}

impl Pending {
    /// Reads one connection's request line. The `state` is checked before anything else the
    /// redirect says, so only the server this sign-in went to can end it.
    fn read_callback(&self, stream: &TcpStream) -> Callback {
        let Some(line) = request_line(stream) else {
            return Callback::Ignored;
        };
        let Some(query) = callback_query(&line) else {
            respond(stream, "404 Not Found", "Not the sign-in callback.");
            return Callback::Ignored;
        };
        let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        if get("state").as_deref() != Some(self.csrf.secret().as_str()) {
            let page = "This redirect is not for the current sign-in.";
            respond(stream, "400 Bad Request", page);
            return Callback::Ignored;
        }
        if let Some(err) = get("error") {
            respond(stream, "200 OK", "Sign-in refused; see the notebook.");
            return Callback::Denied(match get("error_description") {
                Some(d) => format!("{err}: {d}"),
                None => err,
            });
        }
        match get("code") {
            Some(code) => {
                let page = "Signed in to collm. You can close this tab and return to the notebook.";
                respond(stream, "200 OK", page);
                Callback::Code(code)
            }
            None => {
                respond(stream, "400 Bad Request", "The redirect carries no code.");
                Callback::Denied("the redirect carried no code".into())
            }
        }
    }

    /// The URL the user opens in a browser.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Waits for the redirect (checking `cancelled` every 50 ms, for an interrupt), then
    /// exchanges the code for the access token.
    pub fn finish(
        self,
        timeout: Duration,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Token, LoginError> {
        let began = Instant::now();
        let code = loop {
            if cancelled() {
                return Err(LoginError::Cancelled);
            }
            if began.elapsed() > timeout {
                return Err(LoginError::TimedOut(timeout.as_secs()));
            }
            let stream = match self.listener.accept() {
                Ok((s, _)) => s,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            match self.read_callback(&stream) {
                Callback::Code(code) => break code,
                Callback::Denied(why) => return Err(LoginError::Denied(why)),
                Callback::Ignored => continue,
            }
        };
        let http = reqwest::blocking::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| LoginError::Exchange(e.to_string()))?;
        let reply = self
            .client
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(self.verifier)
            .request(&http)
            .map_err(|e| LoginError::Exchange(exchange_error(&e)))?;
        Token::new(reply.access_token().secret())
            .ok_or_else(|| LoginError::Exchange("the server returned an empty token".into()))
    }
}

/// The server's own words for a failed exchange, when it sent any.
fn exchange_error<RE: std::error::Error + 'static>(
    e: &oauth2::RequestTokenError<RE, oauth2::basic::BasicErrorResponse>,
) -> String {
    match e {
        oauth2::RequestTokenError::ServerResponse(r) => match r.error_description() {
            Some(d) => format!("{}: {d}", r.error()),
            None => r.error().to_string(),
        },
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_callback_path_is_read() {
        let q = callback_query("GET /callback?code=abc&state=x%20y HTTP/1.1\r\n").expect("query");
        assert_eq!(
            q,
            vec![
                ("code".to_owned(), "abc".to_owned()),
                ("state".to_owned(), "x y".to_owned())
            ]
        );
        assert!(callback_query("GET /favicon.ico HTTP/1.1").is_none());
        assert!(callback_query("garbage").is_none());
    }

    #[test]
    fn the_url_asks_for_a_code_with_an_s256_challenge() {
        let p = begin(&OAuthConfig {
            server: "http://127.0.0.1:9/".into(),
            client_id: "app".into(),
            scopes: vec!["openid".into(), "profile".into()],
        })
        .expect("begin");
        let url = oauth2::url::Url::parse(p.url()).expect("url");
        assert_eq!(url.path(), "/oauth/authorize");
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["client_id"], "app");
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(q["scope"], "openid profile");
        assert!(q["redirect_uri"].starts_with("http://127.0.0.1:"));
        assert_eq!(q["state"], p.csrf.secret().as_str());
    }
}
