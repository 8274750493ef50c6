//! `collm simulate`, `collm status`, `collm balance`, `collm login` and `collm logout`: the
//! simulation magics from a terminal, through the same code a notebook runs.

use collm_magics::{MagicError, TerminalContext};
use tokio_util::sync::CancellationToken;

/// A token that Ctrl-C cancels, so `--wait` stops waiting (the job keeps running).
fn ctrl_c_token() -> CancellationToken {
    let token = CancellationToken::new();
    let fire = token.clone();
    std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        rt.block_on(async {
            if tokio::signal::ctrl_c().await.is_ok() {
                fire.cancel();
            }
        });
    });
    token
}

/// Runs `%name words…` in the terminal. Exits 130 when interrupted, as shells expect.
pub fn run_magic(name: &str, words: &[String]) -> anyhow::Result<()> {
    let registry = collm_magics::Magics::all().registry;
    let args = shlex::try_join(words.iter().map(String::as_str))
        .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let interrupted = ctrl_c_token();
    let mut ctx = TerminalContext::new(interrupted.clone());
    match registry.run(name, &args, None, &mut ctx) {
        // Ctrl-C that the magic had no point to check still ends the command as interrupted.
        Ok(()) if interrupted.is_cancelled() => std::process::exit(130),
        Ok(()) => Ok(()),
        Err(MagicError::Cancelled) => std::process::exit(130),
        Err(MagicError::Usage(m) | MagicError::Help(m)) => {
            anyhow::bail!(
                "{}",
                m.replace(&format!("%{name}"), &format!("collm {name}"))
            )
        }
        Err(e) => Err(anyhow::anyhow!("{e}")),
    }
}
