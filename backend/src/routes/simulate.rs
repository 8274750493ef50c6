//! Pricing and submitting a simulation: the estimate route, and the simulate route with its
//! gates in the contract's order.

use super::{cache, user, Api, ApiError, Caller};
use crate::db::{self, ACTIVE};
use crate::{ledger, App};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use collm_contract::{estimate, Estimate, SimulateBody, SimulateReply};
use serde_json::json;
use sqlx::{AnyConnection, Row};
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
    caller: Caller,
    bytes: Bytes,
) -> Api<Json<SimulateReply>> {
    let name = user(&app, &caller).await?;
    let s = Submission::priced(name, body(&bytes)?);
    if let Some(hit) = admit(&app, &s).await? {
        return Ok(Json(hit));
    }
    let id = match charge_and_insert(&app, &s).await? {
        Outcome::Charged(id) => id,
        Outcome::Cached(hit) => return Ok(Json(hit)),
    };
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

/// What a submission that passed every gate became.
enum Outcome {
    /// The sample exists already: this reply, and no charge.
    Cached(SimulateReply),
    /// Charged and queued as this request id.
    Charged(String),
}

/// The gates that need no lock, in the contract's order: a cache hit (which comes first),
/// then a banned user or frozen submissions. The counting gates come under the charging lock
/// in [`charge_and_insert`].
async fn admit(app: &App, s: &Submission) -> Api<Option<SimulateReply>> {
    // 1. Cache hit: the same sample completed within 7 days, by anyone.
    let mut db = app.db.pool.acquire().await?;
    if let Some(hit) = cache::hit(&mut db, app, &s.name, &s.body, &s.quote, s.epoch).await? {
        return Ok(Some(hit));
    }
    drop(db);
    // 2. Banned, frozen.
    check_not_banned(app, &s.name).await?;
    check_not_frozen(app).await?;
    Ok(None)
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
async fn check_rate_limit(db: &mut AnyConnection, limit: i64, name: &str, epoch: i64) -> Api<()> {
    let recent: i64 =
        sqlx::query("SELECT COUNT(*) FROM requests WHERE hf_username = $1 AND created_epoch >= $2 AND cached_from IS NULL")
            .bind(name)
            .bind(epoch - 300)
            .fetch_one(db)
            .await?
            .get(0);
    if recent >= limit {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!("{recent} requests in the last 5 minutes; the limit is {limit}"),
        ));
    }
    Ok(())
}

/// What all users' requests of this calendar month cost, net of refunds, plus `cost` must
/// stay within the cap.
async fn check_monthly_cap(db: &mut AnyConnection, cap: db::Milli, cost: db::Milli) -> Api<()> {
    let month_epoch = month_start(chrono::Utc::now());
    let used: i64 = sqlx::query("SELECT CAST(COALESCE(SUM(estimated - refunded), 0) AS BIGINT) FROM requests WHERE created_epoch >= $1")
        .bind(month_epoch)
        .fetch_one(db)
        .await?
        .get(0);
    if used.saturating_add(cost) > cap {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the monthly cap of {} node-hours would be exceeded ({} used)",
                db::credits(cap),
                db::credits(used)
            ),
        ));
    }
    Ok(())
}

/// The gates that count (rate limit, running duplicate, monthly cap, credits), the charge and
/// the request row, all in one transaction under the charging lock: a gate is read and its
/// effect written with no other submission in between, so 100 concurrent submits cannot all
/// pass a limit of 10, and the charge never exists without its request. Returns the new
/// request's id, or the cache hit of a job that completed since [`admit`] looked.
async fn charge_and_insert(app: &App, s: &Submission) -> Api<Outcome> {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let mut tx = app.db.begin_charging().await?;
    // 3. Rate limit.
    check_rate_limit(&mut tx, app.rate_limit, &s.name, s.epoch).await?;
    // 4. The same request still running. One that completed since step 1 is a cache hit after
    // all: checked in this order, a job finishing in between cannot be charged twice.
    if let Some(existing) = active_duplicate(&mut tx, &s.name, &s.body).await? {
        return Err(conflict(app, &existing));
    }
    if let Some(hit) = cache::hit(&mut tx, app, &s.name, &s.body, &s.quote, s.epoch).await? {
        tx.commit().await?;
        return Ok(Outcome::Cached(hit));
    }
    // 5. Global monthly cap.
    check_monthly_cap(&mut tx, app.monthly_cap, s.cost).await?;
    // 6. Credits, and 7. the charge: one conditional update.
    let metadata = Some(json!({"request_id": id}));
    if !ledger::apply(&mut tx, &s.name, -s.cost, "spent_on_request", metadata).await? {
        let have: i64 = sqlx::query("SELECT credits FROM users WHERE hf_username = $1")
            .bind(&s.name)
            .fetch_optional(&mut *tx)
            .await?
            .map_or(0, |r| r.get(0));
        return Err(insufficient(s.cost, have));
    }
    insert_request(&mut tx, app, s, &id).await?;
    tx.commit().await?;
    Ok(Outcome::Charged(id))
}

/// The request row of a charged submission.
async fn insert_request(db: &mut AnyConnection, app: &App, s: &Submission, id: &str) -> Api<()> {
    sqlx::query(
        "INSERT INTO requests (id, hf_username, channel, events, pileup, seed, state, estimated, charged, output,
         created_at, created_epoch, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $8, $9, $10, $11, $12)",
    )
    .bind(id)
    .bind(&s.name)
    .bind(s.body.channel.name())
    .bind(i64::from(s.body.events))
    .bind(i64::from(s.body.pileup))
    .bind(s.body.seed as i64)
    .bind(s.cost)
    .bind(s.cost)
    .bind(app.jobs.dir(id).display().to_string())
    .bind(&s.now)
    .bind(s.epoch)
    .bind(&s.now)
    .execute(db)
    .await?;
    Ok(())
}

/// Unix seconds at the start of the calendar month (UTC) of `t`.
fn month_start(t: chrono::DateTime<chrono::Utc>) -> i64 {
    use chrono::Datelike;
    t.date_naive()
        .with_day(1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(0, |d| d.and_utc().timestamp())
}

fn insufficient(cost: i64, have: i64) -> ApiError {
    ApiError::new(StatusCode::PAYMENT_REQUIRED, format!(
        "Insufficient credits: this job needs {} but you have {}. Ask for a grant, or choose fewer events or less pileup.",
        db::credits(cost), db::credits(have)))
}

async fn active_duplicate(
    db: &mut AnyConnection,
    name: &str,
    b: &SimulateBody,
) -> Api<Option<String>> {
    let row = sqlx::query(&format!(
        "SELECT id FROM requests WHERE hf_username = $1 AND channel = $2 AND events = $3 AND pileup = $4 AND seed = $5 AND state IN {ACTIVE}"
    ))
    .bind(name)
    .bind(b.channel.name())
    .bind(i64::from(b.events))
    .bind(i64::from(b.pileup))
    .bind(b.seed as i64)
    .fetch_optional(db)
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
