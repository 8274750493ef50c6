//! The database: one schema for SQLite (WAL, the embedded default) and PostgreSQL, reached
//! through sqlx's `Any` driver so every query is written once.
//!
//! Credits are stored as integer thousandths (the contract keeps 3 decimals), so sums are
//! exact and the ledger can be checked to the last digit.

use anyhow::Context;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Row, Transaction};

/// Which SQL dialect the URL selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `sqlite:PATH`.
    Sqlite,
    /// `postgres://…`.
    Postgres,
}

/// The pool and its dialect.
#[derive(Clone)]
pub struct Db {
    /// Connections.
    pub pool: AnyPool,
    /// The dialect, for the few statements that differ.
    pub dialect: Dialect,
}

/// Thousandths of a credit, the ledger's unit.
pub type Milli = i64;

/// Credits as the API shows them.
pub fn credits(m: Milli) -> f64 {
    m as f64 / 1000.0
}

/// Credits to thousandths, rounded as the contract rounds.
pub fn milli(credits: f64) -> Milli {
    (credits * 1000.0).round() as Milli
}

/// The largest credit amount one grant may move, and the largest balance an account may
/// hold: far above any real allocation, far below where thousandths overflow an `i64`.
pub const MAX_CREDITS: f64 = 1e9;

/// [`milli`] for an amount a person typed: it must be a finite number of at most
/// [`MAX_CREDITS`] either way, so `inf`, `NaN` and `1e300` are refused by name instead of
/// saturating into the ledger.
pub fn checked_milli(credits: f64) -> anyhow::Result<Milli> {
    anyhow::ensure!(
        credits.is_finite() && credits.abs() <= MAX_CREDITS,
        "{credits} credits: an amount must be a finite number between -{MAX_CREDITS:e} and {MAX_CREDITS:e}"
    );
    Ok(milli(credits))
}

/// How an account signs in. A name is one account, bound to the way it was first created:
/// a Hugging Face user whose name equals a local user's name does not get that local account
/// (or its credits), and `add-user` does not hand out a local token for a Hugging Face name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    /// A token issued by `collm backend add-user` (or the embedded backend's local token).
    Local,
    /// A Hugging Face token verified with `whoami-v2`.
    HuggingFace,
}

impl SignIn {
    /// As stored in `users.sign_in`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignIn::Local => "local",
            SignIn::HuggingFace => "hf",
        }
    }

    /// For messages.
    pub fn describe(self) -> &'static str {
        match self {
            SignIn::Local => "a local token",
            SignIn::HuggingFace => "Hugging Face",
        }
    }

    /// From `users.sign_in`.
    pub(crate) fn parse(s: &str) -> SignIn {
        if s == "hf" {
            SignIn::HuggingFace
        } else {
            SignIn::Local
        }
    }
}

/// A name already taken by an account that signs in another way.
#[derive(Debug, thiserror::Error)]
#[error("the name {name} belongs to an account that signs in with {}; it cannot be used with {}", .theirs.describe(), .wanted.describe())]
pub struct NameTaken {
    /// The name.
    pub name: String,
    /// How its account signs in.
    pub theirs: SignIn,
    /// How the caller signed in.
    pub wanted: SignIn,
}

/// Request states that are still moving; at most one request per user and parameters may be
/// in one of them (enforced by a partial unique index, so concurrent duplicates cannot slip
/// through).
pub const ACTIVE: &str = "('queued', 'submitted', 'running')";

/// The PostgreSQL advisory lock key of [`Db::begin_charging`] ("collm" in ASCII).
const CHARGING_LOCK: i64 = 0x0063_6f6c_6c6d;

impl Db {
    /// Like [`Db::open`], for admin commands that act on an existing ledger: a mistyped SQLite
    /// path is an error, not a fresh empty database on which `check` or `freeze` would
    /// report success while the real one is untouched.
    pub async fn open_existing(url: &str) -> anyhow::Result<Db> {
        if let Some(path) = url.strip_prefix("sqlite:") {
            let file = std::path::Path::new(path.split('?').next().unwrap_or(path));
            anyhow::ensure!(
                file.is_file(),
                "--db {url}: no database there (a backend creates it when it first starts, \
                 and `add-user` creates it on purpose); check the path"
            );
        }
        Db::open(url).await
    }

