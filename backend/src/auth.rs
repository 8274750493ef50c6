//! Who is calling: a bearer token checked by a pluggable verifier.
//!
//! Local tokens (made by `collm backend add-user`) are stored only as SHA-256 hashes. Hugging
//! Face tokens are checked with `whoami-v2` at a configurable base URL, so tests can run a fake
//! on loopback; verified tokens are remembered (by hash) for a few minutes.

use crate::db::{Db, SignIn};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How tokens are verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verifier {
    /// Only tokens issued by `add-user`.
    Local,
    /// Hugging Face tokens through `{base}/api/whoami-v2`, and local tokens too.
    HuggingFace {
        /// `https://huggingface.co`, or a fake in tests.
        base: String,
    },
}

/// Why a token was not accepted.
#[derive(Debug, PartialEq, Eq)]
pub enum AuthError {
    /// No `Authorization: Bearer …` header, or a malformed one.
    Missing,
    /// The token is not valid.
    Invalid,
    /// This client asked for too many new tokens to be verified; the reason.
    TooMany(String),
    /// The verifier could not be asked.
    Unavailable(String),
}

/// SHA-256 of a token, hex; the only form in which a token is stored.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new random local token.
pub fn new_token() -> String {
    format!(
        "collm_{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// Gives `user` a new local token, replacing any old one, and creates the user (with the
/// sign-up grant) if it is new; only the hash is stored. Returns the token and whether the
/// user was new.
pub async fn issue_local_token(db: &Db, user: &str) -> anyhow::Result<(String, bool)> {
    let token = new_token();
    let created = crate::ledger::ensure_user(db, user, SignIn::Local, Some(&hash(&token))).await?;
    if !created {
        sqlx::query("UPDATE users SET token_hash = $1 WHERE hf_username = $2")
            .bind(hash(&token))
            .bind(user)
            .execute(&db.pool)
            .await?;
    }
    Ok((token, created))
}

impl Auth {
    fn recently_rejected(&self, hash: &str) -> bool {
        let rejected = self.rejected.lock().unwrap_or_else(|p| p.into_inner());
        rejected
            .get(hash)
            .is_some_and(|at| at.elapsed() < REJECTED_FOR)
    }

    fn reject(&self, hash: String) {
        let mut rejected = self.rejected.lock().unwrap_or_else(|p| p.into_inner());
        if rejected.len() >= REJECTED_MAX {
            rejected.retain(|_, at| at.elapsed() < REJECTED_FOR);
            if rejected.len() >= REJECTED_MAX {
                rejected.clear();
            }
        }
        rejected.insert(hash, Instant::now());
    }
}

/// The verifier and its short memory of accepted Hugging Face tokens.
pub struct Auth {
    verifier: Verifier,
    http: reqwest::Client,
    seen: Mutex<HashMap<String, (String, Instant)>>,
    /// Hashes of tokens Hugging Face turned down, and when: asked again only after
    /// [`REJECTED_FOR`], so a client repeating a bad token cannot make the backend call
    /// Hugging Face once per request.
    rejected: Mutex<HashMap<String, Instant>>,
    /// Per client address: when its current minute began and how many new tokens it has had
    /// verified in it, so one client cannot make the backend call Hugging Face without bound.
    verifying: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

/// New (not remembered) tokens one client address may have verified per minute.
pub const VERIFICATIONS_PER_MINUTE: u32 = 30;

/// How long a token Hugging Face rejected stays rejected without asking again.
const REJECTED_FOR: Duration = Duration::from_secs(60);

/// How many rejected tokens are remembered; past it, the expired ones are dropped (and all
/// of them if none has expired), so the memory stays bounded under a flood of random tokens.
const REJECTED_MAX: usize = 10_000;

impl Auth {
    /// A verifier.
    pub fn new(verifier: Verifier) -> Auth {
        Auth {
            verifier,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .unwrap_or_default(),
            seen: Mutex::new(HashMap::new()),
            rejected: Mutex::new(HashMap::new()),
            verifying: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one verification for `peer`, or refuses it past [`VERIFICATIONS_PER_MINUTE`].
    fn count_verification(&self, peer: Option<IpAddr>) -> Result<(), AuthError> {
        let Some(ip) = peer else {
            return Ok(());
        };
        let mut counts = self.verifying.lock().unwrap_or_else(|p| p.into_inner());
        let minute = Duration::from_secs(60);
        if counts.len() >= REJECTED_MAX {
            counts.retain(|_, (began, _)| began.elapsed() < minute);
        }
        let (began, n) = counts.entry(ip).or_insert((Instant::now(), 0));
        if began.elapsed() >= minute {
            (*began, *n) = (Instant::now(), 0);
        }
        if *n >= VERIFICATIONS_PER_MINUTE {
            return Err(AuthError::TooMany(format!(
                "more than {VERIFICATIONS_PER_MINUTE} new tokens to verify from {ip} in a minute; try again in {} s",
                minute.saturating_sub(began.elapsed()).as_secs().max(1)
            )));
        }
        *n += 1;
        Ok(())
    }

    /// The user name behind an `Authorization` header value, and how it signed in.
    /// New tokens are checked with Hugging Face at most [`VERIFICATIONS_PER_MINUTE`] times a
    /// minute per client address `peer`.
    pub async fn user(
        &self,
        db: &Db,
        header: Option<&str>,
        peer: Option<IpAddr>,
    ) -> Result<(String, SignIn), AuthError> {
        let token = header
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty() && !t.contains(' '))
            .ok_or(AuthError::Missing)?;
        let h = hash(token);
        let local = sqlx::query(
            "SELECT hf_username FROM users WHERE token_hash = $1 AND sign_in = 'local'",
        )
        .bind(&h)
        .fetch_optional(&db.pool)
        .await
        .map_err(|e| AuthError::Unavailable(e.to_string()))?;
        if let Some(row) = local {
            return Ok((row.get::<String, _>(0), SignIn::Local));
        }
        let Verifier::HuggingFace { base } = &self.verifier else {
            return Err(AuthError::Invalid);
        };
        if let Some((name, at)) = self.seen.lock().unwrap_or_else(|p| p.into_inner()).get(&h) {
            if at.elapsed() < Duration::from_secs(300) {
                return Ok((name.clone(), SignIn::HuggingFace));
            }
        }
        if self.recently_rejected(&h) {
            return Err(AuthError::Invalid);
        }
        self.count_verification(peer)?;
        let resp = self
            .http
            .get(format!("{}/api/whoami-v2", base.trim_end_matches('/')))
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| AuthError::Unavailable(e.without_url().to_string()))?;
        match resp.status().as_u16() {
            200 => {}
            401 | 403 => {
                self.reject(h);
                return Err(AuthError::Invalid);
            }
            s => return Err(AuthError::Unavailable(format!("whoami-v2 answered {s}"))),
        }
        let v: serde_json::Value = resp
            .json()
            .await
            .map_err(|e| AuthError::Unavailable(e.to_string()))?;
        let name = v["name"]
            .as_str()
            .filter(|n| !n.is_empty())
            .ok_or(AuthError::Invalid)?
            .to_owned();
        self.seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(h, (name.clone(), Instant::now()));
        Ok((name, SignIn::HuggingFace))
    }
}
