//! A local backend that speaks the ColliderML contract (`../shared/colliderml-api.md`): users
//! and a transactional credit ledger in SQLite or PostgreSQL, simulation requests with the
//! contract's gates, and jobs that run the parametric event generator of `collm-generator`.
//!
//! The kernel starts one per user as its embedded default; `collm backend serve` runs one for
//! a group. Administration (users, grants, freezing) is on the command line, not on routes.

pub mod auth;
pub mod cli;
pub mod db;
pub mod front;
pub mod jobs;
pub mod ledger;
pub mod log;
pub mod routes;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a running backend shares between requests.
pub struct App {
    /// The database.
    pub db: db::Db,
    /// Token verification.
    pub auth: auth::Auth,
    /// The job runner.
    pub jobs: Arc<jobs::Jobs>,
    /// Requests per user per 5 minutes (the contract's 10).
    pub rate_limit: i64,
    /// Node-hours per calendar month over all users, in thousandths (the contract's 500).
    pub monthly_cap: db::Milli,
    /// An embedded backend's local token and port, with which it answers the client's
    /// challenge (`collm_client::proof`); `None` for a shared backend.
    pub proof: Option<(String, u16)>,
}

/// How to run a backend.
#[derive(Debug, Clone)]
pub struct Config {
    /// Listen address; port 0 picks a free one.
    pub addr: SocketAddr,
    /// `sqlite:PATH` or `postgres://…`.
    pub db: String,
    /// Where job outputs go.
    pub outputs: PathBuf,
    /// Token verification.
    pub verifier: auth::Verifier,
    /// Requests per user per 5 minutes.
    pub rate_limit: i64,
    /// Monthly node-hour cap.
    pub monthly_cap: f64,
    /// Generator events per second at most (0: unthrottled).
    pub throttle: u64,
    /// Exit after this long with no request and no running job (the embedded default, so a
    /// backend nobody uses does not stay forever); `None` serves until stopped.
    pub idle_exit: Option<Duration>,
    /// Connections, and how long a client may take to send its head and a route to answer.
    pub limits: front::Limits,
    /// The embedded backend's local token, the key of its proof of identity; `None` for a
    /// shared backend, which then has no proof route.
    pub local_key: Option<String>,
}

/// Opens the database, resumes the jobs a previous run left, binds, and serves until SIGTERM,
/// SIGINT or (with `idle_exit`) a long enough idle spell; in-flight requests finish first.
/// `on_bound` is told the address (with the real port) once it listens; its error stops the
/// server before it takes a request.
pub async fn serve(
    config: Config,
    on_bound: impl FnOnce(SocketAddr) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let db = db::Db::open(&config.db).await?;
    let jobs = jobs::Jobs::new(db.clone(), config.outputs.clone(), config.throttle);
    let resumed = jobs.recover().await?;
    if resumed > 0 {
        tracing::info!("resumed {resumed} job(s) left by the previous run");
    }
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.addr))?;
    let bound = listener.local_addr()?;
    let app = Arc::new(App {
        db,
        auth: auth::Auth::new(config.verifier.clone()),
        jobs,
        rate_limit: config.rate_limit,
        monthly_cap: db::milli(config.monthly_cap),
        proof: config.local_key.clone().map(|k| (k, bound.port())),
    });
    on_bound(bound)?;
    let began = Instant::now();
    let last_seen = Arc::new(AtomicU64::new(0));
    let seen = last_seen.clone();
    let router = front::with_deadline(routes::router(app.clone()), config.limits.request).layer(
        axum::middleware::from_fn(
            move |req: axum::extract::Request, next: axum::middleware::Next| {
                seen.store(began.elapsed().as_secs(), Ordering::Relaxed);
                next.run(req)
            },
        ),
    );
    let idle = async move {
        let Some(limit) = config.idle_exit else {
            return std::future::pending().await;
        };
        loop {
            tokio::time::sleep(Duration::from_secs(5).min(limit)).await;
            let quiet = quiet_secs(began.elapsed().as_secs(), last_seen.load(Ordering::Relaxed));
            if quiet >= limit.as_secs() && app.jobs.active() == 0 {
                tracing::info!("idle for {quiet} s with no job running: exiting");
                return;
            }
        }
    };
    let stop = async move {
        tokio::select! {
            () = idle => {}
            () = stop_signal() => {}
        }
    };
    front::serve(listener, router, config.limits, stop).await;
    Ok(())
}

/// SIGTERM (what `collm backend stop` sends) or SIGINT.
async fn stop_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        }
        _ => std::future::pending().await,
    }
}

/// Seconds since the last request. The request time is stored by another task from its own
/// clock reading, so it can be a little ahead of `now`; that counts as no quiet time rather
/// than wrapping around to a huge one and exiting at once.
fn quiet_secs(now: u64, last_seen: u64) -> u64 {
    now.saturating_sub(last_seen)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_request_stamped_after_the_idle_check_read_its_clock_is_no_quiet_time() {
        assert_eq!(super::quiet_secs(41, 42), 0);
        assert_eq!(super::quiet_secs(100, 40), 60);
    }
}
