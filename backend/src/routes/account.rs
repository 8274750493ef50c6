//! The caller's account: who they are, their balance and their ledger; and, on an embedded
//! backend, its proof of being the caller's own.

use super::{user, Api, ApiError, Caller, Limit};
use crate::{db, App};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use collm_client::proof;
use serde_json::{json, Value};
use sqlx::Row;
use std::sync::Arc;

/// `GET /v1/me`: the caller as the ledger knows them, balance included.
pub(super) async fn me(State(app): State<Arc<App>>, caller: Caller) -> Api<Json<Value>> {
    let name = user(&app, &caller).await?;
    let r = sqlx::query("SELECT hf_username, email, credits, created_at, last_seen_at FROM users WHERE hf_username = $1")
        .bind(&name)
        .fetch_one(&app.db.pool)
        .await?;
    Ok(Json(json!({
        "hf_username": r.get::<String, _>(0),
        "email": r.get::<Option<String>, _>(1),
        "credits": db::credits(r.get::<i64, _>(2)),
        "created_at": r.get::<String, _>(3),
        "last_seen_at": r.get::<String, _>(4),
    })))
}

/// `GET /v1/me/transactions`: the newest ledger entries first, so a balance can be explained.
pub(super) async fn transactions(
    State(app): State<Arc<App>>,
    caller: Caller,
    Query(q): Query<Limit>,
) -> Api<Json<Value>> {
    let name = user(&app, &caller).await?;
    let rows = sqlx::query("SELECT id, delta, reason, metadata, created_at FROM ledger WHERE hf_username = $1 ORDER BY id DESC LIMIT $2")
        .bind(&name)
        .bind(q.limit.unwrap_or(100).clamp(1, 1000))
        .fetch_all(&app.db.pool)
        .await?;
    Ok(Json(Value::Array(
        rows.iter()
            .map(|r| {
                let meta: Option<String> = r.get(3);
                json!({
                    "id": r.get::<i64, _>(0),
                    "delta": db::credits(r.get::<i64, _>(1)),
                    "reason": r.get::<String, _>(2),
                    "metadata": meta.and_then(|m| serde_json::from_str::<Value>(&m).ok()),
                    "created_at": r.get::<String, _>(4),
                })
            })
            .collect(),
    )))
}

/// The challenge's nonce.
#[derive(serde::Deserialize)]
pub(super) struct Nonce {
    nonce: String,
}

/// `GET /v1/local/proof?nonce=…` (embedded backends only): the answer that shows the client
/// this is its own backend before it sends the token (`collm_client::proof`). It needs no
/// token, and reveals nothing about it.
pub(super) async fn proof(State(app): State<Arc<App>>, Query(q): Query<Nonce>) -> Api<Json<Value>> {
    let Some((key, port)) = &app.proof else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "this backend is not an embedded one; it has no proof route",
        ));
    };
    if !proof::valid_nonce(&q.nonce) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "nonce: expected 16 to 128 hex characters",
        ));
    }
    let pid = std::process::id();
    Ok(Json(json!({
        "pid": pid,
        "port": port,
        "proof": proof::answer(key, &q.nonce, *port, pid),
    })))
}