    /// Connects to `url` (`sqlite:PATH` or `postgres://…`) and creates the schema if needed.
    pub async fn open(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let dialect = if url.starts_with("postgres") {
            Dialect::Postgres
        } else if url.starts_with("sqlite:") {
            Dialect::Sqlite
        } else {
            anyhow::bail!("--db {url}: expected sqlite:PATH or postgres://…");
        };
        if let Some(path) = url.strip_prefix("sqlite:") {
            let file = std::path::Path::new(path.split('?').next().unwrap_or(path));
            if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {} for the database", dir.display()))?;
            }
        }
        let url = match dialect {
            Dialect::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_owned(),
        };
        // SQLite allows one writer at a time; a single connection serialises the ledger's
        // transactions instead of failing them with "database is locked".
        let max = if dialect == Dialect::Sqlite { 1 } else { 16 };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .connect(&url)
            .await
            .with_context(|| format!("opening the database {}", redact(&url)))?;
        let db = Db { pool, dialect };
        db.migrate().await?;
        Ok(db)
    }

    async fn migrate(&self) -> anyhow::Result<()> {
        let id = match self.dialect {
            Dialect::Sqlite => "INTEGER PRIMARY KEY AUTOINCREMENT",
            Dialect::Postgres => "BIGSERIAL PRIMARY KEY",
        };
        if self.dialect == Dialect::Sqlite {
            sqlx::query("PRAGMA journal_mode=WAL")
                .execute(&self.pool)
                .await?;
        }
        let statements = [
            "CREATE TABLE IF NOT EXISTS users (
                hf_username TEXT PRIMARY KEY,
                token_hash TEXT UNIQUE,
                email TEXT,
                credits BIGINT NOT NULL CHECK (credits >= 0),
                banned BIGINT NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                last_seen_at TEXT NOT NULL,
                sign_in TEXT NOT NULL DEFAULT 'local')"
                .to_owned(),
            format!(
                "CREATE TABLE IF NOT EXISTS ledger (
                id {id},
                hf_username TEXT NOT NULL REFERENCES users(hf_username),
                delta BIGINT NOT NULL,
                reason TEXT NOT NULL,
                metadata TEXT,
                created_at TEXT NOT NULL)"
            ),
            "CREATE TABLE IF NOT EXISTS requests (
                id TEXT PRIMARY KEY,
                hf_username TEXT NOT NULL REFERENCES users(hf_username),
                channel TEXT NOT NULL,
                events BIGINT NOT NULL,
                pileup BIGINT NOT NULL,
                seed BIGINT NOT NULL,
                state TEXT NOT NULL,
                estimated BIGINT NOT NULL,
                actual BIGINT,
                charged BIGINT NOT NULL,
                refunded BIGINT NOT NULL DEFAULT 0,
                done_events BIGINT NOT NULL DEFAULT 0,
                output TEXT,
                error_message TEXT,
                created_at TEXT NOT NULL,
                created_epoch BIGINT NOT NULL,
                updated_at TEXT NOT NULL,
                completed_epoch BIGINT,
                cached_from TEXT)"
                .to_owned(),
            format!(
                "CREATE UNIQUE INDEX IF NOT EXISTS requests_one_active ON requests
                (hf_username, channel, events, pileup, seed) WHERE state IN {ACTIVE}"
            ),
            "CREATE INDEX IF NOT EXISTS requests_by_user ON requests (hf_username, created_epoch)"
                .to_owned(),
            "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
                .to_owned(),
        ];
        for s in statements {
            sqlx::query(&s).execute(&self.pool).await.with_context(|| {
                format!("creating the schema: {}", s.lines().next().unwrap_or(""))
            })?;
        }
        self.add_missing_columns().await
    }

    /// Columns added after a database may have been created: `users.sign_in` (accounts made
    /// before it: those with a local token sign in locally, the others came from Hugging
    /// Face) and `requests.cached_from` (the request whose files a cache hit reads).
    async fn add_missing_columns(&self) -> anyhow::Result<()> {
        let added = [
            (
                "users",
                "sign_in TEXT NOT NULL DEFAULT 'local'",
                Some("UPDATE users SET sign_in = 'hf' WHERE token_hash IS NULL"),
            ),
            ("requests", "cached_from TEXT", None),
        ];
        for (table, column, fill) in added {
            let name = column.split(' ').next().unwrap_or(column);
            let present = sqlx::query(&format!("SELECT {name} FROM {table} LIMIT 0"))
                .execute(&self.pool)
                .await
                .is_ok();
            if present {
                continue;
            }
            for statement in std::iter::once(format!("ALTER TABLE {table} ADD COLUMN {column}"))
                .chain(fill.map(str::to_owned))
            {
                sqlx::query(&statement)
                    .execute(&self.pool)
                    .await
                    .with_context(|| format!("adding {table}.{name}: {statement}"))?;
            }
        }
        Ok(())
    }

    /// A transaction that holds the lock every charge takes, from its first statement to its
    /// commit, so that gates read inside it (the rate limit, the monthly cap, the balance
    /// ceiling) cannot be passed by two transactions at once. On SQLite that is the database's
    /// write lock (`BEGIN IMMEDIATE`, so even another process, such as an admin command, waits
    /// rather than interleaving); on PostgreSQL a transaction-scoped advisory lock. The lock is
    /// global rather than per user because the monthly cap is shared by all users; the
    /// transactions under it are a handful of short statements.
    pub async fn begin_charging(&self) -> anyhow::Result<Transaction<'static, Any>> {
        match self.dialect {
            Dialect::Sqlite => Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?),
            Dialect::Postgres => {
                let mut tx = self.pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(CHARGING_LOCK)
                    .execute(&mut *tx)
                    .await?;
                Ok(tx)
            }
        }
    }

    /// How the account `name` signs in, if it exists.
    pub async fn sign_in(&self, name: &str) -> anyhow::Result<Option<SignIn>> {
        let row: Option<String> =
            sqlx::query_scalar("SELECT sign_in FROM users WHERE hf_username = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.as_deref().map(SignIn::parse))
    }

    /// A setting's value (`frozen`), if set.
    pub async fn setting(&self, key: &str) -> anyhow::Result<Option<String>> {
        let row: Option<AnyRow> = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.get::<String, _>(0)))
    }

    /// Sets a setting.
    pub async fn set_setting(&self, key: &str, value: &str) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM settings WHERE key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The URL without a password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://…@{}", &url[..s], &url[at + 1..]),
        _ => url.to_owned(),
    }
}

