//! The simulation cache: the same sample completed within 7 days, by anyone, is served
//! without a charge. A hit on another user's request becomes a request of the caller's own
//! (completed, free, reading the same files), because the other user's id would answer every
//! status and file call with 403.

use crate::App;
use collm_contract::{Estimate, SimulateBody, SimulateReply};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// How long a completed sample is served from the cache.
const CACHE_SECS: i64 = 7 * 86_400;

/// The caller's reply for a cached sample, if there is one. Prefers a request the caller
/// already holds (their own, or an earlier copy), so resubmitting does not add rows; otherwise
/// records a free copy of the newest hit under the caller's name.
pub(super) async fn hit(
    db: &mut AnyConnection,
    app: &App,
    caller: &str,
    b: &SimulateBody,
    q: &Estimate,
    epoch: i64,
) -> anyhow::Result<Option<SimulateReply>> {
    let Some(row) = newest(db, caller, b, epoch).await? else {
        return Ok(None);
    };
    let (id, owner, output): (String, String, Option<String>) =
        (row.get(0), row.get(1), row.get(2));
    let id = if owner == caller {
        id
    } else {
        copy(db, caller, &row).await?
    };
    Ok(Some(SimulateReply {
        output_hf_repo: output.or_else(|| Some(app.jobs.dir(&id).display().to_string())),
        request_id: id,
        state: "completed".into(),
        estimated_node_hours: q.estimated_node_hours,
        estimated_completion_seconds: 0,
        credits_charged: 0.0,
        cached: true,
    }))
}

/// The newest completed request for the sample still in the cache, the caller's first.
async fn newest(
    db: &mut AnyConnection,
    caller: &str,
    b: &SimulateBody,
    epoch: i64,
) -> anyhow::Result<Option<AnyRow>> {
    Ok(sqlx::query(
        "SELECT id, hf_username, output, COALESCE(cached_from, id), completed_epoch FROM requests
         WHERE channel = $1 AND events = $2 AND pileup = $3 AND seed = $4
         AND state = 'completed' AND completed_epoch >= $5
         ORDER BY CASE WHEN hf_username = $6 THEN 0 ELSE 1 END, completed_epoch DESC LIMIT 1",
    )
    .bind(b.channel.name())
    .bind(i64::from(b.events))
    .bind(i64::from(b.pileup))
    .bind(b.seed as i64)
    .bind(epoch - CACHE_SECS)
    .bind(caller)
    .fetch_optional(db)
    .await?)
}

/// A completed, free request of `caller` that reads the files of the hit's original run; it
/// expires from the cache with that run. Returns its id.
async fn copy(db: &mut AnyConnection, caller: &str, hit: &AnyRow) -> anyhow::Result<String> {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let (now, epoch) = crate::db::now();
    let (source, completed): (String, Option<i64>) = (hit.get(3), hit.get(4));
    sqlx::query(
        "INSERT INTO requests (id, hf_username, channel, events, pileup, seed, state, estimated, actual,
         charged, done_events, output, cached_from, created_at, created_epoch, updated_at, completed_epoch)
         SELECT $1, $2, channel, events, pileup, seed, 'completed', 0, 0, 0, events, output, $3, $4, $5, $4, $6
         FROM requests WHERE id = $3",
    )
    .bind(&id)
    .bind(caller)
    .bind(&source)
    .bind(&now)
    .bind(epoch)
    .bind(completed)
    .execute(db)
    .await?;
    Ok(id)
}
