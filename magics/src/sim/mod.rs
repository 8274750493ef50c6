//! `%simulate`, `%balance`, `%login` and `%logout`: the kernel's front door to the ColliderML
//! simulation service (or the embedded local backend that stands in for it offline).

mod form;
mod service;
pub mod show;

pub use service::{Connected, SessionService};

use crate::context::MagicContext;
use crate::magic::{Magic, MagicError};
use crate::parse_args;
use clap::{Parser, Subcommand};
use collm_client::contract::SimulateBody;
use collm_client::{Channel, Service};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// `%simulate`.
pub struct Simulate(pub SessionService);

/// Request simulated events from ColliderML (or the local backend), and follow them.
#[derive(Parser)]
#[command(
    name = "%simulate",
    about = "Request a simulated sample: a form with no arguments, or quote and submit with flags",
    args_conflicts_with_subcommands = true,
    after_help = "Examples:\n  %simulate                                      a form with a live quote\n  \
                  %simulate --channel zmumu --events 1000 --wait  submit and follow it\n  \
                  %simulate --channel ttbar --events 500 --pileup 50 --quote   price only\n  \
                  %simulate list\n  %simulate status last\n  %simulate fetch last --to data/\n  \
                  %simulate cancel ID\n\n\
                  With COLLIDERML_BACKEND unset, requests go to a local backend (parametric \
                  fast simulation, not Geant4) started on first use."
)]
struct SimulateArgs {
    #[command(subcommand)]
    action: Option<Action>,
    /// Physics channel.
    #[arg(long, value_enum, requires = "events")]
    channel: Option<Channel>,
    /// Number of events (1–100000).
    #[arg(long, requires = "channel", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    events: Option<u32>,
    /// Mean pileup (0–200; the service's forms use steps of 10). Default 0.
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=200))]
    pileup: Option<u32>,
    /// Random seed. Default 42.
    #[arg(long)]
    seed: Option<u64>,
    /// Follow the request until it ends (an interrupt stops the waiting, not the job).
    #[arg(long)]
    wait: bool,
    /// Show the price and the balance after it, without submitting.
    #[arg(long, conflicts_with = "wait")]
    quote: bool,
}

#[derive(Subcommand)]
enum Action {
    /// One request (ID, or `last`: this session's latest, else your newest).
    Status {
        /// Request id, or `last`.
        id: String,
        /// Keep following it until it ends.
        #[arg(long)]
        wait: bool,
    },
    /// Recent requests, newest first.
    List {
        /// How many.
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Download a completed request's outputs.
    Fetch {
        /// Request id, or `last`.
        id: String,
        /// Directory for the files (default: colliderml/ID).
        #[arg(long, value_name = "DIR")]
        to: Option<PathBuf>,
    },
    /// Cancel a request; the unused part is refunded.
    Cancel {
        /// Request id, or `last`.
        id: String,
    },
}

impl Magic for Simulate {
    crate::describe_magic!(
        "simulate",
        Line,
        "request simulated samples (form, quote, submit, status, list, fetch, cancel)",
        SimulateArgs
    );

