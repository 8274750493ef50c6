//! The collm kernel as a library: the interpreter and everything around it, so that the
//! binary (`main.rs`) and the tests share one build of it. Tests drive
//! [`interpreter::Interpreter`] without sockets; the binary serves it on ZeroMQ.

pub mod cellcache;
pub mod dispatch;
pub mod fixer;
pub mod headless;
pub mod history;
pub mod install;
pub mod interpreter;
pub mod interrupt;
pub mod models_cli;
pub mod publish;
pub mod question_mark;
pub mod ran;
pub mod rust;
pub mod server;
pub mod service_cli;
pub mod stdin;
pub mod streams;
pub mod syntax;
pub mod toolchain;
/// The Jupyter wire format (its own crate, so it can be fuzzed without the engine).
pub use collm_wire as wire;
