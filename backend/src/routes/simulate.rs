//! Pricing and submitting a simulation: the estimate route, and the simulate route with its
//! gates in the contract's order.

use super::{user, Api, ApiError};
use crate::db::{self, ACTIVE};
use crate::{ledger, App};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use collm_contract::{estimate, Estimate, SimulateBody, SimulateReply};
use serde_json::json;
use sqlx::Row;
use std::sync::Arc;

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

/// `POST /v1/estimate`: the price of a request without submitting it.
pub(super) async fn quote(bytes: Bytes) -> Api<Json<Estimate>> {
    let b = body(&bytes)?;
    Ok(Json(estimate(b.channel, b.events, b.pileup)))
}

/// `POST /v1/simulate`: the contract's gates in order, then the charge and the job.
pub(super) async fn simulate(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Api<Json<SimulateReply>> {
    let name = user(&app, &headers).await?;
    let s = Submission::priced(name, body(&bytes)?);
    if let Admission::Cached(hit) = admit(&app, &s).await? {
        return Ok(Json(hit));
    }
    // 7. Atomic charge and insert.
    let id = charge_and_insert(&app, &s).await?;
    app.jobs.start(id.clone());
    Ok(Json(s.queued(&app, id)))
}

/// A simulate request with its price, and the time it arrived.
struct Submission {
    name: String,
    body: SimulateBody,
    quote: Estimate,
    /// The price in the ledger's unit.
    cost: db::Milli,
    now: String,
    epoch: i64,
}

impl Submission {
    /// Prices `body` with the published formula, at the current time.
    fn priced(name: String, body: SimulateBody) -> Submission {
        let quote = estimate(body.channel, body.events, body.pileup);
        let cost = db::milli(quote.estimated_node_hours);
        let (now, epoch) = db::now();
        Submission {
            name,
            body,
            quote,
            cost,
            now,
            epoch,
        }
    }

    /// The reply for a request that was charged and queued as `id`.
    fn queued(&self, app: &App, id: String) -> SimulateReply {
        SimulateReply {
            output_hf_repo: Some(app.jobs.dir(&id).display().to_string()),
            request_id: id,
            state: "queued".into(),
            estimated_node_hours: self.quote.estimated_node_hours,
            estimated_completion_seconds: self.quote.estimated_completion_seconds,
            credits_charged: self.quote.estimated_node_hours,
            cached: false,
        }
    }
}

/// How a submission passed the gates.
enum Admission {
    /// The sample exists already: this reply, and no charge.
    Cached(SimulateReply),
    /// To be charged and run.
    Admitted,
}

/// The gates before any charge, in the contract's order; a refused submission is the error.
async fn admit(app: &App, s: &Submission) -> Api<Admission> {
    // 1. Cache hit: the same sample completed within 7 days, by anyone.
    if let Some(hit) = cache_hit(app, &s.body, &s.quote, s.epoch).await? {
        return Ok(Admission::Cached(hit));
    }
    // 2. Banned, frozen.
    check_not_banned(app, &s.name).await?;
    check_not_frozen(app).await?;
    // 3. Rate limit.
    check_rate_limit(app, &s.name, s.epoch).await?;
    // 4. The same request still running. One that completed since step 1 is a cache hit after
    // all: checked in this order, a job finishing in between cannot be charged twice.
    if let Some(id) = active_duplicate(app, &s.name, &s.body).await? {
        return Err(conflict(app, &id));
    }
    if let Some(hit) = cache_hit(app, &s.body, &s.quote, s.epoch).await? {
        return Ok(Admission::Cached(hit));
    }
    // 5. Global monthly cap.
    check_monthly_cap(app, s.cost).await?;
    // 6. Credits.
    let have = ledger::balance(&app.db, &s.name).await?.unwrap_or(0);
    if have < s.cost {
        return Err(insufficient(s.cost, have));
    }
    Ok(Admission::Admitted)
}

async fn check_not_banned(app: &App, name: &str) -> Api<()> {
    let banned: i64 = sqlx::query("SELECT banned FROM users WHERE hf_username = $1")
        .bind(name)
        .fetch_one(&app.db.pool)
        .await?
        .get(0);
    if banned != 0 {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "this account is banned",
        ));
    }
    Ok(())
}

async fn check_not_frozen(app: &App) -> Api<()> {
    if app.db.setting("frozen").await?.as_deref() == Some("1") {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "submissions are frozen by the administrator",
        ));
    }
    Ok(())
}

/// At most `rate_limit` requests per user in any 5 minutes.
async fn check_rate_limit(app: &App, name: &str, epoch: i64) -> Api<()> {
    let recent: i64 =
        sqlx::query("SELECT COUNT(*) FROM requests WHERE hf_username = $1 AND created_epoch >= $2")
            .bind(name)
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
    Ok(())
}

/// What all users' requests of this calendar month cost, net of refunds, plus `cost` must
/// stay within the cap.
async fn check_monthly_cap(app: &App, cost: db::Milli) -> Api<()> {
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
    Ok(())
}

/// The charge and the request row in one transaction, so neither exists without the
/// other. Returns the new request's id.
async fn charge_and_insert(app: &App, s: &Submission) -> Api<String> {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let mut tx = app.db.pool.begin().await?;
    if !ledger::apply(
        &mut tx,
        &s.name,
        -s.cost,
        "spent_on_request",
        Some(json!({"request_id": id})),
    )
    .await?
    {
        drop(tx);
        let have = ledger::balance(&app.db, &s.name).await?.unwrap_or(0);
        return Err(insufficient(s.cost, have));
    }
    let inserted = sqlx::query(
        "INSERT INTO requests (id, hf_username, channel, events, pileup, seed, state, estimated, charged, output,
         created_at, created_epoch, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $8, $9, $10, $11, $12)",
    )
    .bind(&id)
    .bind(&s.name)
    .bind(s.body.channel.name())
    .bind(i64::from(s.body.events))
    .bind(i64::from(s.body.pileup))
    .bind(s.body.seed as i64)
    .bind(s.cost)
    .bind(s.cost)
    .bind(app.jobs.dir(&id).display().to_string())
    .bind(&s.now)
    .bind(s.epoch)
    .bind(&s.now)
    .execute(&mut *tx)
    .await;
    if let Err(e) = inserted {
        drop(tx);
        // A concurrent identical request won the unique index: this one is the duplicate.
        if let Some(existing) = active_duplicate(app, &s.name, &s.body).await? {
            return Err(conflict(app, &existing));
        }
        return Err(e.into());
    }
    tx.commit().await?;
    Ok(id)
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
