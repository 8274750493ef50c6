//! The HTTP routes of the contract: users and credits, simulation requests (gates in the
//! documented order), and the local+ estimate, cancel and files routes.

mod account;
mod cache;
mod requests;
mod simulate;

use crate::auth::AuthError;
use crate::{ledger, App};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
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
        .route("/v1/me", get(account::me))
        .route("/v1/me/transactions", get(account::transactions))
        .route("/v1/estimate", post(simulate::quote))
        .route("/v1/simulate", post(simulate::simulate))
        .route("/v1/requests", get(requests::list))
        .route("/v1/requests/{id}", get(requests::one))
        .route("/v1/requests/{id}/cancel", post(requests::cancel))
        .route("/v1/requests/{id}/files", get(requests::files))
        .route("/v1/requests/{id}/files/{name}", get(requests::file))
        .route("/v1/datasets", get(requests::datasets))
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

/// The `?limit=` of the listing routes.
#[derive(Deserialize)]
struct Limit {
    limit: Option<i64>,
}
