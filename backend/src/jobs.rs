//! The job runner: each accepted request generates its sample with the parametric event
//! generator in a blocking task, while the database follows its state and progress.
//!
//! Every state change is a conditional update (`WHERE state IN active`), so a job that is
//! cancelled while it finishes is either completed or cancelled and refunded, never both.
//! At start-up, requests left active by a stopped backend are run again from the start (the
//! generator is deterministic, so the outputs are the same): no job and no credit is lost.

use crate::db::{self, Db, ACTIVE};
use crate::ledger;
use collm_generator::{generate, GenEvent, LhcoSink, ParquetSink, Sink};
use serde_json::json;
use sqlx::Row;
use std::collections::HashMap;
use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Runs jobs and remembers how to stop them.
pub struct Jobs {
    db: Db,
    outputs: PathBuf,
    /// Generated events per second at most (0: as fast as the generator goes); a slower farm
    /// for demonstrations and for tests that must catch a job running.
    throttle: u64,
    running: Mutex<HashMap<String, Arc<Control>>>,
}

struct Control {
    cancel: AtomicBool,
    done: AtomicU64,
}

/// Wraps the real sinks: counts events, honours cancellation and the throttle.
struct Tracked<'a> {
    sinks: Vec<Box<dyn Sink + Send>>,
    control: &'a Control,
    throttle: u64,
    started: Instant,
}

impl Sink for Tracked<'_> {
    fn write(&mut self, event: &GenEvent) -> io::Result<()> {
        if self.control.cancel.load(Ordering::Relaxed) {
            return Err(io::Error::other("cancelled"));
        }
        self.sinks.write(event)?;
        let n = self.control.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.throttle > 0 {
            let due = Duration::from_secs_f64(n as f64 / self.throttle as f64);
            if let Some(wait) = due.checked_sub(self.started.elapsed()) {
                std::thread::sleep(wait);
            }
        }
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.sinks.finish()
    }
}

impl Jobs {
    /// A runner writing under `outputs/{request id}/`.
    pub fn new(db: Db, outputs: PathBuf, throttle: u64) -> Arc<Jobs> {
        Arc::new(Jobs {
            db,
            outputs,
            throttle,
            running: Mutex::new(HashMap::new()),
        })
    }

    /// Where a request's outputs go (`output_hf_repo` of the local backend).
    pub fn dir(&self, id: &str) -> PathBuf {
        self.outputs.join(id)
    }

    /// Events generated so far by a running job.
    pub fn progress(&self, id: &str) -> Option<u64> {
        self.lock().get(id).map(|c| c.done.load(Ordering::Relaxed))
    }

