//! Opening an ONNX export directory: finding its model file and starting a session on it.
//! Both runners and the choice between them start here, so a model is opened once.

use super::ModelError;
use ort::session::Session;
use std::path::{Path, PathBuf};

/// Intra-op threads per session: the kernel runs one model at a time, on a small machine.
const THREADS: usize = 2;

/// An opened export: its session, the model file and the directory (tokenizer, configs).
pub struct Export {
    /// The ONNX Runtime session.
    pub session: Session,
    /// The model file, for messages about its layout.
    pub path: PathBuf,
    /// The export's directory.
    pub dir: PathBuf,
}

impl Export {
    /// Finds `model.onnx` (or `onnx/model.onnx`, or optimum's merged decoder) in `dir` and
    /// opens it.
    pub fn open(dir: &Path) -> Result<Export, ModelError> {
        let path = ["model.onnx", "onnx/model.onnx", "decoder_model_merged.onnx"]
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.is_file())
            .ok_or_else(|| ModelError::File {
                path: dir.join("model.onnx"),
                problem: "missing: expected model.onnx or onnx/model.onnx".into(),
            })?;
        let env = super::environment()?;
        let session = Session::builder(&env)?
            .with_intra_threads(THREADS)
            .map_err(ort::Error::from)?
            .commit_from_file(&path)?;
        Ok(Export {
            session,
            path,
            dir: dir.to_owned(),
        })
    }

    /// A decoder export names its key/value cache inputs `past_key_values.N.*`, which an
    /// encoder never has.
    pub fn is_decoder(&self) -> bool {
        self.session
            .inputs()
            .iter()
            .any(|i| i.name().starts_with("past_key_values."))
    }
}
