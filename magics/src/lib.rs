//! Magic commands for the collm kernel.
//!
//! A magic is an IPython-style command: `%name args` on any line of a cell, or
//! `%%name args` on the first line to take the rest of the cell as its body.
//! This crate has no socket code: a magic talks to the notebook only through
//! [`MagicContext`], so every magic can be tested with an in-memory context.
//! Arguments are parsed with clap so that `--help`, errors and completion are
//! uniform across magics.

/// The four describing methods of a [`Magic`] (name, form, one-line summary, clap
/// definition), which every magic spells the same way.
macro_rules! describe_magic {
    ($name:literal, $kind:ident, $summary:literal, $args:ty) => {
        fn name(&self) -> &'static str {
            $name
        }
        fn kind(&self) -> $crate::MagicKind {
            $crate::MagicKind::$kind
        }
        fn summary(&self) -> &'static str {
            $summary
        }
        fn command(&self) -> clap::Command {
            <$args as clap::CommandFactory>::command()
        }
    };
}
pub(crate) use describe_magic;

mod account;
mod builtin;
mod cell;
mod collm;
mod collm_model;
mod context;
mod lhco;
mod magic;
mod registry;
mod session;
mod sim;
mod terminal;

pub use builtin::register_builtins;

/// Registers every magic the kernel offers, sharing `session`.
pub fn register_all(registry: &mut Registry, session: &Session) {
    register_builtins(registry);
    registry.register(std::sync::Arc::new(lhco::Lhco));
    let models = session.models.clone();
    registry.register(std::sync::Arc::new(collm::Collm(models.clone())));
    registry.register(std::sync::Arc::new(collm_model::CollmModel(models)));
    let service = session.service.clone();
    registry.register(std::sync::Arc::new(sim::Simulate(service.clone())));
    registry.register(std::sync::Arc::new(account::Balance(service.clone())));
    registry.register(std::sync::Arc::new(account::Login(service.clone())));
    registry.register(std::sync::Arc::new(account::Logout(service)));
}

pub use cell::{split_cell, HelpRequest, Segment};
pub use collm::{generate as generate_analysis, Generated};
pub use collm_model::{SessionModels, WITHOUT_MODEL};
pub use collm_nl::model::Models;
pub use context::{Cancelled, MagicContext, Recorded, RecordingContext, StreamName};
pub use magic::{Magic, MagicError, MagicKind};
pub use registry::Registry;
pub use session::{Magics, Session};
pub use sim::{Connected, SessionService};
pub use terminal::{plain_text, TerminalContext};

/// Parses a magic's argument string with its clap definition.
///
/// Magics call this first thing, so that every one of them reports bad flags
/// the same way: one message naming the flag and the accepted values.
pub fn parse_args<T: clap::Parser>(name: &str, args: &str) -> Result<T, MagicError> {
    let words = shlex::split(args).ok_or_else(|| {
        MagicError::Usage(format!("%{name}: unbalanced quotes in arguments `{args}`"))
    })?;
    T::try_parse_from(std::iter::once(format!("%{name}")).chain(words)).map_err(|e| {
        match e.kind() {
            clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                MagicError::Help(e.render().to_string())
            }
            _ => MagicError::Usage(first_error_line(&e.render().to_string())),
        }
    })
}

fn first_error_line(rendered: &str) -> String {
    let lines: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let first = lines.first().copied().unwrap_or("invalid arguments");
    let values = lines
        .iter()
        .find(|l| l.starts_with("[possible values:"))
        .map(|v| format!(" {v}"));
    let hint = lines
        .iter()
        .find(|l| l.starts_with("Usage:"))
        .map(|u| format!(" ({u})"));
    format!(
        "{first}{}{}",
        values.unwrap_or_default(),
        hint.unwrap_or_default()
    )
}