    /// How many jobs are running now (an idle backend with none may exit).
    pub fn active(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Control>>> {
        self.running.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts every request a previous run left active.
    pub async fn recover(self: &Arc<Self>) -> anyhow::Result<usize> {
        let rows = sqlx::query(&format!(
            "SELECT id FROM requests WHERE state IN {ACTIVE} ORDER BY created_epoch"
        ))
        .fetch_all(&self.db.pool)
        .await?;
        for r in &rows {
            self.start(r.get::<String, _>(0));
        }
        Ok(rows.len())
    }

    /// Hands a request to the runner.
    pub fn start(self: &Arc<Self>, id: String) {
        let control = Arc::new(Control {
            cancel: AtomicBool::new(false),
            done: AtomicU64::new(0),
        });
        self.lock().insert(id.clone(), control.clone());
        let jobs = self.clone();
        tokio::spawn(async move {
            let outcome = jobs.run(&id, &control).await;
            if let Err(e) = outcome {
                if let Err(e2) = jobs.fail(&id, &format!("{e:#}")).await {
                    tracing::error!("request {id}: {e:#}; marking it failed also failed: {e2:#}");
                }
            }
            jobs.lock().remove(&id);
        });
    }

    async fn set_state(&self, id: &str, state: &str) -> anyhow::Result<bool> {
        let n = sqlx::query(&format!(
            "UPDATE requests SET state = $1, updated_at = $2 WHERE id = $3 AND state IN {ACTIVE}"
        ))
        .bind(state)
        .bind(db::now().0)
        .bind(id)
        .execute(&self.db.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    async fn run(&self, id: &str, control: &Arc<Control>) -> anyhow::Result<()> {
        let row = sqlx::query("SELECT channel, events, pileup, seed FROM requests WHERE id = $1")
            .bind(id)
            .fetch_one(&self.db.pool)
            .await?;
        let (channel, events, pileup, seed): (String, i64, i64, i64) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        if !self.set_state(id, "submitted").await? || !self.set_state(id, "running").await? {
            return Ok(());
        }
        let dir = self.dir(id);
        let stem = format!("{channel}_pu{pileup}_seed{seed}");
        let (lhco, parquet) = (
            dir.join(format!("{stem}.lhco.gz")),
            dir.join(format!("{stem}.parquet")),
        );
        let ch: collm_generator::Channel = channel.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
        let c = control.clone();
        let throttle = self.throttle;
        let work = tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            std::fs::create_dir_all(&dir)?;
            let sinks: Vec<Box<dyn Sink + Send>> = vec![
                Box::new(LhcoSink::create(&lhco)?),
                Box::new(ParquetSink::create(&parquet)?),
            ];
            let mut sink = Tracked {
                sinks,
                control: &c,
                throttle,
                started: Instant::now(),
            };
            generate(ch, events as u64, pileup as u32, seed as u64, &mut sink)?;
            Ok(())
        });
        let mut work = std::pin::pin!(work);
        loop {
            tokio::select! {
                res = &mut work => {
                    if control.cancel.load(Ordering::Relaxed) {
                        return Ok(());
                    }
                    res??;
                    break;
                }
                () = tokio::time::sleep(Duration::from_millis(250)) => {
                    sqlx::query("UPDATE requests SET done_events = $1 WHERE id = $2")
                        .bind(control.done.load(Ordering::Relaxed) as i64)
                        .bind(id)
                        .execute(&self.db.pool)
                        .await?;
                }
            }
        }
        let (now, epoch) = db::now();
        sqlx::query(&format!(
            "UPDATE requests SET state = 'completed', actual = estimated, done_events = events, output = $1,
             updated_at = $2, completed_epoch = $3 WHERE id = $4 AND state IN {ACTIVE}"
        ))
        .bind(self.dir(id).display().to_string())
        .bind(now)
        .bind(epoch)
        .bind(id)
        .execute(&self.db.pool)
        .await?;
        Ok(())
    }

    /// Marks a request failed and refunds what it was charged (`refund_job_failed`).
    pub async fn fail(&self, id: &str, why: &str) -> anyhow::Result<()> {
        self.finish_with_refund(id, "failed", Some(why), "refund_job_failed", 1.0)
            .await
            .map(|_| ())
    }

    /// Cancels an active request: stops it and refunds the part not generated
    /// (`reconciliation_refund`). `false` if it was no longer active.
    pub async fn cancel(&self, id: &str, events: i64) -> anyhow::Result<bool> {
        let done = match self.lock().get(id) {
            Some(c) => {
                c.cancel.store(true, Ordering::Relaxed);
                c.done.load(Ordering::Relaxed)
            }
            None => 0,
        };
        let unused = 1.0 - (done as f64 / events.max(1) as f64).min(1.0);
        self.finish_with_refund(id, "cancelled", None, "reconciliation_refund", unused)
            .await
    }

    async fn finish_with_refund(
        &self,
        id: &str,
        state: &str,
        why: Option<&str>,
        reason: &str,
        fraction: f64,
    ) -> anyhow::Result<bool> {
        let mut tx = self.db.pool.begin().await?;
        let n = sqlx::query(&format!(
            "UPDATE requests SET state = $1, error_message = $2, updated_at = $3 WHERE id = $4 AND state IN {ACTIVE}"
        ))
        .bind(state)
        .bind(why)
        .bind(db::now().0)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Ok(false);
        }
        let row = sqlx::query("SELECT hf_username, charged, refunded FROM requests WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let (user, charged, refunded): (String, i64, i64) = (row.get(0), row.get(1), row.get(2));
        let refund = ((charged as f64 * fraction).round() as i64).min(charged - refunded);
        if refund > 0 {
            ledger::apply(
                &mut tx,
                &user,
                refund,
                reason,
                Some(json!({"request_id": id})),
            )
            .await?;
            sqlx::query("UPDATE requests SET refunded = refunded + $1 WHERE id = $2")
                .bind(refund)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}
