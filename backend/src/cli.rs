//! `collm backend …`: serve, and the administration that is deliberately not an HTTP route.

use crate::{auth, db::Db, ledger, Config};
use clap::Subcommand;
use collm_client::embedded::{Home, ServerState};
use std::net::SocketAddr;
use std::path::PathBuf;

fn default_home() -> PathBuf {
    Home::default_location().dir().to_path_buf()
}

fn default_db() -> String {
    Home::default_location().db_url()
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
        #[arg(long, default_value_os_t = Home::default_location().outputs())]
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
        /// Connections open at once; more are answered 503.
        #[arg(long, default_value_t = 256)]
        max_connections: usize,
        /// Seconds a client may take to send a request head.
        #[arg(long, default_value_t = 10)]
        header_timeout: u64,
        /// Seconds a route may take to answer.
        #[arg(long, default_value_t = 60)]
        request_timeout: u64,
        /// The log (appended, 0600; also written to stderr). `COLLM_LOG` sets the level.
        #[arg(long, default_value_os_t = Home::default_location().log_file())]
        log: PathBuf,
    },
    /// The embedded default the kernel starts: serves on a free loopback port for the local
    /// user, with everything under HOME (database, outputs, `server.json`, the 0600
    /// `local-token`), and exits after an idle spell.
    Embedded {
        /// The folder ($COLLM_BACKEND_HOME, else the user data dir's collm/backend).
        #[arg(long, default_value_os_t = default_home())]
        home: PathBuf,
        /// Exit after this many seconds with no request and no running job (0: never).
        #[arg(long, default_value_t = 7200)]
        idle_exit: u64,
        /// Credits the local user gets on top of the sign-up grant when first created: the
        /// machine is the user's own, so the allowance is generous.
        #[arg(long, default_value_t = 1000.0)]
        local_credits: f64,
        /// Requests per 5 minutes.
        #[arg(long, default_value_t = 600)]
        rate_limit: i64,
        /// Generate at most this many events per second (0: as fast as possible); a slower
        /// farm, for demonstrations.
        #[arg(long, default_value_t = 0)]
        throttle: u64,
    },
    /// Stop the embedded backend of HOME, if one is running.
    Stop {
        /// The folder ($COLLM_BACKEND_HOME, else the user data dir's collm/backend).
        #[arg(long, default_value_os_t = default_home())]
        home: PathBuf,
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

/// The local user's name: the login name, so ledgers of different users never mix.
fn local_user() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| {
            !u.is_empty()
                && u.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        })
        .unwrap_or_else(|| "local".to_owned())
}

/// Makes sure the local user exists and `local-token` holds a token the database accepts (a
/// new user also gets the local allowance); returns that token.
async fn local_token(db: &Db, home: &Home, local_credits: f64) -> anyhow::Result<String> {
    let name = local_user();
    let stored = std::fs::read_to_string(home.token_file()).ok();
    let known: Option<String> =
        sqlx::query_scalar("SELECT token_hash FROM users WHERE hf_username = $1")
            .bind(&name)
            .fetch_optional(&db.pool)
            .await?
            .flatten();
    if let (Some(t), Some(h)) = (stored.as_deref(), known.as_deref()) {
        if auth::hash(t.trim()) == h {
            return Ok(t.trim().to_owned());
        }
    }
    let (token, created) = auth::issue_local_token(db, &name).await?;
    if created && local_credits > 0.0 {
        ledger::grant(db, &name, local_credits).await?;
    }
    collm_client::token::write_private(&home.token_file(), &token)?;
    Ok(token)
}

/// Serves `config` (its database and outputs replaced by the home's) for the local user.
async fn embedded(home: Home, config: Config, local_credits: f64) -> anyhow::Result<()> {
    home.create()?;
    crate::log::init(&home.log_file())?;
    let token = local_token(&Db::open(&home.db_url()).await?, &home, local_credits).await?;
    let config = Config {
        db: home.db_url(),
        outputs: home.outputs(),
        local_key: Some(token),
        ..config
    };
    let outcome = crate::serve(config, |a| {
        println!("collm embedded backend listening on http://{a}");
        tracing::info!(
            "embedded backend of {} listening on http://{a}",
            home.dir().display()
        );
        home.write_server(&ServerState {
            url: format!("http://{a}"),
            pid: std::process::id(),
        })
        .map_err(|e| anyhow::anyhow!("{}: {e}", home.state_file().display()))
    })
    .await;
    if home.server().is_some_and(|s| s.pid == std::process::id()) {
        let _ = std::fs::remove_file(home.state_file());
    }
    outcome
}

