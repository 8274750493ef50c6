//! A sentence encoder (BERT/MiniLM-style export), one unit vector per text so that cosine
//! similarity is a dot product: the export's own `sentence_embedding` when it has one (the
//! installed all-MiniLM-L6-v2 pools and normalises in the graph), else its `last_hidden_state`
//! averaged here.

use super::export::Export;
use super::tokens::Tokens;
use super::ModelError;
use ort::session::{Session, SessionInputValue};
use ort::value::Tensor;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// A loaded sentence encoder.
pub struct Embedder {
    session: Session,
    tokens: Tokens,
    token_type_ids: bool,
    /// Whether the export pools and normalises itself (a `sentence_embedding` output).
    pooled: bool,
    dir: PathBuf,
}

impl Embedder {
    /// Loads the export in `dir` and checks its signature.
    pub fn load(dir: &Path) -> Result<Self, ModelError> {
        Self::from_export(Export::open(dir)?)
    }

    /// Checks an opened export's signature.
    pub(super) fn from_export(export: Export) -> Result<Self, ModelError> {
        let Export { session, path, dir } = export;
        let names: Vec<&str> = session.inputs().iter().map(|i| i.name()).collect();
        if !names.contains(&"input_ids") || !names.contains(&"attention_mask") {
            return Err(ModelError::Layout {
                path,
                problem: format!(
                    "an encoder needs `input_ids` and `attention_mask` inputs; it has {}",
                    names.join(", ")
                ),
            });
        }
        let token_type_ids = names.contains(&"token_type_ids");
        let has = |name: &str| session.outputs().iter().any(|o| o.name() == name);
        let pooled = has("sentence_embedding");
        if !pooled && !has("last_hidden_state") {
            return Err(ModelError::Layout {
                path,
                problem: "no `sentence_embedding` or `last_hidden_state` output".into(),
            });
        }
        Ok(Embedder {
            session,
            tokens: Tokens::load(&dir)?,
            token_type_ids,
            pooled,
            dir,
        })
    }

    /// The directory the model was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The mean of the token states over the attention mask, scaled to unit length. The text is
    /// framed with the special tokens the tokenizer's post-processor adds (`[CLS]` … `[SEP]`
    /// for BERT), as the encoder saw texts in training.
    pub fn embed(&mut self, text: &str) -> Result<Vec<f32>, ModelError> {
        let ids: Vec<i64> = self
            .tokens
            .encode_framed(text)?
            .into_iter()
            .map(i64::from)
            .collect();
        if ids.is_empty() {
            return Err(ModelError::Decode("cannot embed an empty text".into()));
        }
        let n = ids.len();
        let mut inputs: Vec<(Cow<'_, str>, SessionInputValue<'_>)> = vec![
            (
                "input_ids".into(),
                Tensor::from_array(([1usize, n], ids))?.into(),
            ),
            (
                "attention_mask".into(),
                Tensor::from_array(([1usize, n], vec![1i64; n]))?.into(),
            ),
        ];
        if self.token_type_ids {
            inputs.push((
                "token_type_ids".into(),
                Tensor::from_array(([1usize, n], vec![0i64; n]))?.into(),
            ));
        }
        let outputs = self.session.run(inputs)?;
        if self.pooled {
            let (_, data) = outputs["sentence_embedding"].try_extract_tensor::<f32>()?;
            return Ok(data.to_vec());
        }
        let (shape, data) = outputs["last_hidden_state"].try_extract_tensor::<f32>()?;
        let dim = usize::try_from(shape[shape.len() - 1]).unwrap_or(0);
        let mut v = vec![0f32; dim];
        for row in data.chunks_exact(dim) {
            for (a, b) in v.iter_mut().zip(row) {
                *a += b;
            }
        }
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
        v.iter_mut().for_each(|x| *x /= norm);
        Ok(v)
    }

    /// `candidates` ordered by cosine similarity to `query`, best first, with the scores.
    pub fn rank(
        &mut self,
        query: &str,
        candidates: &[String],
    ) -> Result<Vec<(f32, usize)>, ModelError> {
        let q = self.embed(query)?;
        let mut scored = Vec::with_capacity(candidates.len());
        for (i, c) in candidates.iter().enumerate() {
            let e = self.embed(c)?;
            scored.push((q.iter().zip(&e).map(|(a, b)| a * b).sum::<f32>(), i));
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok(scored)
    }
}