    fn run(
        &self,
        args: &str,
        _body: Option<&str>,
        ctx: &mut dyn MagicContext,
    ) -> Result<(), MagicError> {
        let a: SimulateArgs = parse_args("simulate", args)?;
        let s = &self.0;
        match (a.action, a.channel, a.events) {
            (Some(action), _, _) => match action {
                Action::Status { id, wait } => {
                    let id = resolve(s, ctx, &id)?;
                    if wait {
                        follow(s, ctx, &id)
                    } else {
                        let r = s.call(ctx, |c| c.request(&id))?;
                        ctx.display(show::request(&r), json!({}), None);
                        Ok(())
                    }
                }
                Action::List { limit } => {
                    let list = s.call(ctx, |c| c.requests(limit))?;
                    ctx.display(show::requests(&list), json!({}), None);
                    Ok(())
                }
                Action::Fetch { id, to } => {
                    let id = resolve(s, ctx, &id)?;
                    fetch(s, ctx, &id, to)
                }
                Action::Cancel { id } => {
                    let id = resolve(s, ctx, &id)?;
                    let r = s.call(ctx, |c| c.cancel(&id))?;
                    ctx.print(&format!(
                        "Request {id} is {}; {} credits stay charged for the part that ran.\n",
                        r.state,
                        show::credits(r.credits_charged)
                    ));
                    ctx.display(show::request(&r), json!({}), None);
                    Ok(())
                }
            },
            (None, Some(channel), Some(events)) => {
                let body = SimulateBody {
                    channel,
                    events,
                    pileup: a.pileup.unwrap_or(0),
                    seed: a.seed.unwrap_or(42),
                };
                submit(s, ctx, &body, a.quote, a.wait)
            }
            (None, _, _) if a.pileup.is_some() || a.seed.is_some() || a.wait || a.quote => {
                Err(MagicError::Usage(
                    "%simulate: --pileup, --seed, --wait and --quote need --channel and --events \
                     (or use %simulate alone for the form)"
                        .into(),
                ))
            }
            (None, _, _) => form::show(s, ctx),
        }
    }
}

/// `last` is the request this session submitted last (a cache hit included), else the user's
/// newest; anything else is taken as an id.
fn resolve(s: &SessionService, ctx: &mut dyn MagicContext, id: &str) -> Result<String, MagicError> {
    if id != "last" {
        return Ok(id.to_owned());
    }
    if let Some(id) = s.last() {
        return Ok(id);
    }
    let list = s.call(ctx, |c| c.requests(1))?;
    list.into_iter()
        .next()
        .map(|r| r.id)
        .ok_or_else(|| MagicError::Usage("%simulate: `last`: you have no requests yet".into()))
}

/// Quotes, then (unless `quote_only`) submits, and with `wait` follows the request.
fn submit(
    s: &SessionService,
    ctx: &mut dyn MagicContext,
    body: &SimulateBody,
    quote_only: bool,
    wait: bool,
) -> Result<(), MagicError> {
    let local = matches!(s.get(ctx)?.service, Service::Embedded(_));
    let balance = s.call(ctx, |c| c.me()).map(|u| u.credits).ok();
    let estimate = s.call(ctx, |c| c.estimate(body))?;
    ctx.display(
        show::quote(body, &estimate, balance, local),
        json!({}),
        None,
    );
    if quote_only {
        return Ok(());
    }
    // Ctrl-C while the quote was shown must not still submit and charge.
    ctx.check_cancelled()?;
    let reply = s.call(ctx, |c| c.simulate(body))?;
    s.remember(&reply.request_id);
    ctx.display(show::submitted(body, &reply, local), json!({}), None);
    // A cache hit is complete already, and may be someone else's request, which the contract
    // says not to poll.
    if wait && !reply.cached {
        follow(s, ctx, &reply.request_id)
    } else {
        Ok(())
    }
}

/// How often `--wait` asks: the local backend answers in microseconds and its jobs take
/// seconds; the public service's jobs take hours.
fn poll_interval(service: &Service) -> Duration {
    match service {
        Service::Embedded(_) => Duration::from_millis(250),
        Service::Remote(_) => Duration::from_secs(10),
    }
}

/// Shows a live progress line until the request ends. An interrupt stops the waiting only.
fn follow(s: &SessionService, ctx: &mut dyn MagicContext, id: &str) -> Result<(), MagicError> {
    let every = poll_interval(&s.get(ctx)?.service);
    let display_id = format!("simulate-{id}-{}", uuid::Uuid::new_v4().simple());
    let began = Instant::now();
    let mut shown = false;
    loop {
        let r = s.call(ctx, |c| c.request(id))?;
        let view = show::progress(&r, began.elapsed());
        if shown {
            ctx.update_display(view, json!({}), &display_id);
        } else {
            ctx.display(view, json!({}), Some(&display_id));
            shown = true;
        }
        match r.state.as_str() {
            "completed" => {
                ctx.print(&format!(
                    "Request {id} completed. Download its outputs with %simulate fetch {id}\n"
                ));
                return Ok(());
            }
            "failed" => {
                return Err(MagicError::Failed(anyhow::anyhow!(
                    "request {id} failed: {} (the charge was refunded)",
                    r.error_message.as_deref().unwrap_or("no reason given")
                )))
            }
            "cancelled" => {
                // Waiting was for a sample that will never come: a failure, not a result.
                return Err(MagicError::Failed(anyhow::anyhow!(
                    "request {id} was cancelled; it produced no sample"
                )));
            }
            _ => {}
        }
        let until = Instant::now() + every;
        while Instant::now() < until {
            if ctx.check_cancelled().is_err() {
                ctx.print(&format!(
                    "Stopped waiting; request {id} keeps running. Follow it with \
                     %simulate status {id} --wait\n"
                ));
                return Err(MagicError::Cancelled);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A file name from the server that stays inside the target folder.
fn safe_name(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\'])
}

fn fetch(
    s: &SessionService,
    ctx: &mut dyn MagicContext,
    id: &str,
    to: Option<PathBuf>,
) -> Result<(), MagicError> {
    let files = s.call(ctx, |c| c.files(id))?;
    let dir = to.unwrap_or_else(|| Path::new("colliderml").join(id));
    std::fs::create_dir_all(&dir).map_err(|e| anyhow::anyhow!("--to {}: {e}", dir.display()))?;
    let mut got = Vec::new();
    for f in files {
        if !safe_name(&f.name) {
            return Err(MagicError::Failed(anyhow::anyhow!(
                "request {id}: the service listed a file named `{}`, which would land outside {}; \
                 nothing more was downloaded",
                f.name,
                dir.display()
            )));
        }
        ctx.check_cancelled()?;
        let path = dir.join(&f.name);
        let n = s.call(ctx, |c| c.download(id, &f.name, &path))?;
        if n != f.bytes {
            let _ = std::fs::remove_file(&path);
            return Err(MagicError::Failed(anyhow::anyhow!(
                "request {id}: {} arrived with {n} bytes, the service listed {}; it was removed, \
                 fetch again",
                f.name,
                f.bytes
            )));
        }
        got.push((f, path));
    }
    ctx.display(show::fetched(id, &got, &dir), json!({}), None);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::RecordingContext;

    fn run(args: &str) -> Result<(), MagicError> {
        let mut ctx = RecordingContext::default();
        Simulate(SessionService::default()).run(args, None, &mut ctx)
    }

    #[test]
    fn flags_are_checked_before_any_backend_is_touched() {
        let e = run("--channel ww --events 10")
            .expect_err("channel")
            .to_string();
        assert!(e.contains("ww") && e.contains("zmumu"), "{e}");
        let e = run("--channel zmumu --events 0")
            .expect_err("events")
            .to_string();
        assert!(e.contains("--events") && e.contains("0"), "{e}");
        let e = run("--channel zmumu --events 10 --pileup 250")
            .expect_err("pileup")
            .to_string();
        assert!(e.contains("--pileup") && e.contains("250"), "{e}");
        let e = run("--channel zmumu")
            .expect_err("events needed")
            .to_string();
        assert!(e.contains("--events"), "{e}");
        let e = run("--wait").expect_err("wait alone").to_string();
        assert!(e.contains("--channel and --events"), "{e}");
        let e = run("--channel zmumu --events 5 --wait --quote")
            .expect_err("quote and wait")
            .to_string();
        assert!(e.contains("--quote") || e.contains("--wait"), "{e}");
    }

    #[test]
    fn channel_names_complete() {
        let r = crate::Magics::all().registry;
        let line = "%simulate --channel z";
        assert_eq!(
            r.complete(line, line.len()),
            Some((20, vec!["zee".into(), "zmumu".into(), "zprime".into()]))
        );
        let line = "%simulate --ev";
        assert_eq!(
            r.complete(line, line.len()),
            Some((10, vec!["--events".into()]))
        );
        let e = run("--channel ww --events 1").expect_err("bad").to_string();
        assert!(e.contains("possible values") || e.contains("zmumu"), "{e}");
    }

    #[test]
    fn server_file_names_cannot_escape() {
        assert!(safe_name("zmumu_pu0_seed42.lhco.gz"));
        for bad in ["../x", "a/b", ".bashrc", "", "a\\b"] {
            assert!(!safe_name(bad), "{bad}");
        }
    }
}
