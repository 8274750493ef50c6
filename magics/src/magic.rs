//! What a magic is: the [`Magic`] trait every magic implements and the [`MagicError`] it
//! returns. Kept apart from the registry, so that magics depend on this and the registry
//! depends on them, never the other way round.

use crate::context::{Cancelled, MagicContext};

/// Whether a magic is used as `%name`, `%%name`, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MagicKind {
    /// `%name args` only.
    Line,
    /// `%%name args` + body only.
    Cell,
    /// Either form.
    Both,
}

/// Why a magic did not complete.
#[derive(Debug, thiserror::Error)]
pub enum MagicError {
    /// Bad arguments: one line naming the flag and what is accepted.
    #[error("{0}")]
    Usage(String),
    /// The user asked for `--help`; shown as help, not as an error.
    #[error("{0}")]
    Help(String),
    /// Interrupted at a cancellation check.
    #[error("interrupted by the user")]
    Cancelled,
    /// The magic ran and failed.
    #[error("{0:#}")]
    Failed(#[from] anyhow::Error),
}

impl From<Cancelled> for MagicError {
    fn from(_: Cancelled) -> Self {
        MagicError::Cancelled
    }
}

/// One magic command.
pub trait Magic: Send + Sync {
    /// Name without the `%`.
    fn name(&self) -> &'static str;
    /// Line, cell or both.
    fn kind(&self) -> MagicKind;
    /// One line for `%lsmagic`.
    fn summary(&self) -> &'static str;
    /// The clap definition, used for `--help`, `%name?` and completion.
    fn command(&self) -> clap::Command;
    /// Runs the magic. `body` is `Some` for the `%%` form.
    fn run(
        &self,
        args: &str,
        body: Option<&str>,
        ctx: &mut dyn MagicContext,
    ) -> Result<(), MagicError>;
}
