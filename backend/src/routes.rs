//! The HTTP routes of the contract: users and credits, simulation requests (gates in the
//! documented order), and the local+ estimate, cancel and files routes.

use crate::auth::AuthError;
use crate::db::{self, ACTIVE};
use crate::{ledger, App};
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use collm_contract::{estimate, Estimate, FileInfo, RequestInfo, SimulateBody, SimulateReply};
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::sync::Arc;

/// An error response: a status and the `detail` of the body.
pub struct ApiError(StatusCode, Value);

impl ApiError {
    fn new(status: StatusCode, detail: impl Into<String>) -> ApiError {
        ApiError(status, Value::String(detail.into()))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "detail": self.1 }))).into_response()
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> ApiError {
        tracing::error!("{e:#}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error; see the backend's log",
        )
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        anyhow::Error::from(e).into()
    }
}

type Api<T> = Result<T, ApiError>;

/// Every route.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { Json(json!({"status": "ok"})) }))
        .route("/v1/me", get(me))
        .route("/v1/me/transactions", get(transactions))
        .route("/v1/estimate", post(quote))
        .route("/v1/simulate", post(simulate))
        .route("/v1/requests", get(list))
        .route("/v1/requests/{id}", get(one))
        .route("/v1/requests/{id}/cancel", post(cancel))
        .route("/v1/requests/{id}/files", get(files))
        .route("/v1/requests/{id}/files/{name}", get(file))
        .route("/v1/datasets", get(datasets))
        .with_state(app)
}

async fn user(app: &App, headers: &HeaderMap) -> Api<String> {
    let h = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    match app.auth.user(&app.db, h).await {
        Ok(name) => {
            ledger::ensure_user(&app.db, &name, None).await?;
            Ok(name)
        }
        Err(AuthError::Missing) => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "missing or malformed Authorization header: expected `Bearer <token>`",
        )),
        Err(AuthError::Invalid) => Err(ApiError::new(StatusCode::UNAUTHORIZED, "invalid token")),
        Err(AuthError::Unavailable(why)) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("cannot verify the token now: {why}"),
        )),
    }
}

/// The body as JSON, with the contract's 422 form (`detail` is a list of `loc`/`msg`) for a
/// body that does not parse or breaks a limit.
fn body(bytes: &Bytes) -> Api<SimulateBody> {
    let invalid = |loc: Vec<&str>, msg: String| {
        ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!([{ "loc": loc, "msg": msg, "type": "value_error" }]),
        )
    };
    let b: SimulateBody =
        serde_json::from_slice(bytes).map_err(|e| invalid(vec!["body"], e.to_string()))?;
    b.check()
        .map_err(|(field, msg)| invalid(vec!["body", field], msg))?;
    Ok(b)
}

