//! `collm backend …`: serve, and the administration that is deliberately not an HTTP route.

use crate::{auth, db::Db, ledger, Config};
use clap::Subcommand;
use std::net::SocketAddr;
use std::path::PathBuf;

/// The user data directory's `collm/backend` folder: the embedded default's database and
/// outputs.
pub fn default_home() -> PathBuf {
    std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."))
        .join("collm/backend")
}

fn default_db() -> String {
    format!("sqlite:{}", default_home().join("colliderml.db").display())
}

/// Backend subcommands.
#[derive(Subcommand, Debug)]
pub enum BackendCommand {
    /// Serve the ColliderML contract.
    Serve {
        /// Address to listen on (port 0: any free port, printed on start).
        #[arg(long, default_value = "127.0.0.1:8765")]
        addr: SocketAddr,
        /// Database: sqlite:PATH or postgres://USER@HOST/DB.
        #[arg(long, default_value_t = default_db())]
        db: String,
        /// Where job outputs go.
        #[arg(long, default_value_os_t = default_home().join("outputs"))]
        outputs: PathBuf,
        /// Also accept Hugging Face tokens, verified with whoami-v2 at this base URL
        /// (https://huggingface.co for the real one).
        #[arg(long, value_name = "URL")]
        hf_whoami: Option<String>,
        /// Requests per user per 5 minutes.
        #[arg(long, default_value_t = 10)]
        rate_limit: i64,
        /// Node-hours per month over all users.
        #[arg(long, default_value_t = 500.0)]
        monthly_cap: f64,
        /// Generate at most this many events per second (0: as fast as possible); a slower
        /// farm, for demonstrations.
        #[arg(long, default_value_t = 0)]
        throttle: u64,
    },
    /// Create a user with a local token; the token is printed alone on the last line, and only
    /// its hash is stored.
    AddUser {
        /// User name.
        name: String,
        /// Database.
        #[arg(long, default_value_t = default_db())]
        db: String,
    },
    /// Grant credits (negative to take back) as an admin_grant ledger entry.
    Grant {
        /// User name.
        name: String,
        /// Credits.
        #[arg(allow_hyphen_values = true)]
        credits: f64,
        /// Database.
        #[arg(long, default_value_t = default_db())]
        db: String,
    },
    /// Freeze or unfreeze submissions (503 while frozen).
    Freeze {
        /// on or off.
        #[arg(value_parser = ["on", "off"])]
        state: String,
        /// Database.
        #[arg(long, default_value_t = default_db())]
        db: String,
    },
    /// Ban or unban a user (403).
    Ban {
        /// User name.
        name: String,
        /// Lift the ban.
        #[arg(long)]
        lift: bool,
        /// Database.
        #[arg(long, default_value_t = default_db())]
        db: String,
    },
    /// Check that every balance equals the sum of its ledger.
    Check {
        /// Database.
        #[arg(long, default_value_t = default_db())]
        db: String,
    },
}

/// Runs a backend subcommand.
pub fn run(cmd: BackendCommand) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        match cmd {
            BackendCommand::Serve {
                addr,
                db,
                outputs,
                hf_whoami,
                rate_limit,
                monthly_cap,
                throttle,
            } => {
                let verifier = match hf_whoami {
                    Some(base) => auth::Verifier::HuggingFace { base },
                    None => auth::Verifier::Local,
                };
                let config = Config {
                    addr,
                    db,
                    outputs,
                    verifier,
                    rate_limit,
                    monthly_cap,
                    throttle,
                };
                crate::serve(config, |a| {
                    println!("collm backend listening on http://{a}")
                })
                .await
            }
            BackendCommand::AddUser { name, db } => {
                let db = Db::open(&db).await?;
                let token = auth::new_token();
                if !ledger::ensure_user(&db, &name, Some(&auth::hash(&token))).await? {
                    sqlx::query("UPDATE users SET token_hash = $1 WHERE hf_username = $2")
                        .bind(auth::hash(&token))
                        .bind(&name)
                        .execute(&db.pool)
                        .await?;
                    println!("{name} existed; a new token replaces the old one");
                } else {
                    println!(
                        "created {name} with {} credits",
                        collm_client::contract::SIGNUP_CREDITS
                    );
                }
                println!("{token}");
                Ok(())
            }
            BackendCommand::Grant { name, credits, db } => {
                let balance = ledger::grant(&Db::open(&db).await?, &name, credits).await?;
                println!("{name}: {} credits", crate::db::credits(balance));
                Ok(())
            }
            BackendCommand::Freeze { state, db } => {
                Db::open(&db)
                    .await?
                    .set_setting("frozen", if state == "on" { "1" } else { "0" })
                    .await?;
                println!(
                    "submissions {}",
                    if state == "on" { "frozen" } else { "open" }
                );
                Ok(())
            }
            BackendCommand::Ban { name, lift, db } => {
                let n = sqlx::query("UPDATE users SET banned = $1 WHERE hf_username = $2")
                    .bind(i64::from(!lift))
                    .bind(&name)
                    .execute(&Db::open(&db).await?.pool)
                    .await?
                    .rows_affected();
                anyhow::ensure!(n == 1, "{name}: no such user");
                println!("{name} {}", if lift { "unbanned" } else { "banned" });
                Ok(())
            }
            BackendCommand::Check { db } => {
                let bad = ledger::consistent(&Db::open(&db).await?).await?;
                anyhow::ensure!(bad.is_empty(), "ledger inconsistent:\n{}", bad.join("\n"));
                println!("ledger consistent");
                Ok(())
            }
        }
    })
}