/// Now, as RFC 3339 text and Unix seconds.
pub fn now() -> (String, i64) {
    let t = chrono::Utc::now();
    (
        t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        t.timestamp(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ledger made before `sign_in` and `cached_from` existed gains both on opening: its
    /// users with a local token sign in locally, the others with Hugging Face.
    #[test]
    fn an_older_database_gains_the_new_columns() {
        let dir = std::env::temp_dir().join(format!("collm-db-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("dir");
        let url = format!("sqlite:{}?mode=rwc", dir.join("old.db").display());
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let signs = rt.block_on(async {
            sqlx::any::install_default_drivers();
            let old = AnyPool::connect(&url).await.expect("old");
            for s in [
                "CREATE TABLE users (hf_username TEXT PRIMARY KEY, token_hash TEXT UNIQUE, email TEXT,
                 credits BIGINT NOT NULL, banned BIGINT NOT NULL DEFAULT 0, created_at TEXT NOT NULL,
                 last_seen_at TEXT NOT NULL)",
                "INSERT INTO users VALUES ('local_ann', 'abc', NULL, 0, 0, 't', 't')",
                "INSERT INTO users VALUES ('hf_ben', NULL, NULL, 0, 0, 't', 't')",
                "CREATE TABLE requests (id TEXT PRIMARY KEY, hf_username TEXT NOT NULL, channel TEXT NOT NULL,
                 events BIGINT NOT NULL, pileup BIGINT NOT NULL, seed BIGINT NOT NULL, state TEXT NOT NULL,
                 estimated BIGINT NOT NULL, actual BIGINT, charged BIGINT NOT NULL,
                 refunded BIGINT NOT NULL DEFAULT 0, done_events BIGINT NOT NULL DEFAULT 0, output TEXT,
                 error_message TEXT, created_at TEXT NOT NULL, created_epoch BIGINT NOT NULL,
                 updated_at TEXT NOT NULL, completed_epoch BIGINT)",
            ] {
                sqlx::query(s).execute(&old).await.expect("old schema");
            }
            old.close().await;
            let db = Db::open(&url).await.expect("open");
            sqlx::query("SELECT cached_from FROM requests")
                .execute(&db.pool)
                .await
                .expect("cached_from");
            (
                db.sign_in("local_ann").await.expect("ann"),
                db.sign_in("hf_ben").await.expect("ben"),
            )
        });
        assert_eq!(signs, (Some(SignIn::Local), Some(SignIn::HuggingFace)));
        std::fs::remove_dir_all(dir).expect("clean");
    }
}