async fn me(State(app): State<Arc<App>>, headers: HeaderMap) -> Api<Json<Value>> {
    let name = user(&app, &headers).await?;
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

#[derive(Deserialize)]
struct Limit {
    limit: Option<i64>,
}

async fn transactions(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<Limit>,
) -> Api<Json<Value>> {
    let name = user(&app, &headers).await?;
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

async fn quote(bytes: Bytes) -> Api<Json<Estimate>> {
    let b = body(&bytes)?;
    Ok(Json(estimate(b.channel, b.events, b.pileup)))
}

async fn simulate(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Api<Json<SimulateReply>> {
    let name = user(&app, &headers).await?;
    let b = body(&bytes)?;
    let q = estimate(b.channel, b.events, b.pileup);
    let cost = db::milli(q.estimated_node_hours);
    let (now, epoch) = db::now();
    // 1. Cache hit: the same sample completed within 7 days, by anyone.
    if let Some(hit) = cache_hit(&app, &b, &q, epoch).await? {
        return Ok(Json(hit));
    }
    // 2. Banned, frozen.
    let banned: i64 = sqlx::query("SELECT banned FROM users WHERE hf_username = $1")
        .bind(&name)
        .fetch_one(&app.db.pool)
        .await?
        .get(0);
    if banned != 0 {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "this account is banned",
        ));
    }
    if app.db.setting("frozen").await?.as_deref() == Some("1") {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "submissions are frozen by the administrator",
        ));
    }
    // 3. Rate limit.
    let recent: i64 =
        sqlx::query("SELECT COUNT(*) FROM requests WHERE hf_username = $1 AND created_epoch >= $2")
            .bind(&name)
            .bind(epoch - 300)
            .fetch_one(&app.db.pool)
            .await?
            .get(0);
    if recent >= app.rate_limit {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "{recent} requests in the last 5 minutes; the limit is {}",
                app.rate_limit
            ),
        ));
    }
    // 4. The same request still running. One that completed since step 1 is a cache hit after
    // all: checked in this order, a job finishing in between cannot be charged twice.
    if let Some(id) = active_duplicate(&app, &name, &b).await? {
        return Err(conflict(&app, &id));
    }
    if let Some(hit) = cache_hit(&app, &b, &q, epoch).await? {
        return Ok(Json(hit));
    }
    // 5. Global monthly cap.
    let month_epoch = month_start(chrono::Utc::now());
    let used: i64 = sqlx::query("SELECT CAST(COALESCE(SUM(estimated - refunded), 0) AS BIGINT) FROM requests WHERE created_epoch >= $1")
        .bind(month_epoch)
        .fetch_one(&app.db.pool)
        .await?
        .get(0);
    if used + cost > app.monthly_cap {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the monthly cap of {} node-hours would be exceeded ({} used)",
                db::credits(app.monthly_cap),
                db::credits(used)
            ),
        ));
    }
    // 6. Credits.
    let have = ledger::balance(&app.db, &name).await?.unwrap_or(0);
    if have < cost {
        return Err(insufficient(cost, have));
    }
    // 7. Atomic charge and insert.
    let id = uuid::Uuid::new_v4().simple().to_string();
    let mut tx = app.db.pool.begin().await?;
    if !ledger::apply(
        &mut tx,
        &name,
        -cost,
        "spent_on_request",
        Some(json!({"request_id": id})),
    )
    .await?
    {
        drop(tx);
        let have = ledger::balance(&app.db, &name).await?.unwrap_or(0);
        return Err(insufficient(cost, have));
    }
    let inserted = sqlx::query(
        "INSERT INTO requests (id, hf_username, channel, events, pileup, seed, state, estimated, charged, output,
         created_at, created_epoch, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $8, $9, $10, $11, $12)",
    )
    .bind(&id)
    .bind(&name)
    .bind(b.channel.name())
    .bind(i64::from(b.events))
    .bind(i64::from(b.pileup))
    .bind(b.seed as i64)
    .bind(cost)
    .bind(cost)
    .bind(app.jobs.dir(&id).display().to_string())
    .bind(&now)
    .bind(epoch)
    .bind(&now)
    .execute(&mut *tx)
    .await;
    if let Err(e) = inserted {
        drop(tx);
        // A concurrent identical request won the unique index: this one is the duplicate.
        if let Some(existing) = active_duplicate(&app, &name, &b).await? {
            return Err(conflict(&app, &existing));
        }
        return Err(e.into());
    }
    tx.commit().await?;
    app.jobs.start(id.clone());
    Ok(Json(SimulateReply {
        output_hf_repo: Some(app.jobs.dir(&id).display().to_string()),
        request_id: id,
        state: "queued".into(),
        estimated_node_hours: q.estimated_node_hours,
        estimated_completion_seconds: q.estimated_completion_seconds,
        credits_charged: q.estimated_node_hours,
        cached: false,
    }))
}

/// Unix seconds at the start of the calendar month (UTC) of `t`.
fn month_start(t: chrono::DateTime<chrono::Utc>) -> i64 {
    use chrono::Datelike;
    t.date_naive()
        .with_day(1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(0, |d| d.and_utc().timestamp())
}

/// The reply for the same sample completed within 7 days (by anyone), if there is one.
async fn cache_hit(
    app: &App,
    b: &SimulateBody,
    q: &Estimate,
    epoch: i64,
) -> Api<Option<SimulateReply>> {
    let hit = sqlx::query(
        "SELECT id, output FROM requests WHERE channel = $1 AND events = $2 AND pileup = $3 AND seed = $4
         AND state = 'completed' AND completed_epoch >= $5 ORDER BY completed_epoch DESC LIMIT 1",
    )
    .bind(b.channel.name())
    .bind(i64::from(b.events))
    .bind(i64::from(b.pileup))
    .bind(b.seed as i64)
    .bind(epoch - 7 * 86_400)
    .fetch_optional(&app.db.pool)
    .await?;
    Ok(hit.map(|r| SimulateReply {
        request_id: r.get(0),
        state: "completed".into(),
        estimated_node_hours: q.estimated_node_hours,
        estimated_completion_seconds: 0,
        credits_charged: 0.0,
        output_hf_repo: r.get(1),
        cached: true,
    }))
}

fn insufficient(cost: i64, have: i64) -> ApiError {
    ApiError::new(StatusCode::PAYMENT_REQUIRED, format!(
        "Insufficient credits: this job needs {} but you have {}. Ask for a grant, or choose fewer events or less pileup.",
        db::credits(cost), db::credits(have)))
}

async fn active_duplicate(app: &App, name: &str, b: &SimulateBody) -> Api<Option<String>> {
    let row = sqlx::query(&format!(
        "SELECT id FROM requests WHERE hf_username = $1 AND channel = $2 AND events = $3 AND pileup = $4 AND seed = $5 AND state IN {ACTIVE}"
    ))
    .bind(name)
    .bind(b.channel.name())
    .bind(i64::from(b.events))
    .bind(i64::from(b.pileup))
    .bind(b.seed as i64)
    .fetch_optional(&app.db.pool)
    .await?;
    Ok(row.map(|r| r.get(0)))
}

fn conflict(app: &App, id: &str) -> ApiError {
    ApiError(
        StatusCode::CONFLICT,
        json!({
            "detail": "the same request is still running",
            "existing_request_id": id,
            "output_hf_repo": app.jobs.dir(id).display().to_string(),
        }),
    )
}

const COLUMNS: &str = "id, hf_username, channel, events, pileup, seed, state, estimated, actual, charged, refunded, output, error_message, created_at, updated_at";

fn info(app: &App, r: &AnyRow) -> RequestInfo {
    let id: String = r.get(0);
    RequestInfo {
        events_done: app.jobs.progress(&id),
        id,
        hf_username: r.get(1),
        channel: r.get(2),
        events: r.get::<i64, _>(3) as u32,
        pileup: r.get::<i64, _>(4) as u32,
        seed: r.get::<i64, _>(5) as u64,
        state: r.get(6),
        estimated_node_hours: db::credits(r.get(7)),
        actual_node_hours: r.get::<Option<i64>, _>(8).map(db::credits),
        credits_charged: db::credits(r.get::<i64, _>(9) - r.get::<i64, _>(10)),
        output_hf_repo: r.get(11),
        error_message: r.get(12),
        created_at: r.get(13),
        updated_at: r.get(14),
    }
}

/// The request, if it exists and belongs to `name` (403 otherwise).
async fn owned(app: &App, name: &str, id: &str) -> Api<RequestInfo> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM requests WHERE id = $1"))
        .bind(id)
        .fetch_optional(&app.db.pool)
        .await?
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("no request {id}")))?;
    let r = info(app, &row);
    if r.hf_username != name {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            format!("request {id} belongs to another user"),
        ));
    }
    Ok(r)
}

