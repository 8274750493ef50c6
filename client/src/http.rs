//! The HTTP side: one blocking client, long timeouts, and every documented status mapped to a
//! message that says what happened and what to do.

use crate::contract::{
    estimate, Estimate, FileInfo, RequestInfo, SimulateBody, SimulateReply, Transaction, User,
};
use crate::proof;
use crate::token::{self, Token};
use reqwest::blocking::{RequestBuilder, Response};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::time::Duration;

/// Shown while the public service, which sleeps when idle, starts up.
pub const WAKING_UP: &str =
    "The ColliderML service is waking up (it sleeps when idle); the first answer can take 30–90 s…";

/// What went wrong, one variant per documented status, each with the server's `detail`.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// No token in `HF_TOKEN`, `HUGGING_FACE_HUB_TOKEN` or the token file.
    #[error("no Hugging Face token: set HF_TOKEN, or log in with %login (the token is stored where huggingface_hub keeps it, {0})")]
    NoToken(String),
    /// 401.
    #[error(
        "the service did not accept the token (401: {0}); log in again with %login or set HF_TOKEN"
    )]
    Unauthorized(String),
    /// 402, with the service's own sentence about the shortfall.
    #[error("not enough credits (402): {0}")]
    InsufficientCredits(String),
    /// 403.
    #[error("forbidden (403): {0}")]
    Forbidden(String),
    /// 404.
    #[error("not found (404): {0}")]
    NotFound(String),
    /// 409: the same request is still running.
    #[error("the same request is already running as {existing_request_id} (409){}; follow it with %simulate status {existing_request_id}", .output_hf_repo.as_deref().map(|r| format!(", outputs at {r}")).unwrap_or_default())]
    Conflict {
        /// The request already running.
        existing_request_id: String,
        /// Where its outputs will be.
        output_hf_repo: Option<String>,
    },
    /// 409 for anything but a duplicate: the request is not in a state that allows this
    /// (cancelling a finished request, fetching an unfinished one).
    #[error("not possible now (409): {0}")]
    WrongState(String),
    /// 422: the body failed validation; the fields at fault.
    #[error("the service rejected the request (422): {0}")]
    Invalid(String),
    /// 429.
    #[error("too many requests (429): {0}; wait a few minutes")]
    RateLimited(String),
    /// 503: submissions frozen or the monthly cap reached.
    #[error("the service cannot take jobs now (503): {0}")]
    Unavailable(String),
    /// A request id that is not an id (from a server or typed); it never reaches a URL or
    /// a path.
    #[error("`{0}` is not a request id (1 to 64 letters, digits, `_` or `-`)")]
    BadRequestId(String),
    /// Any other status.
    #[error("HTTP {status}: {detail}")]
    Status {
        /// The status code.
        status: u16,
        /// The `detail` of the body, or the body.
        detail: String,
    },
    /// The service could not be reached.
    #[error("cannot reach {base}: {reason}")]
    Unreachable {
        /// The base URL.
        base: String,
        /// The transport error.
        reason: String,
    },
    /// The server at the embedded backend's address did not prove it is that backend, so the
    /// local token was not sent to it.
    #[error("the server at {0} did not prove it is your local ColliderML backend (another program may have taken its port after it stopped); the local token was not sent to it")]
    NotTheBackend(String),
    /// The body was not what the contract says.
    #[error("unexpected answer from {route}: {reason}")]
    Decode {
        /// The route.
        route: String,
        /// What did not parse.
        reason: String,
    },
}

/// A client of one ColliderML backend.
pub struct Client {
    base: String,
    token: Option<Token>,
    http: reqwest::blocking::Client,
    /// For the embedded backend: the pid it must prove it has (see [`crate::proof`]) before
    /// each call that carries the token.
    guard: Option<u32>,
}

