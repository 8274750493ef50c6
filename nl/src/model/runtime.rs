//! Finding and loading the ONNX Runtime shared library once per process.

use super::ModelError;
use ort::environment::Environment;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Where the ONNX Runtime library is: `ORT_DYLIB_PATH` if set (the variable `ort` itself
/// documents), otherwise the copy `install.sh` extracts from the PyPI wheel under the user data
/// directory.
pub fn library_path() -> PathBuf {
    if let Some(p) = std::env::var_os("ORT_DYLIB_PATH").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    data_dir().join("onnxruntime/current/libonnxruntime.so")
}

/// collm's directory under the user data directory (`$XDG_DATA_HOME/collm`, by default
/// `~/.local/share/collm`), where `install.sh` puts the runtime library and the prompts.
pub fn data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("collm")
}

/// Where `collm models install` puts the pretrained models and sessions look for them:
/// `$COLLM_MODELS_DIR`, else `models/` under [`data_dir`].
pub fn models_dir() -> PathBuf {
    std::env::var_os("COLLM_MODELS_DIR")
        .filter(|v| !v.is_empty())
        .map_or_else(|| data_dir().join("models"), PathBuf::from)
}

/// The process-wide ONNX Runtime environment. The library is loaded on first use, so a
/// kernel without models never touches it; a failure is remembered and reported each time.
pub fn environment() -> Result<Environment, ModelError> {
    static ENV: OnceLock<Result<Environment, String>> = OnceLock::new();
    ENV.get_or_init(|| {
        let path = library_path();
        if !path.exists() {
            return Err(format!(
                "{} does not exist; run ./install.sh, or set ORT_DYLIB_PATH to a \
                 libonnxruntime.so of version 1.24 or later",
                path.display()
            ));
        }
        ort::init_from(&path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .with_name("collm")
            .build()
            .map_err(|e| format!("{}: {e}", path.display()))
    })
    .clone()
    .map_err(ModelError::Runtime)
}
