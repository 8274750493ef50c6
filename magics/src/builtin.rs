//! General-purpose magics: `%time`, `%env`, `%pwd`.

use crate::context::MagicContext;
use crate::magic::{Magic, MagicError};
use crate::parse_args;
use crate::registry::Registry;
use clap::Parser;
use std::sync::Arc;
use std::time::Instant;

/// Adds the general-purpose magics to a registry.
pub fn register_builtins(registry: &mut Registry) {
    registry.register(Arc::new(Time));
    registry.register(Arc::new(Env));
    registry.register(Arc::new(Pwd));
    registry.register(Arc::new(Sleep));
    registry.register(Arc::new(Fix));
}

/// `%time CODE` / `%%time`: wall-clock time of running code.
struct Time;

/// Time the execution of Rust code or of another magic.
#[derive(Parser)]
#[command(
    name = "%time",
    about = "Run code and report the wall-clock time it took"
)]
struct TimeArgs {
    /// Code to run (line form); the cell form times the cell body.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    code: Vec<String>,
}

impl Magic for Time {
    crate::describe_magic!(
        "time",
        Both,
        "run code and report the wall-clock time it took",
        TimeArgs
    );
    fn run(
        &self,
        args: &str,
        body: Option<&str>,
        ctx: &mut dyn MagicContext,
    ) -> Result<(), MagicError> {
        let code = match body {
            Some(body) => {
                if args.trim() == "--help" || args.trim() == "-h" {
                    parse_args::<TimeArgs>("time", args)?;
                }
                body.to_string()
            }
            None if args.trim_start().starts_with('-') => {
                parse_args::<TimeArgs>("time", args)?;
                args.to_string()
            }
            None => args.to_string(),
        };
        let start = Instant::now();
        let result = ctx.run_code(&code);
        let elapsed = start.elapsed();
        ctx.print(&format!("Wall time: {}\n", human_duration(elapsed)));
        result.map_err(MagicError::Failed)
    }
}

/// Formats a duration the way IPython's `%time` does (µs, ms or s).
pub fn human_duration(d: std::time::Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1e-3 {
        format!("{:.0} µs", s * 1e6)
    } else if s < 1.0 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}

/// `%env`: show or set environment variables.
struct Env;

/// List, show or set environment variables (also seen by Rust cells).
#[derive(Parser)]
#[command(
    name = "%env",
    about = "List, show or set environment variables",
    after_help = "Examples:\n  %env                 list all variables\n  %env HOME            show one\n  %env RUST_LOG=debug  set one (Rust cells see it too)\n  %env RUST_LOG debug  the same"
)]
struct EnvArgs {
    /// `NAME`, `NAME=VALUE`, or `NAME VALUE`.
    #[arg(num_args = 0..=2)]
    words: Vec<String>,
}

impl Magic for Env {
    crate::describe_magic!(
        "env",
        Line,
        "list, show or set environment variables",
        EnvArgs
    );
    fn run(
        &self,
        args: &str,
        _body: Option<&str>,
        ctx: &mut dyn MagicContext,
    ) -> Result<(), MagicError> {
        let parsed: EnvArgs = parse_args("env", args)?;
        match parsed.words.as_slice() {
            [] => {
                let mut vars: Vec<(String, String)> =
                    std::env::vars().filter(|(k, _)| !is_secret(k)).collect();
                vars.sort();
                let text: String = vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
                ctx.print(&text);
            }
            [one] => match one.split_once('=') {
                Some((k, v)) => set(ctx, k, v)?,
                None => match std::env::var(one) {
                    Ok(_) if is_secret(one) => ctx.print(&format!("{one} is set (value hidden)\n")),
                    Ok(v) => ctx.print(&format!("{v}\n")),
                    Err(_) => {
                        return Err(MagicError::Usage(format!(
                            "%env: environment variable {one} is not set"
                        )))
                    }
                },
            },
            [k, v] => set(ctx, k, v)?,
            _ => unreachable!("clap limits %env to two words"),
        }
        Ok(())
    }
}

fn set(ctx: &mut dyn MagicContext, key: &str, value: &str) -> Result<(), MagicError> {
    if key.is_empty() || key.contains(['=', '\0']) || value.contains('\0') {
        return Err(MagicError::Usage(format!(
            "%env: `{key}` is not a valid variable name"
        )));
    }
    ctx.set_env(key, value)?;
    let shown = if is_secret(key) { "<hidden>" } else { value };
    ctx.print(&format!("env: {key}={shown}\n"));
    Ok(())
}

/// Variables whose values must never appear in a notebook (tokens, keys).
fn is_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["TOKEN", "SECRET", "PASSWORD", "KEY"]
        .iter()
        .any(|w| upper.contains(w))
}

/// `%pwd`: the kernel's working directory.
struct Pwd;

/// Print the kernel's working directory.
#[derive(Parser)]
#[command(name = "%pwd", about = "Print the kernel's working directory")]
struct PwdArgs {}

impl Magic for Pwd {
    crate::describe_magic!("pwd", Line, "print the kernel's working directory", PwdArgs);
    fn run(
        &self,
        args: &str,
        _body: Option<&str>,
        ctx: &mut dyn MagicContext,
    ) -> Result<(), MagicError> {
        parse_args::<PwdArgs>("pwd", args)?;
        let dir = std::env::current_dir().map_err(|e| MagicError::Failed(e.into()))?;
        ctx.print(&format!("{}\n", dir.display()));
        Ok(())
    }
}

/// `%sleep`: wait, for pacing demos and for waiting on outside work.
struct Sleep;

