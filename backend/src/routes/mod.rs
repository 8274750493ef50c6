//! The HTTP routes of the contract: users and credits, simulation requests (gates in the
//! documented order), and the local+ estimate, cancel and files routes.

mod account;
mod cache;
mod requests;
mod simulate;

use crate::auth::AuthError;
use crate::{ledger, App};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::net::{IpAddr, SocketAddr};
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
        .route(collm_client::proof::ROUTE, get(account::proof))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "no such route") })
        .layer(axum::middleware::from_fn(json_errors))
        .with_state(app)
}

/// Turns an error response the framework made (a rejected query, a body over the size limit,
/// an unsupported media type, a method not allowed) into the contract's `{"detail": …}`, with
/// the framework's text as the detail; responses that are JSON already pass unchanged.
async fn json_errors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let resp = next.run(req).await;
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let detail = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_owned()
    } else {
        text
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_TYPE);
    let mut out = ApiError::new(status, detail).into_response();
    out.headers_mut().extend(parts.headers);
    out
}

/// Who is calling a route: the `Authorization` header, and the client's address (set by the
/// front door), against which new-token verifications are counted.
pub(super) struct Caller {
    authorization: Option<String>,
    peer: Option<IpAddr>,
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Caller, Self::Rejection> {
        Ok(Caller {
            authorization: parts
                .headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            peer: parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        })
    }
}

async fn user(app: &App, caller: &Caller) -> Api<String> {
    let h = caller.authorization.as_deref();
    match app.auth.user(&app.db, h, caller.peer).await {
        Ok((name, sign_in)) => match ledger::ensure_user(&app.db, &name, sign_in, None).await {
            Ok(_) => Ok(name),
            Err(e) => match e.downcast_ref::<crate::db::NameTaken>() {
                Some(taken) => Err(ApiError::new(StatusCode::FORBIDDEN, taken.to_string())),
                None => Err(e.into()),
            },
        },
        Err(AuthError::Missing) => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "missing or malformed Authorization header: expected `Bearer <token>`",
        )),
        Err(AuthError::Invalid) => Err(ApiError::new(StatusCode::UNAUTHORIZED, "invalid token")),
        Err(AuthError::TooMany(why)) => Err(ApiError::new(StatusCode::TOO_MANY_REQUESTS, why)),
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
