//! The caller's requests: listing, one request, cancelling, and the output files of a
//! completed one; and the datasets completed requests have made.

use super::{user, Api, ApiError, Caller, Limit};
use crate::{db, App};
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use collm_contract::{FileInfo, RequestInfo};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::sync::Arc;

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

/// `GET /v1/requests/{id}`: one of the caller's requests, with its progress.
pub(super) async fn one(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Api<Json<RequestInfo>> {
    let name = user(&app, &caller).await?;
    Ok(Json(owned(&app, &name, &id).await?))
}

/// `GET /v1/requests`: the caller's requests, newest first.
pub(super) async fn list(
    State(app): State<Arc<App>>,
    caller: Caller,
    Query(q): Query<Limit>,
) -> Api<Json<Vec<RequestInfo>>> {
    let name = user(&app, &caller).await?;
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM requests WHERE hf_username = $1 ORDER BY created_epoch DESC, created_at DESC LIMIT $2"))
        .bind(&name)
        .bind(q.limit.unwrap_or(50).clamp(1, 1000))
        .fetch_all(&app.db.pool)
        .await?;
    Ok(Json(rows.iter().map(|r| info(&app, r)).collect()))
}

/// `POST /v1/requests/{id}/cancel`: stops a running request (the job refunds what it did not
/// use); a finished one is a conflict.
pub(super) async fn cancel(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Api<Json<RequestInfo>> {
    let name = user(&app, &caller).await?;
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

/// Where a request's files are: its own folder, or for a cache hit, that of the run it
/// was served from.
async fn files_dir(app: &App, id: &str) -> Api<std::path::PathBuf> {
    let source: String =
        sqlx::query("SELECT COALESCE(cached_from, id) FROM requests WHERE id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await?
            .get(0);
    Ok(app.jobs.dir(&source))
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
    let mut dir = tokio::fs::read_dir(files_dir(app, &r.id).await?)
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

/// `GET /v1/requests/{id}/files`: what a completed request wrote.
pub(super) async fn files(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Api<Json<Vec<FileInfo>>> {
    let name = user(&app, &caller).await?;
    let r = owned(&app, &name, &id).await?;
    Ok(Json(output_files(&app, &r).await?))
}

/// `GET /v1/requests/{id}/files/{name}`: one listed file, streamed.
pub(super) async fn file(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path((id, file)): Path<(String, String)>,
) -> Api<Response> {
    let name = user(&app, &caller).await?;
    let r = owned(&app, &name, &id).await?;
    // Only names from the listing: no path can reach outside the request's directory.
    let listed = output_files(&app, &r).await?;
    let f = listed.iter().find(|f| f.name == file).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!("request {id} has no file {file}"),
        )
    })?;
    let handle = tokio::fs::File::open(files_dir(&app, &id).await?.join(&f.name))
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

/// `GET /v1/datasets`: every channel and pileup some completed request has made, so users
/// can see what is cached.
pub(super) async fn datasets(State(app): State<Arc<App>>) -> Api<Json<Vec<String>>> {
    let rows = sqlx::query("SELECT DISTINCT channel, pileup FROM requests WHERE state = 'completed' ORDER BY channel, pileup")
        .fetch_all(&app.db.pool)
        .await?;
    Ok(Json(
        rows.iter()
            .map(|r| format!("{}_pu{}", r.get::<String, _>(0), r.get::<i64, _>(1)))
            .collect(),
    ))
}
