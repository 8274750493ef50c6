//! Learned components, run on ONNX Runtime through `ort` (`load-dynamic`).
//!
//! The deterministic grammar reads the language physicists usually write; these runners cover
//! the rest. A causal LM ([`Lm`]) turns a bullet the grammar could not read into one canonical
//! line, with decoding constrained by the canonical grammar ([`Grammar`]) so that its output
//! always parses, and proposes repairs for failing cells. A sentence encoder ([`Embedder`])
//! ranks "did you mean" readings by meaning rather than by spelling.
//!
//! Models are local directories in the Hugging Face/optimum export layout (`model.onnx` or
//! `onnx/model.onnx`, `tokenizer.json`, `config.json`); nothing is downloaded at run time.
//! `collm models install` puts the pretrained ones in [`models_dir`], where a session finds
//! them by default.

pub mod bank;
mod embed;
mod export;
mod grammar;
mod lm;
mod numbers;
mod open;
pub mod prompts;
mod runtime;
mod slot;
mod tokens;

pub use embed::Embedder;
pub use grammar::{Grammar, GrammarState, Statements};
pub use lm::{Decoding, Generation, Lm, Request};
pub(crate) use numbers::written;
pub use numbers::Numbers;
pub use open::{ModelKind, Models};
pub use runtime::{data_dir, environment, library_path, models_dir};

use std::path::PathBuf;

/// Why a model could not be loaded or run. Every variant names the file or the part at fault,
/// because the user chose the directory and needs to know what in it is wrong.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The ONNX Runtime library could not be found or loaded.
    #[error("ONNX Runtime is not available: {0}")]
    Runtime(String),
    /// A file the model directory must contain is missing or unreadable.
    #[error("{}: {problem}", path.display())]
    File {
        /// The file at fault.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// The ONNX graph does not have the inputs and outputs a runner needs.
    #[error("{}: {problem}", path.display())]
    Layout {
        /// The model file.
        path: PathBuf,
        /// Which input or output is missing or has the wrong type.
        problem: String,
    },
    /// ONNX Runtime failed while running the model.
    #[error("ONNX Runtime: {0}")]
    Onnx(#[from] ort::Error),
    /// Decoding stopped before the output was complete.
    #[error("{0}")]
    Decode(String),
}