/// The `detail` of an error body as text: a string, a validation list (`loc` and `msg` of
/// each entry) or an object's own `detail`.
fn detail_text(body: &str) -> String {
    let Ok(v) = serde_json::from_str::<Value>(body) else {
        return body.trim().chars().take(300).collect();
    };
    match &v["detail"] {
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|i| {
                let loc: Vec<String> = i["loc"]
                    .as_array()
                    .map(|l| {
                        l.iter()
                            .map(|p| p.as_str().map_or(p.to_string(), str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                format!(
                    "{}: {}",
                    loc.join("."),
                    i["msg"].as_str().unwrap_or("invalid")
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(o) => o
            .get("detail")
            .and_then(Value::as_str)
            .map_or_else(|| v["detail"].to_string(), str::to_owned),
        Value::Null => body.trim().chars().take(300).collect(),
        other => other.to_string(),
    }
}

/// Maps a non-success response to its error.
fn error_for(status: StatusCode, body: &str) -> ClientError {
    let detail = detail_text(body);
    match status.as_u16() {
        401 => ClientError::Unauthorized(detail),
        402 => ClientError::InsufficientCredits(detail),
        403 => ClientError::Forbidden(detail),
        404 => ClientError::NotFound(detail),
        409 => {
            let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
            let d = &v["detail"];
            match d["existing_request_id"].as_str() {
                Some(id) => ClientError::Conflict {
                    existing_request_id: id.to_owned(),
                    output_hf_repo: d["output_hf_repo"].as_str().map(str::to_owned),
                },
                None => ClientError::WrongState(detail),
            }
        }
        422 => ClientError::Invalid(detail),
        429 => ClientError::RateLimited(detail),
        503 => ClientError::Unavailable(detail),
        s => ClientError::Status { status: s, detail },
    }
}

impl Client {
    /// A client of `base` (no trailing slash needed) with the user's token from the standard
    /// places, if any.
    pub fn new(base: &str) -> Client {
        Client::with_token(base, token::lookup().map(|(t, _)| t))
    }

    /// A client with an explicit token (or none, for the public routes).
    pub fn with_token(base: &str, token: Option<Token>) -> Client {
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .connect_timeout(Duration::from_secs(30))
            .user_agent(concat!("collm/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_else(|_| reqwest::blocking::Client::new());
        Client {
            base: base.trim_end_matches('/').to_owned(),
            token,
            http,
            guard: None,
        }
    }

    /// This client, sending its token only to a server that proves, on every call, that it
    /// is the embedded backend with process id `pid` holding the same token: a backend that
    /// exited and left its port to another program is never sent the token.
    pub fn guarded(mut self, pid: u32) -> Client {
        self.guard = Some(pid);
        self
    }

    /// Asks the server to prove it is the embedded backend this client is guarded for.
    pub fn prove(&self) -> Result<(), ClientError> {
        let (Some(pid), Some(token)) = (self.guard, self.token.as_ref()) else {
            return Ok(());
        };
        let refused = || ClientError::NotTheBackend(self.base.clone());
        let port = reqwest::Url::parse(&self.base)
            .ok()
            .and_then(|u| u.port_or_known_default())
            .ok_or_else(refused)?;
        let nonce = proof::nonce();
        let resp = self
            .http
            .get(self.url(&format!("{}?nonce={nonce}", proof::ROUTE)))
            .timeout(Duration::from_secs(5))
            .send()
            .map_err(|e| ClientError::Unreachable {
                base: self.base.clone(),
                reason: e.without_url().to_string(),
            })?;
        let answer: Value = resp
            .status()
            .is_success()
            .then(|| resp.json().ok())
            .flatten()
            .ok_or_else(refused)?;
        let text = answer["proof"].as_str().unwrap_or("");
        if proof::holds(token.secret(), &nonce, port, pid, text) {
            Ok(())
        } else {
            Err(refused())
        }
    }

    /// The base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn authed(&self, rb: RequestBuilder) -> Result<RequestBuilder, ClientError> {
        let t = self
            .token
            .as_ref()
            .ok_or_else(|| ClientError::NoToken(token::token_file().display().to_string()))?;
        self.prove()?;
        Ok(rb.bearer_auth(t.secret()))
    }

    fn send(&self, rb: RequestBuilder) -> Result<Response, ClientError> {
        let resp = rb.send().map_err(|e| ClientError::Unreachable {
            base: self.base.clone(),
            reason: e.without_url().to_string(),
        })?;
        if resp.status().is_success() {
            return Ok(resp);
        }
        let status = resp.status();
        let body = resp.text().unwrap_or_default();
        Err(error_for(status, &body))
    }

    fn json<T: DeserializeOwned>(&self, route: &str, rb: RequestBuilder) -> Result<T, ClientError> {
        let text = self.send(rb)?.text().map_err(|e| ClientError::Decode {
            route: route.into(),
            reason: e.without_url().to_string(),
        })?;
        serde_json::from_str(&text).map_err(|e| ClientError::Decode {
            route: route.into(),
            reason: format!("{e} in {}", text.chars().take(200).collect::<String>()),
        })
    }

    /// `GET /healthz`. If the first try does not answer within a few seconds, `notify` is
    /// told that the service is waking up and the probe waits up to 90 s.
    pub fn wake(&self, notify: &mut dyn FnMut(&str)) -> Result<(), ClientError> {
        let quick = self
            .http
            .get(self.url("/healthz"))
            .timeout(Duration::from_secs(5));
        if self.send(quick).is_ok() {
            return Ok(());
        }
        notify(WAKING_UP);
        let slow = self
            .http
            .get(self.url("/healthz"))
            .timeout(Duration::from_secs(90));
        self.send(slow).map(|_| ())
    }

    /// `GET /v1/me`.
    pub fn me(&self) -> Result<User, ClientError> {
        self.json("/v1/me", self.authed(self.http.get(self.url("/v1/me")))?)
    }

    /// `GET /v1/me/transactions?limit=N`, newest first.
    pub fn transactions(&self, limit: u32) -> Result<Vec<Transaction>, ClientError> {
        let rb = self
            .http
            .get(self.url("/v1/me/transactions"))
            .query(&[("limit", limit)]);
        self.json("/v1/me/transactions", self.authed(rb)?)
    }

    /// `POST /v1/estimate` (local+). The public service lacks it, so a 404 or 405 falls back
    /// to the contract's formula, which the service itself uses.
    pub fn estimate(&self, body: &SimulateBody) -> Result<Estimate, ClientError> {
        let rb = self.http.post(self.url("/v1/estimate")).json(body);
        match self.json::<Estimate>("/v1/estimate", rb) {
            Err(ClientError::NotFound(_)) | Err(ClientError::Status { status: 405, .. }) => {
                Ok(estimate(body.channel, body.events, body.pileup))
            }
            other => other,
        }
    }

    /// `POST /v1/simulate`.
    pub fn simulate(&self, body: &SimulateBody) -> Result<SimulateReply, ClientError> {
        let rb = self.http.post(self.url("/v1/simulate")).json(body);
        self.json("/v1/simulate", self.authed(rb)?)
    }

    /// `GET /v1/requests/{id}`.
    pub fn request(&self, id: &str) -> Result<RequestInfo, ClientError> {
        let rb = self
            .http
            .get(self.url(&format!("/v1/requests/{}", checked(id)?)));
        self.json("/v1/requests/{id}", self.authed(rb)?)
    }

    /// `GET /v1/requests?limit=N`, newest first.
    pub fn requests(&self, limit: u32) -> Result<Vec<RequestInfo>, ClientError> {
        let rb = self
            .http
            .get(self.url("/v1/requests"))
            .query(&[("limit", limit)]);
        self.json("/v1/requests", self.authed(rb)?)
    }

    /// `POST /v1/requests/{id}/cancel` (local+).
    pub fn cancel(&self, id: &str) -> Result<RequestInfo, ClientError> {
        let rb = self
            .http
            .post(self.url(&format!("/v1/requests/{}/cancel", checked(id)?)));
        self.json("/v1/requests/{id}/cancel", self.authed(rb)?)
    }

    /// `GET /v1/requests/{id}/files` (local+).
    pub fn files(&self, id: &str) -> Result<Vec<FileInfo>, ClientError> {
        let rb = self
            .http
            .get(self.url(&format!("/v1/requests/{}/files", checked(id)?)));
        self.json("/v1/requests/{id}/files", self.authed(rb)?)
    }

    /// Downloads one output file to `dest`, streaming (outputs can be large).
    pub fn download(
        &self,
        id: &str,
        name: &str,
        dest: &std::path::Path,
    ) -> Result<u64, ClientError> {
        let rb = self
            .http
            .get(self.url(&format!("/v1/requests/{}/files/{name}", checked(id)?)))
            .timeout(Duration::from_secs(600));
        let mut resp = self.send(self.authed(rb)?)?;
        let io = |e: std::io::Error| ClientError::Decode {
            route: format!("files/{name}"),
            reason: format!("{}: {e}", dest.display()),
        };
        let tmp = dest.with_extension("part");
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        let n = resp.copy_to(&mut f).map_err(|e| ClientError::Unreachable {
            base: self.base.clone(),
            reason: e.without_url().to_string(),
        })?;
        std::fs::rename(&tmp, dest).map_err(io)?;
        Ok(n)
    }

    /// `GET /v1/datasets` (public).
    pub fn datasets(&self) -> Result<Vec<String>, ClientError> {
        let v: Value = self.json("/v1/datasets", self.http.get(self.url("/v1/datasets")))?;
        // The service answers a list of names, or an object with a `datasets` list.
        let list = v.get("datasets").unwrap_or(&v);
        Ok(list
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().or_else(|| x["name"].as_str()).map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }
}

/// `id` if it is a valid request id.
fn checked(id: &str) -> Result<&str, ClientError> {
    if collm_contract::valid_request_id(id) {
        Ok(id)
    } else {
        Err(ClientError::BadRequestId(id.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_would_escape_a_path_or_a_url_never_leave_the_client() {
        // Nothing listens on port 9: a request that went out would fail differently.
        let c = Client::new("http://127.0.0.1:9");
        for id in [
            "../../etc",
            "/tmp/x",
            "a/b",
            "",
            "x?y",
            &"a".repeat(65),
            "r%2e%2e",
        ] {
            assert!(
                matches!(c.request(id), Err(ClientError::BadRequestId(_))),
                "status {id:?}"
            );
            assert!(
                matches!(c.files(id), Err(ClientError::BadRequestId(_))),
                "files {id:?}"
            );
            assert!(
                matches!(c.cancel(id), Err(ClientError::BadRequestId(_))),
                "cancel {id:?}"
            );
        }
        assert!(!matches!(
            c.request("req_01-AB"),
            Err(ClientError::BadRequestId(_))
        ));
    }

    #[test]
    fn details_of_every_form() {
        assert_eq!(
            detail_text(r#"{"detail":"Insufficient credits: x"}"#),
            "Insufficient credits: x"
        );
        assert_eq!(
            detail_text(r#"{"detail":[{"loc":["body","events"],"msg":"too big"}]}"#),
            "body.events: too big"
        );
        assert_eq!(
            detail_text(r#"{"detail":{"detail":"running","existing_request_id":"r1"}}"#),
            "running"
        );
        assert_eq!(detail_text("Bad Gateway"), "Bad Gateway");
    }

    #[test]
    fn statuses_map_to_messages() {
        let e = error_for(
            StatusCode::PAYMENT_REQUIRED,
            r#"{"detail":"Insufficient credits: this job needs 2.5 but you have 1.0."}"#,
        );
        assert!(e.to_string().contains("needs 2.5 but you have 1.0"), "{e}");
        let e = error_for(
            StatusCode::CONFLICT,
            r#"{"detail":{"detail":"running","existing_request_id":"abc","output_hf_repo":"/x"}}"#,
        );
        assert!(
            e.to_string().contains("already running as abc") && e.to_string().contains("/x"),
            "{e}"
        );
        for (s, want) in [
            (401, "did not accept the token"),
            (403, "forbidden"),
            (422, "rejected"),
            (429, "too many"),
            (503, "cannot take jobs"),
        ] {
            let e = error_for(
                StatusCode::from_u16(s).expect("status"),
                r#"{"detail":"d"}"#,
            );
            assert!(e.to_string().contains(want), "{s}: {e}");
        }
    }
}
