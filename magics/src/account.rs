//! `%balance`, `%login` and `%logout`.

use crate::context::MagicContext;
use crate::magic::{Magic, MagicError};
use crate::parse_args;
use crate::sim::show;
use crate::sim::SessionService;
use clap::Parser;
use collm_analysis::text::html_escape;
use collm_client::login::{self, OAuthConfig};
use collm_client::token::{self, Token};
use collm_client::Service;
use serde_json::json;
use std::time::Duration;

/// `%balance`.
pub struct Balance(pub SessionService);

/// Show your credits and the latest ledger entries.
#[derive(Parser)]
#[command(
    name = "%balance",
    about = "Show your credits and the latest ledger entries"
)]
struct BalanceArgs {
    /// How many ledger entries to list (0: none).
    #[arg(long, default_value_t = 5)]
    transactions: u32,
}

impl Magic for Balance {
    crate::describe_magic!(
        "balance",
        Line,
        "your ColliderML credits and recent ledger entries",
        BalanceArgs
    );

    fn run(
        &self,
        args: &str,
        _body: Option<&str>,
        ctx: &mut dyn MagicContext,
    ) -> Result<(), MagicError> {
        let a: BalanceArgs = parse_args("balance", args)?;
        let me = self.0.call(ctx, |c| c.me())?;
        let recent = if a.transactions > 0 {
            self.0.call(ctx, |c| c.transactions(a.transactions))?
        } else {
            Vec::new()
        };
        let backend = self.0.get(ctx)?.service.describe();
        ctx.display(show::balance(&me, &recent, &backend), json!({}), None);
        Ok(())
    }
}

/// `%login`.
pub struct Login(pub SessionService);

/// Sign in to Hugging Face for the ColliderML service.
#[derive(Parser)]
#[command(
    name = "%login",
    about = "Sign in to Hugging Face (OAuth with PKCE, or a pasted token)",
    after_help = "The token is stored where huggingface_hub keeps it ($HF_HOME/token, by default \
                  ~/.cache/huggingface/token, mode 0600), so the Python colliderml package \
                  shares the login. HF_TOKEN, when set, still takes precedence.\n\n\
                  Examples:\n  %login --client-id ID      sign in in the browser\n  \
                  %login --token             paste a token (hidden)"
)]
struct LoginArgs {
    /// Paste a token instead of signing in through the browser.
    #[arg(long)]
    token: bool,
    /// The OAuth application's client id.
    #[arg(long, env = "COLLM_OAUTH_CLIENT_ID", hide_env_values = true)]
    client_id: Option<String>,
    /// The authorization server.
    #[arg(long, env = "COLLM_OAUTH_SERVER", default_value = login::HUGGING_FACE)]
    auth_server: String,
    /// Scopes to ask for.
    #[arg(long = "scope", default_values_t = ["openid".to_owned(), "profile".to_owned()])]
    scopes: Vec<String>,
    /// How long to wait for the browser, in seconds.
    #[arg(long, default_value_t = 300)]
    timeout: u64,
}

impl Magic for Login {
    crate::describe_magic!(
        "login",
        Line,
        "sign in to Hugging Face for the ColliderML service",
        LoginArgs
    );

    fn run(
        &self,
        args: &str,
        _body: Option<&str>,
        ctx: &mut dyn MagicContext,
    ) -> Result<(), MagicError> {
        let a: LoginArgs = parse_args("login", args)?;
        let token = match (a.token, a.client_id) {
            (false, Some(client_id)) => browser_flow(
                ctx,
                &OAuthConfig {
                    server: a.auth_server,
                    client_id,
                    scopes: a.scopes,
                },
                Duration::from_secs(a.timeout),
            )?,
            (pasted, _) => {
                if !pasted {
                    ctx.print(
                        "No OAuth application is configured (--client-id or \
                         COLLM_OAUTH_CLIENT_ID), so paste a token instead; make one at \
                         https://huggingface.co/settings/tokens\n",
                    );
                }
                let line = ctx
                    .read_input("Hugging Face token: ", true)
                    .map_err(|e| anyhow::anyhow!("reading the token: {e}"))?;
                Token::new(&line).ok_or_else(|| {
                    MagicError::Usage("%login: the token was empty; nothing stored".into())
                })?
            }
        };
        let path = token::store(&token).map_err(|e| {
            anyhow::anyhow!(
                "storing the token at {}: {e}",
                token::token_file().display()
            )
        })?;
        self.0.reset();
        ctx.print(&format!(
            "Token stored in {} (mode 0600).\n",
            path.display()
        ));
        if std::env::var_os("HF_TOKEN").is_some_and(|v| !v.is_empty()) {
            ctx.print("Note: HF_TOKEN is set in this kernel's environment and takes precedence over the stored token.\n");
        }
        match Service::configured() {
            Service::Remote(_) => {
                let me = self.0.call(ctx, |c| c.me())?;
                ctx.print(&format!(
                    "Signed in as {} ({} credits).\n",
                    me.hf_username,
                    show::credits(me.credits)
                ));
            }
            Service::Embedded(_) => ctx.print(
                "The embedded local backend keeps its own account; this token is used when \
                 COLLIDERML_BACKEND points at the ColliderML service.\n",
            ),
        }
        Ok(())
    }
}

/// Shows the sign-in link and waits for the browser to come back.
fn browser_flow(
    ctx: &mut dyn MagicContext,
    config: &OAuthConfig,
    timeout: Duration,
) -> Result<Token, MagicError> {
    let pending = login::begin(config).map_err(|e| anyhow::anyhow!("{e}"))?;
    let url = pending.url().to_owned();
    ctx.display(
        json!({
            "text/plain": format!("Open this URL to sign in (waiting up to {} s):\n{url}", timeout.as_secs()),
            "text/html": format!(
                "<a href=\"{0}\" target=\"_blank\" rel=\"noopener\">Sign in with Hugging Face</a> \
                 <small>(waiting up to {1} s; interrupt to give up)</small>",
                html_escape(&url),
                timeout.as_secs()
            ),
        }),
        json!({}),
        None,
    );
    let cancel = ctx.cancel_token();
    pending
        .finish(timeout, &|| cancel.is_cancelled())
        .map_err(|e| match e {
            login::LoginError::Cancelled => MagicError::Cancelled,
            other => MagicError::Failed(anyhow::anyhow!("{other}")),
        })
}

/// `%logout`.
pub struct Logout(pub SessionService);

/// Forget the stored Hugging Face token.
#[derive(Parser)]
#[command(name = "%logout", about = "Forget the stored Hugging Face token")]
struct LogoutArgs {}

impl Magic for Logout {
    crate::describe_magic!(
        "logout",
        Line,
        "forget the stored Hugging Face token",
        LogoutArgs
    );

    fn run(
        &self,
        args: &str,
        _body: Option<&str>,
        ctx: &mut dyn MagicContext,
    ) -> Result<(), MagicError> {
        let _: LogoutArgs = parse_args("logout", args)?;
        let path = token::token_file();
        let removed =
            token::forget().map_err(|e| anyhow::anyhow!("removing {}: {e}", path.display()))?;
        self.0.reset();
        ctx.print(&if removed {
            format!("Removed the token at {}.\n", path.display())
        } else {
            format!("No stored token at {}.\n", path.display())
        });
        for var in ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"] {
            if std::env::var_os(var).is_some_and(|v| !v.is_empty()) {
                ctx.print(&format!(
                    "{var} is still set in this kernel's environment and is still used; \
                     clear it with %env {var}=\n"
                ));
            }
        }
        Ok(())
    }
}