/// Wait for a number of seconds; an interrupt ends the wait at once.
#[derive(Parser)]
#[command(
    name = "%sleep",
    about = "Wait for SECONDS; an interrupt ends the wait at once"
)]
struct SleepArgs {
    /// How long to wait, in seconds (fractions allowed, at most one day).
    #[arg(value_parser = parse_seconds)]
    seconds: f64,
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    let s: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(0.0..=86_400.0).contains(&s) {
        return Err(format!("{s} is outside 0..=86400 seconds"));
    }
    Ok(s)
}

impl Magic for Sleep {
    crate::describe_magic!(
        "sleep",
        Line,
        "wait for a number of seconds (interruptible)",
        SleepArgs
    );
    fn run(
        &self,
        args: &str,
        _body: Option<&str>,
        ctx: &mut dyn MagicContext,
    ) -> Result<(), MagicError> {
        let parsed: SleepArgs = parse_args("sleep", args)?;
        let deadline = Instant::now() + std::time::Duration::from_secs_f64(parsed.seconds);
        while Instant::now() < deadline {
            ctx.check_cancelled()?;
            let left = deadline.saturating_duration_since(Instant::now());
            std::thread::sleep(left.min(std::time::Duration::from_millis(10)));
        }
        Ok(())
    }
}

/// `%fix`: re-run the last failed Rust cell with automatic repairs.
struct Fix;

/// Re-run the last failed Rust cell with automatic repairs (rustc's
/// suggestions, then domain rules), showing each repair as a diff.
#[derive(Parser)]
#[command(
    name = "%fix",
    about = "Re-run the last failed Rust cell with automatic repairs"
)]
struct FixArgs {
    /// How many repair attempts at most.
    #[arg(long, default_value_t = 3, value_name = "N")]
    max_fix: usize,
}

impl Magic for Fix {
    crate::describe_magic!(
        "fix",
        Line,
        "re-run the last failed Rust cell with automatic repairs, shown as diffs",
        FixArgs
    );
    fn run(
        &self,
        args: &str,
        _body: Option<&str>,
        ctx: &mut dyn MagicContext,
    ) -> Result<(), MagicError> {
        let parsed: FixArgs = parse_args("fix", args)?;
        let code = ctx
            .last_failed()
            .ok_or_else(|| MagicError::Usage("%fix: no Rust cell has failed yet".into()))?;
        let result = ctx.run_repairing(&code, parsed.max_fix);
        if let Ok(fixed) = &result {
            if *fixed != code {
                ctx.insert_below(fixed);
            }
        }
        result.map(|_| ()).map_err(MagicError::Failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Recorded, RecordingContext};

    fn run(
        name: &str,
        args: &str,
        body: Option<&str>,
    ) -> (RecordingContext, Result<(), MagicError>) {
        let mut r = Registry::default();
        register_builtins(&mut r);
        let mut ctx = RecordingContext::default();
        let res = r.run(name, args, body, &mut ctx);
        (ctx, res)
    }

    #[test]
    fn time_runs_the_body_and_reports() {
        let (ctx, res) = run("time", "", Some("let x = 1;"));
        res.unwrap();
        assert_eq!(ctx.ran, vec!["let x = 1;".to_string()]);
        assert!(ctx.stdout().starts_with("Wall time: "));
    }

    #[test]
    fn env_sets_through_the_context() {
        let (ctx, res) = run("env", "COLLM_X=5", None);
        res.unwrap();
        assert_eq!(ctx.env, vec![("COLLM_X".to_string(), "5".to_string())]);
        assert_eq!(ctx.stdout(), "env: COLLM_X=5\n");
    }

    #[test]
    fn env_hides_secrets() {
        let (ctx, res) = run("env", "HF_TOKEN hf_abc", None);
        res.unwrap();
        assert!(!ctx.stdout().contains("hf_abc"));
    }

    #[test]
    fn env_reports_unset_variable() {
        let (_, res) = run("env", "COLLM_SURELY_UNSET_VAR", None);
        assert_eq!(
            res.unwrap_err().to_string(),
            "%env: environment variable COLLM_SURELY_UNSET_VAR is not set"
        );
    }

    #[test]
    fn bad_flag_names_the_flag() {
        let (_, res) = run("pwd", "--bogus", None);
        let msg = res.unwrap_err().to_string();
        assert!(msg.contains("--bogus"), "{msg}");
    }

    #[test]
    fn help_flag_becomes_a_page() {
        let (ctx, res) = run("pwd", "--help", None);
        res.unwrap();
        assert!(matches!(&ctx.outputs[0], Recorded::Payload(p) if p["source"] == "page"));
    }

    #[test]
    fn sleep_stops_when_cancelled() {
        let mut r = Registry::default();
        register_builtins(&mut r);
        let mut ctx = RecordingContext::default();
        ctx.token.cancel();
        let start = Instant::now();
        let err = r.run("sleep", "30", None, &mut ctx).unwrap_err();
        assert!(matches!(err, MagicError::Cancelled));
        assert!(start.elapsed().as_secs() < 5);
    }

    #[test]
    fn sleep_rejects_bad_durations() {
        let (_, res) = run("sleep", "-1", None);
        assert!(res.unwrap_err().to_string().contains("-1"));
        let (_, res) = run("sleep", "soon", None);
        assert!(res
            .unwrap_err()
            .to_string()
            .contains("`soon` is not a number"));
    }

    #[test]
    fn durations_are_human() {
        use std::time::Duration;
        assert_eq!(human_duration(Duration::from_micros(250)), "250 µs");
        assert_eq!(human_duration(Duration::from_millis(12)), "12.0 ms");
        assert_eq!(human_duration(Duration::from_millis(2500)), "2.50 s");
    }
}
