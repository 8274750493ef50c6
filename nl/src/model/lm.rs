//! A causal language model exported by Hugging Face optimum ("decoder with past"), run token
//! by token with its key/value cache.
//!
//! The graph's own signature says how to drive it: `input_ids`, `attention_mask`, optional
//! `position_ids` and `use_cache_branch`, and a `past_key_values.N.key/value` input for every
//! layer whose `present.N.key/value` output is fed back at the next step. Only the new token is
//! run once the prompt is in the cache, so a step costs one token's worth of compute.

mod decode;

use super::export::Export;
use super::grammar::Grammar;
use super::tokens::Tokens;
use super::ModelError;
use ort::session::{Session, SessionInputValue};
use ort::value::{DynValue, Tensor, ValueType};
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// How the next token is chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decoding {
    /// The most likely token: reproducible, used to read bullets.
    Greedy,
    /// A draw from the softmax at `temperature`, from a generator seeded with `seed`: repair
    /// attempts differ from one another but each one is reproducible.
    Sample {
        /// The seed of the draw.
        seed: u64,
        /// Softmax temperature (> 0).
        temperature: f32,
    },
}

/// One generation request.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The prompt text.
    pub prompt: &'a str,
    /// The most tokens to generate.
    pub max_tokens: usize,
    /// Greedy or sampled.
    pub decoding: Decoding,
    /// If set, only tokens that keep the output a prefix of a canonical line are allowed, and
    /// the output ends at the end of a line that is complete.
    pub grammar: Option<&'a Grammar>,
    /// Stop (without including it) at the first occurrence of this text.
    pub stop: Option<&'a str>,
}

/// What the model produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Generation {
    /// Generated token ids, in order.
    pub ids: Vec<u32>,
    /// Their text, up to the stop text or the end of the grammar line.
    pub text: String,
    /// Whether the output ended on its own (end token, stop text or a complete grammar line)
    /// rather than at `max_tokens`.
    pub finished: bool,
}

/// Names of one layer's cache tensors.
struct Layer {
    past_key: String,
    past_value: String,
    present_key: String,
    present_value: String,
}

/// A loaded causal LM.
pub struct Lm {
    session: Session,
    tokens: Tokens,
    layers: Vec<Layer>,
    kv_heads: usize,
    head_dim: usize,
    position_ids: bool,
    cache_branch: bool,
    eos: Vec<u32>,
    /// Positions the model was trained for; generation stops there.
    context: usize,
    dir: PathBuf,
}

/// A field of `generation_config.json` or else `config.json`.
fn config_field(dir: &Path, field: &str) -> Result<serde_json::Value, ModelError> {
    for name in ["generation_config.json", "config.json"] {
        let path = dir.join(name);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| ModelError::File {
            path: path.clone(),
            problem: format!("not valid JSON: {e}"),
        })?;
        if !v[field].is_null() {
            return Ok(v[field].clone());
        }
    }
    Ok(serde_json::Value::Null)
}

/// `eos_token_id` from `generation_config.json` or `config.json` (a number or a list).
fn eos_ids(dir: &Path) -> Result<Vec<u32>, ModelError> {
    let ids: Vec<u32> = match config_field(dir, "eos_token_id")? {
        serde_json::Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_u64())
            .map(|x| x as u32)
            .collect(),
        v => v.as_u64().into_iter().map(|x| x as u32).collect(),
    };
    if ids.is_empty() {
        return Err(ModelError::File {
            path: dir.join("config.json"),
            problem: "no eos_token_id in config.json or generation_config.json".into(),
        });
    }
    Ok(ids)
}

impl Lm {
    /// Loads the export in `dir` and checks its signature.
    pub fn load(dir: &Path) -> Result<Self, ModelError> {
        Self::from_export(Export::open(dir)?)
    }

    /// Checks an opened export's signature and reads its configuration.
    pub(super) fn from_export(export: Export) -> Result<Self, ModelError> {
        let Export { session, path, dir } = export;
        let dir = dir.as_path();
        let layout = |problem: String| ModelError::Layout {
            path: path.clone(),
            problem,
        };
        let names: Vec<String> = session
            .inputs()
            .iter()
            .map(|i| i.name().to_owned())
            .collect();
        for need in ["input_ids", "attention_mask"] {
            if !names.iter().any(|n| n == need) {
                return Err(layout(format!(
                    "no `{need}` input; inputs are {}",
                    names.join(", ")
                )));
            }
        }
        let (layers, kv_heads, head_dim) = cache_layers(&session, &layout)?;
        let outputs: Vec<&str> = session.outputs().iter().map(|o| o.name()).collect();
        for l in &layers {
            for need in [&l.present_key, &l.present_value] {
                if !outputs.contains(&need.as_str()) {
                    return Err(layout(format!("no `{need}` output")));
                }
            }
        }
        if !outputs.contains(&"logits") {
            return Err(layout("no `logits` output".into()));
        }
        let position_ids = names.iter().any(|n| n == "position_ids");
        let cache_branch = names.iter().any(|n| n == "use_cache_branch");
        Ok(Lm {
            session,
            tokens: Tokens::load(dir)?,
            layers,
            kv_heads,
            head_dim,
            position_ids,
            cache_branch,
            eos: eos_ids(dir)?,
            context: [
                "max_position_embeddings",
                "n_positions",
                "max_sequence_length",
            ]
            .iter()
            .find_map(|f| config_field(dir, f).ok()?.as_u64())
            .map_or(usize::MAX, |n| n as usize),
            dir: dir.to_owned(),
        })
    }

