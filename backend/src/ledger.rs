//! The credit ledger. Every change of a balance is one `UPDATE` of `users.credits` and one
//! `ledger` row in the same transaction, so the balance always equals the sum of its entries;
//! a debit is conditional on the balance covering it, so it never goes negative, whatever runs
//! concurrently.

use crate::db::{self, Db, Milli};
use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// Appends a ledger entry and applies it to the balance, inside `tx`. A debit that the
/// balance does not cover changes nothing and returns `false`.
pub async fn apply(
    tx: &mut Transaction<'_, Any>,
    user: &str,
    delta: Milli,
    reason: &str,
    metadata: Option<Value>,
) -> anyhow::Result<bool> {
    let changed = sqlx::query(
        "UPDATE users SET credits = credits + $1 WHERE hf_username = $2 AND credits + $1 >= 0",
    )
    .bind(delta)
    .bind(user)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Ok(false);
    }
    sqlx::query("INSERT INTO ledger (hf_username, delta, reason, metadata, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(user)
        .bind(delta)
        .bind(reason)
        .bind(metadata.map(|m| m.to_string()))
        .bind(db::now().0)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// Creates the user on first sight, with the signup grant; returns whether it was new. A name
/// that exists with another way of signing in is refused with [`db::NameTaken`].
pub async fn ensure_user(
    db: &Db,
    user: &str,
    sign_in: db::SignIn,
    token_hash: Option<&str>,
) -> anyhow::Result<bool> {
    let mut tx = db.pool.begin().await?;
    let (now, _) = db::now();
    let created = sqlx::query(
        "INSERT INTO users (hf_username, token_hash, credits, banned, created_at, last_seen_at, sign_in)
         VALUES ($1, $2, 0, 0, $3, $3, $4) ON CONFLICT (hf_username) DO NOTHING",
    )
    .bind(user)
    .bind(token_hash)
    .bind(&now)
    .bind(sign_in.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !created {
        let theirs: String = sqlx::query_scalar("SELECT sign_in FROM users WHERE hf_username = $1")
            .bind(user)
            .fetch_one(&mut *tx)
            .await?;
        if theirs != sign_in.as_str() {
            return Err(db::NameTaken {
                name: user.to_owned(),
                theirs: db::SignIn::parse(&theirs),
                wanted: sign_in,
            }
            .into());
        }
    }
    if created {
        let grant = db::milli(collm_contract::SIGNUP_CREDITS);
        apply(&mut tx, user, grant, "signup", None).await?;
    } else {
        sqlx::query("UPDATE users SET last_seen_at = $1 WHERE hf_username = $2")
            .bind(&now)
            .bind(user)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(created)
}

/// A user's balance in thousandths, or `None` for an unknown user.
pub async fn balance(db: &Db, user: &str) -> anyhow::Result<Option<Milli>> {
    let row: Option<AnyRow> = sqlx::query("SELECT credits FROM users WHERE hf_username = $1")
        .bind(user)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|r| r.get::<i64, _>(0)))
}

/// Grants (or, negative, takes back) credits as an `admin_grant`; fails rather than leave a
/// negative balance.
pub async fn grant(db: &Db, user: &str, credits: f64) -> anyhow::Result<Milli> {
    let delta = db::checked_milli(credits)?;
    // Under the charging lock, so two grants cannot both pass the ceiling check.
    let mut tx = db.begin_charging().await?;
    let ceiling = db::milli(db::MAX_CREDITS);
    let after: Option<Milli> =
        sqlx::query_scalar("SELECT credits FROM users WHERE hf_username = $1")
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?
            .map(|c: Milli| c.saturating_add(delta));
    if after.is_some_and(|a| a > ceiling) {
        anyhow::bail!(
            "{user}: a grant of {credits} would take the balance above {:e} credits",
            db::MAX_CREDITS
        );
    }
    if !apply(&mut tx, user, delta, "admin_grant", None).await? {
        anyhow::bail!("{user}: unknown user, or the balance cannot cover {credits}");
    }
    tx.commit().await?;
    balance(db, user)
        .await?
        .ok_or_else(|| anyhow::anyhow!("{user}: unknown user"))
}

/// Whether the sum of every user's ledger equals their balance (the invariant the tests and
/// `collm backend check` verify).
pub async fn consistent(db: &Db) -> anyhow::Result<Vec<String>> {
    let rows: Vec<AnyRow> = sqlx::query(
        "SELECT u.hf_username, u.credits, CAST(COALESCE(SUM(l.delta), 0) AS BIGINT) FROM users u
         LEFT JOIN ledger l ON l.hf_username = u.hf_username GROUP BY u.hf_username, u.credits",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let (u, c, s): (String, i64, i64) = (r.get(0), r.get(1), r.get(2));
            (c != s).then(|| {
                format!(
                    "{u}: balance {} but ledger sums to {}",
                    db::credits(c),
                    db::credits(s)
                )
            })
        })
        .collect())
}
