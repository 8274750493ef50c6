//! Prompt templates, read from text files in `prompts/` so they can be edited without a
//! rebuild.

use std::path::{Path, PathBuf};

/// Directories searched for prompt files, in order: the model's own `prompts/` (a model with
/// a small context or a chat format needs its own wording), `COLLM_PROMPTS`, the copy
/// `install.sh` puts under the user data directory, and the source tree this crate was built
/// from.
pub fn search_path(model: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = model.map(|m| m.join("prompts")).into_iter().collect();
    if let Some(p) = std::env::var_os("COLLM_PROMPTS").filter(|p| !p.is_empty()) {
        dirs.push(PathBuf::from(p));
    }
    dirs.push(super::runtime::data_dir().join("prompts"));
    dirs.push(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../prompts"
    )));
    dirs
}

/// The template `name` (for example `understand.txt`) with every `{key}` replaced by its
/// value. A missing file is an error naming the places searched.
pub fn render(name: &str, vars: &[(&str, &str)], model: Option<&Path>) -> Result<String, String> {
    let dirs = search_path(model);
    let text = dirs
        .iter()
        .find_map(|d| std::fs::read_to_string(d.join(name)).ok())
        .ok_or_else(|| {
            let places: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
            format!("prompt {name} not found in {}", places.join(", "))
        })?;
    Ok(vars
        .iter()
        .fold(text, |t, (k, v)| t.replace(&format!("{{{k}}}"), v)))
}