async fn one(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Api<Json<RequestInfo>> {
    let name = user(&app, &headers).await?;
    Ok(Json(owned(&app, &name, &id).await?))
}

async fn list(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<Limit>,
) -> Api<Json<Vec<RequestInfo>>> {
    let name = user(&app, &headers).await?;
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM requests WHERE hf_username = $1 ORDER BY created_epoch DESC, created_at DESC LIMIT $2"))
        .bind(&name)
        .bind(q.limit.unwrap_or(50).clamp(1, 1000))
        .fetch_all(&app.db.pool)
        .await?;
    Ok(Json(rows.iter().map(|r| info(&app, r)).collect()))
}

async fn cancel(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Api<Json<RequestInfo>> {
    let name = user(&app, &headers).await?;
    let r = owned(&app, &name, &id).await?;
    if r.is_terminal() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("request {id} is already {}", r.state),
        ));
    }
    app.jobs.cancel(&id, i64::from(r.events)).await?;
    Ok(Json(owned(&app, &name, &id).await?))
}

async fn output_files(app: &App, r: &RequestInfo) -> Api<Vec<FileInfo>> {
    if r.state != "completed" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!(
                "request {} is {}; files come when it completes",
                r.id, r.state
            ),
        ));
    }
    let mut out = Vec::new();
    let mut dir = tokio::fs::read_dir(app.jobs.dir(&r.id))
        .await
        .map_err(anyhow::Error::from)?;
    while let Some(e) = dir.next_entry().await.map_err(anyhow::Error::from)? {
        let meta = e.metadata().await.map_err(anyhow::Error::from)?;
        if meta.is_file() {
            out.push(FileInfo {
                name: e.file_name().to_string_lossy().into_owned(),
                bytes: meta.len(),
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

async fn files(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Api<Json<Vec<FileInfo>>> {
    let name = user(&app, &headers).await?;
    let r = owned(&app, &name, &id).await?;
    Ok(Json(output_files(&app, &r).await?))
}

async fn file(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path((id, file)): Path<(String, String)>,
) -> Api<Response> {
    let name = user(&app, &headers).await?;
    let r = owned(&app, &name, &id).await?;
    // Only names from the listing: no path can reach outside the request's directory.
    let listed = output_files(&app, &r).await?;
    let f = listed.iter().find(|f| f.name == file).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!("request {id} has no file {file}"),
        )
    })?;
    let handle = tokio::fs::File::open(app.jobs.dir(&id).join(&f.name))
        .await
        .map_err(anyhow::Error::from)?;
    let stream = tokio_util::io::ReaderStream::new(handle);
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::CONTENT_LENGTH, f.bytes.to_string()),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

async fn datasets(State(app): State<Arc<App>>) -> Api<Json<Vec<String>>> {
    let rows = sqlx::query("SELECT DISTINCT channel, pileup FROM requests WHERE state = 'completed' ORDER BY channel, pileup")
        .fetch_all(&app.db.pool)
        .await?;
    Ok(Json(
        rows.iter()
            .map(|r| format!("{}_pu{}", r.get::<String, _>(0), r.get::<i64, _>(1)))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn month_start_is_the_first_at_midnight_utc() {
        let t = chrono::Utc
            .with_ymd_and_hms(2026, 11, 22, 19, 45, 0)
            .single()
            .expect("time");
        let first = chrono::Utc
            .with_ymd_and_hms(2026, 11, 1, 0, 0, 0)
            .single()
            .expect("time");
        assert_eq!(month_start(t), first.timestamp());
        assert_eq!(month_start(first), first.timestamp());
    }
}
