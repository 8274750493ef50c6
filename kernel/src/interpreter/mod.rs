//! The interpreter seam: what the kernel does with a request, apart from how the request
//! arrived. The socket side ([`crate::dispatch`] and [`crate::server`]) turns wire messages
//! into these calls and the typed results back into replies, so the interpreter can be
//! driven and tested without ZeroMQ, in the spirit of xeus's `xinterpreter`.
//!
//! Requests split in two by thread: [`Interpreter`] runs on the engine thread one request
//! at a time, while [`QuickAnswers`] is shared with the socket tasks because
//! `is_complete`, `kernel_info`, interrupts and shutdowns must be answered while a cell
//! is still running.

mod collm;
mod quick;

pub use self::collm::CollmInterpreter;
pub use crate::rust::CellError;
pub use crate::syntax::Completeness;
use serde_json::{Map, Value};
use std::sync::Arc;

/// An `execute_request`'s content, as the interpreter needs it.
#[derive(Debug, Clone, Default)]
pub struct ExecuteRequest {
    /// The cell; `None` when the request's `code` is not a string, which fails the cell
    /// with a clear error instead of running an empty one.
    pub code: Option<String>,
    /// Expressions to evaluate after a successful cell, by name.
    pub user_expressions: Map<String, Value>,
}

/// What an execution produced.
#[derive(Debug)]
pub struct Executed {
    /// The final value's MIME bundle on success (`None` for no value), or the failure.
    pub outcome: Result<Option<Map<String, Value>>, CellError>,
    /// Payloads magics asked for (pager pages, `set_next_input`).
    pub payload: Vec<Value>,
    /// Each requested user expression's result, in the protocol's shape.
    pub user_expressions: Map<String, Value>,
}

/// Completion candidates, replacing the code between two byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// Byte offset where the replaced text starts.
    pub start: usize,
    /// Byte offset where it ends.
    pub end: usize,
    /// The candidates.
    pub matches: Vec<String>,
}

/// A comm message from the frontend (widgets), by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommKind {
    /// `comm_open` for a target.
    Open,
    /// `comm_msg`.
    Msg,
    /// `comm_close`.
    Close,
}

/// What the kernel says about itself in `kernel_info_reply`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelInfo {
    /// The implementation's name.
    pub implementation: &'static str,
    /// Its version.
    pub implementation_version: &'static str,
    /// The language cells are written in.
    pub language: &'static str,
    /// The language's version (the toolchain's rustc).
    pub language_version: String,
    /// The line frontends show when they connect.
    pub banner: String,
}

/// The requests that need the interpreter's state; served on the engine thread, one at a
/// time and in arrival order.
pub trait Interpreter {
    /// Runs a cell (its magics and its Rust code).
    fn execute(&mut self, request: &ExecuteRequest) -> Executed;
    /// Completions at byte offset `cursor` of `code`.
    fn complete(&mut self, code: &str, cursor: usize) -> Completion;
    /// Help for what stands at byte offset `cursor`, if anything is known.
    fn inspect(&mut self, code: &str, cursor: usize) -> Option<String>;
    /// A comm message; what the interpreter answers is published on iopub.
    fn comm(&mut self, kind: CommKind, comm_id: &str, target: &str, data: &Value);
    /// The open comms, optionally only those of one target (`comm_info_reply`).
    fn comm_info(&self, target: Option<&str>) -> Value;
    /// The handle the socket tasks answer quick requests with.
    fn quick(&self) -> Arc<dyn QuickAnswers>;
}

/// The requests answered while a cell may be running, from any thread.
pub trait QuickAnswers: Send + Sync {
    /// Whether `code` is a complete cell (consoles ask before running it).
    fn is_complete(&self, code: &str) -> Completeness;
    /// The kernel's description.
    fn kernel_info(&self) -> KernelInfo;
    /// Stops the running cell: a magic at its next cancellation check, Rust code by
    /// killing the child process that runs it.
    fn interrupt(&self);
    /// Prepares for the process to end: stops what runs, so no child outlives the kernel.
    fn shutdown(&self, restart: bool);
}