/// Runs a backend subcommand.
pub fn run(cmd: BackendCommand) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(execute(cmd))
}

async fn execute(cmd: BackendCommand) -> anyhow::Result<()> {
    match cmd {
        BackendCommand::Serve {
            addr,
            db,
            outputs,
            hf_whoami,
            rate_limit,
            monthly_cap,
            throttle,
            max_connections,
            header_timeout,
            request_timeout,
            log,
        } => {
            crate::log::init(&log)?;
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
                idle_exit: None,
                limits: crate::front::Limits {
                    connections: max_connections.max(1),
                    header_read: std::time::Duration::from_secs(header_timeout.max(1)),
                    request: std::time::Duration::from_secs(request_timeout.max(1)),
                },
                local_key: None,
            };
            crate::serve(config, |a| {
                println!("collm backend listening on http://{a}");
                tracing::info!("listening on http://{a}");
                Ok(())
            })
            .await
        }
        BackendCommand::Embedded {
            home,
            idle_exit,
            local_credits,
            rate_limit,
            throttle,
        } => {
            let config = Config {
                addr: "127.0.0.1:0".parse()?,
                db: String::new(),
                outputs: PathBuf::new(),
                verifier: auth::Verifier::Local,
                rate_limit,
                monthly_cap: 500.0,
                throttle,
                idle_exit: (idle_exit > 0).then(|| std::time::Duration::from_secs(idle_exit)),
                limits: crate::front::Limits::default(),
                local_key: None,
            };
            embedded(Home::at(home), config, local_credits).await
        }
        BackendCommand::Stop { home } => stop(Home::at(home)),
        BackendCommand::AddUser { name, db } => add_user(&name, &db).await,
        BackendCommand::Grant { name, credits, db } => grant(&name, credits, &db).await,
        BackendCommand::Freeze { state, db } => freeze(state == "on", &db).await,
        BackendCommand::Ban { name, lift, db } => ban(&name, lift, &db).await,
        BackendCommand::Check { db } => check(&db).await,
    }
}

/// `stop`: ends the embedded backend of `home`; none running is not an error.
fn stop(home: Home) -> anyhow::Result<()> {
    if collm_client::embedded::stop(&home)? {
        println!("stopped the backend of {}", home.dir().display());
    } else {
        println!("no backend running for {}", home.dir().display());
    }
    Ok(())
}

/// `add-user`: the token goes to stdout on its own line, so scripts can take it.
async fn add_user(name: &str, db: &str) -> anyhow::Result<()> {
    let (token, created) = auth::issue_local_token(&Db::open(db).await?, name).await?;
    if created {
        println!(
            "created {name} with {} credits",
            collm_contract::SIGNUP_CREDITS
        );
    } else {
        println!("{name} existed; a new token replaces the old one");
    }
    println!("{token}");
    Ok(())
}

/// `grant`: prints the balance after the grant.
async fn grant(name: &str, credits: f64, db: &str) -> anyhow::Result<()> {
    let balance = ledger::grant(&Db::open_existing(db).await?, name, credits).await?;
    println!("{name}: {} credits", crate::db::credits(balance));
    Ok(())
}

/// `freeze on|off`.
async fn freeze(on: bool, db: &str) -> anyhow::Result<()> {
    Db::open_existing(db)
        .await?
        .set_setting("frozen", if on { "1" } else { "0" })
        .await?;
    println!("submissions {}", if on { "frozen" } else { "open" });
    Ok(())
}

/// `ban [--lift]`: an unknown user is an error, not a silent no-op.
async fn ban(name: &str, lift: bool, db: &str) -> anyhow::Result<()> {
    let n = sqlx::query("UPDATE users SET banned = $1 WHERE hf_username = $2")
        .bind(i64::from(!lift))
        .bind(name)
        .execute(&Db::open_existing(db).await?.pool)
        .await?
        .rows_affected();
    anyhow::ensure!(n == 1, "{name}: no such user");
    println!("{name} {}", if lift { "unbanned" } else { "banned" });
    Ok(())
}

/// `check`: fails, listing them, when any balance disagrees with its ledger.
async fn check(db: &str) -> anyhow::Result<()> {
    let bad = ledger::consistent(&Db::open_existing(db).await?).await?;
    anyhow::ensure!(bad.is_empty(), "ledger inconsistent:\n{}", bad.join("\n"));
    println!("ledger consistent");
    Ok(())
}
