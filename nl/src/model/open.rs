//! The models a kernel session uses: the installed ones by default, loaded on first need, or
//! those chosen with `%collm_model` or `--model`.

use super::bank::Bank;
use super::export::Export;
use super::runtime::models_dir;
use super::slot::Slot;
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

/// A language model, an encoder, both or neither. Each is loaded when first asked for, so a
/// cell the grammar reads alone never pays for a model.
#[derive(Default)]
pub struct Models {
    lm: Slot<Lm>,
    embedder: Slot<Embedder>,
    /// Loads (and failed loads) not yet told to the user.
    notices: Vec<String>,
    /// The few-shot examples, read when the language model is first used.
    bank: Option<Result<Bank, String>>,
}

impl Models {
    /// Loads `dir` now, so that a wrong choice is reported where it was made: either a pair of
    /// subdirectories `lm/` and `embed/` (either may be absent), or a single export whose
    /// inputs say whether it is a causal LM or an encoder.
    pub fn open(dir: &Path) -> Result<Self, ModelError> {
        let (lm_dir, emb_dir) = pair(dir)?;
        if lm_dir.is_dir() || emb_dir.is_dir() {
            let mut m = Models::default();
            if lm_dir.is_dir() {
                m.lm = Slot::loaded(&lm_dir, Lm::load)?;
            }
            if emb_dir.is_dir() {
                m.embedder = Slot::loaded(&emb_dir, Embedder::load)?;
            }
            return Ok(m);
        }
        let export = Export::open(dir)?;
        let mut m = Models::default();
        if export.is_decoder() {
            m.lm = Slot::loaded(dir, |_| Lm::from_export(export))?;
        } else {
            m.embedder = Slot::loaded(dir, |_| Embedder::from_export(export))?;
        }
        Ok(m)
    }

    /// The models `collm models install` put in [`models_dir`], each to be loaded on first
    /// need; none with `COLLM_NO_MODELS=1` or when nothing is installed.
    pub fn installed() -> Self {
        if std::env::var("COLLM_NO_MODELS").as_deref() == Ok("1") {
            return Models::default();
        }
        let dir = models_dir();
        Models {
            lm: Slot::installed(dir.join("lm")),
            embedder: Slot::installed(dir.join("embed")),
            ..Models::default()
        }
    }

    /// Whether the export in `dir` is a causal LM or an encoder, from its inputs.
    pub fn kind(dir: &Path) -> Result<ModelKind, ModelError> {
        Ok(if Export::open(dir)?.is_decoder() {
            ModelKind::Lm
        } else {
            ModelKind::Embedding
        })
    }

    /// The language model, loaded now if this is its first use; `None` when there is none or
    /// it could not be loaded (a notice says why).
    pub fn lm(&mut self) -> Option<&mut Lm> {
        self.lm.get("language model", &mut self.notices, Lm::load)
    }

    /// The encoder, loaded now if this is its first use; `None` as for [`Models::lm`].
    pub fn embedder(&mut self) -> Option<&mut Embedder> {
        self.embedder
            .get("embedding model", &mut self.notices, Embedder::load)
    }

    /// What reading a bullet with the model takes: the language model (loaded now if need
    /// be), the encoder if there is one, and the few-shot bank (or why it could not be read).
    /// `None` without a language model.
    #[allow(clippy::type_complexity)]
    pub fn reader(
        &mut self,
    ) -> Option<(&mut Lm, Option<&mut Embedder>, Result<&mut Bank, String>)> {
        self.lm()?;
        self.embedder();
        let lm = self.lm.as_mut()?;
        let bank = self
            .bank
            .get_or_insert_with(|| Bank::load(Some(lm.dir())))
            .as_mut()
            .map_err(|e| e.clone());
        Some((lm, self.embedder.as_mut(), bank))
    }

    /// Uses `e` as the encoder, beside whatever language model there is.
    pub fn set_embedder(&mut self, e: Embedder) {
        self.embedder = Slot::Loaded(e, None);
    }

    /// Whether a language model is loaded or waits to be.
    pub fn has_lm(&self) -> bool {
        self.lm.is_some()
    }

    /// Whether an encoder is loaded or waits to be.
    pub fn has_embedder(&self) -> bool {
        self.embedder.is_some()
    }

    /// The loads since the last call (time and memory), and loads that failed: the user
    /// should learn what a first use cost, and why a model is missing.
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// One line per model, for `%collm_model`.
    pub fn describe(&self) -> Vec<String> {
        [
            ("language model", self.lm.describe()),
            ("embedding model", self.embedder.describe()),
        ]
        .into_iter()
        .filter_map(|(what, d)| Some(format!("{what}: {}", d?)))
        .collect()
    }
}

/// `dir`'s `lm/` and `embed/` subdirectories, once `dir` is known to be a directory.
fn pair(dir: &Path) -> Result<(PathBuf, PathBuf), ModelError> {
    if !dir.is_dir() {
        return Err(ModelError::File {
            path: dir.to_owned(),
            problem: "not a directory".into(),
        });
    }
    Ok((dir.join("lm"), dir.join("embed")))
}
