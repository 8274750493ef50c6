//! The models a kernel session uses, chosen with `%collm_model` or `--model`.

use super::export::Export;
use super::{Embedder, Lm, ModelError};
use std::path::{Path, PathBuf};

/// What a model directory holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// A causal LM (it has `past_key_values` inputs).
    Lm,
    /// A sentence encoder.
    Embedding,
}

/// The loaded models: a language model, an encoder, or both.
#[derive(Default)]
pub struct Models {
    /// Reads bullets the grammar cannot and proposes repairs.
    pub lm: Option<Lm>,
    /// Ranks suggested readings by meaning.
    pub embedder: Option<Embedder>,
    /// The directory given by the user.
    pub source: Option<PathBuf>,
}

impl Models {
    /// Loads `dir`: either a pair of subdirectories `lm/` and `embed/` (either may be absent),
    /// or a single export whose inputs say whether it is a causal LM or an encoder.
    pub fn open(dir: &Path) -> Result<Self, ModelError> {
        if !dir.is_dir() {
            return Err(ModelError::File {
                path: dir.to_owned(),
                problem: "not a directory".into(),
            });
        }
        let (lm_dir, emb_dir) = (dir.join("lm"), dir.join("embed"));
        let mut m = Models {
            source: Some(dir.to_owned()),
            ..Models::default()
        };
        if lm_dir.is_dir() || emb_dir.is_dir() {
            if lm_dir.is_dir() {
                m.lm = Some(Lm::load(&lm_dir)?);
            }
            if emb_dir.is_dir() {
                m.embedder = Some(Embedder::load(&emb_dir)?);
            }
            return Ok(m);
        }
        let export = Export::open(dir)?;
        if export.is_decoder() {
            m.lm = Some(Lm::from_export(export)?);
        } else {
            m.embedder = Some(Embedder::from_export(export)?);
        }
        Ok(m)
    }

    /// Whether the export in `dir` is a causal LM or an encoder, from its inputs.
    pub fn kind(dir: &Path) -> Result<ModelKind, ModelError> {
        Ok(if Export::open(dir)?.is_decoder() {
            ModelKind::Lm
        } else {
            ModelKind::Embedding
        })
    }

    /// One line per loaded model, for `%collm_model`.
    pub fn describe(&self) -> Vec<String> {
        let mut v = Vec::new();
        if let Some(lm) = &self.lm {
            v.push(format!("language model: {}", lm.dir().display()));
        }
        if let Some(e) = &self.embedder {
            v.push(format!("embedding model: {}", e.dir().display()));
        }
        v
    }
}