    /// The directory the model was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Token ids of `text` under this model's tokenizer.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>, ModelError> {
        self.tokens.encode(text)
    }

    /// Generates a continuation of the request's prompt.
    pub fn generate(&mut self, req: &Request<'_>) -> Result<Generation, ModelError> {
        let prompt = self.tokens.encode(req.prompt)?;
        self.generate_ids(&prompt, req)
    }

    /// Runs the new tokens `feed` after `past_len` cached ones; returns the last position's
    /// logits and replaces `past` with the grown cache.
    fn step(
        &mut self,
        feed: &[i64],
        past_len: usize,
        past: &mut Vec<DynValue>,
    ) -> Result<Vec<f32>, ModelError> {
        let n = feed.len();
        let total = past_len + n;
        let mut inputs: Vec<(Cow<'_, str>, SessionInputValue<'_>)> = vec![
            (
                "input_ids".into(),
                Tensor::from_array(([1usize, n], feed.to_vec()))?.into(),
            ),
            (
                "attention_mask".into(),
                Tensor::from_array(([1usize, total], vec![1i64; total]))?.into(),
            ),
        ];
        if self.position_ids {
            let pos: Vec<i64> = (past_len..total).map(|p| p as i64).collect();
            inputs.push((
                "position_ids".into(),
                Tensor::from_array(([1usize, n], pos))?.into(),
            ));
        }
        if self.cache_branch {
            inputs.push((
                "use_cache_branch".into(),
                Tensor::from_array(([1usize], vec![past_len > 0]))?.into(),
            ));
        }
        let cached = std::mem::take(past);
        if cached.is_empty() {
            for l in &self.layers {
                for name in [&l.past_key, &l.past_value] {
                    let empty = Tensor::from_array((
                        [1usize, self.kv_heads, 0, self.head_dim],
                        Vec::<f32>::new(),
                    ))?;
                    inputs.push((name.clone().into(), empty.into()));
                }
            }
        } else {
            let names = self
                .layers
                .iter()
                .flat_map(|l| [&l.past_key, &l.past_value]);
            for (name, v) in names.zip(cached) {
                inputs.push((name.clone().into(), v.into()));
            }
        }
        let mut outputs = self.session.run(inputs)?;
        let (shape, data) = outputs["logits"].try_extract_tensor::<f32>()?;
        let vocab = usize::try_from(shape[shape.len() - 1]).unwrap_or(0);
        let logits = data[data.len() - vocab..].to_vec();
        for l in &self.layers {
            for name in [&l.present_key, &l.present_value] {
                let v = outputs
                    .remove(name.as_str())
                    .ok_or_else(|| ModelError::Decode(format!("the model returned no `{name}`")))?;
                past.push(v);
            }
        }
        Ok(logits)
    }
}

/// The cache inputs and outputs of each layer (`past_key_values.N.key` …), with the cache's
/// head count and head size: decoding feeds each step's cache back, so an export without
/// one is refused.
fn cache_layers(
    session: &Session,
    layout: &dyn Fn(String) -> ModelError,
) -> Result<(Vec<Layer>, usize, usize), ModelError> {
    let mut layers = Vec::new();
    let (mut kv_heads, mut head_dim) = (0, 0);
    while let Some(input) = session
        .inputs()
        .iter()
        .find(|i| i.name() == format!("past_key_values.{}.key", layers.len()))
    {
        let i = layers.len();
        match input.dtype() {
            ValueType::Tensor { ty, shape, .. }
                if *ty == ort::value::TensorElementType::Float32 && shape.len() == 4 =>
            {
                kv_heads = usize::try_from(shape[1]).unwrap_or(0);
                head_dim = usize::try_from(shape[3]).unwrap_or(0);
            }
            other => {
                return Err(layout(format!(
                    "past_key_values.{i}.key is {other:?}; a float32 [batch, heads, past, \
                     head_dim] tensor is supported"
                )))
            }
        }
        layers.push(Layer {
            past_key: format!("past_key_values.{i}.key"),
            past_value: format!("past_key_values.{i}.value"),
            present_key: format!("present.{i}.key"),
            present_value: format!("present.{i}.value"),
        });
    }
    if layers.is_empty() || kv_heads == 0 || head_dim == 0 {
        return Err(layout(
            "no past_key_values.N.key inputs with fixed head counts: export the model \
             with its cache (optimum task text-generation-with-past)"
                .into(),
        ));
    }
    Ok((layers, kv_heads, head_dim))
}
