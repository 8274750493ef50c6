//! The few-shot examples for reading a bullet with the language model: pairs of a phrasing
//! and its canonical line, in `prompts/bank.tsv`. A small model copies the shape of the
//! examples it is shown, so it is shown the ones nearest the bullet, chosen by the encoder.

use super::{prompts, Embedder};
use std::path::Path;

/// How many examples a prompt holds.
pub const SHOWN: usize = 6;

/// One example.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// `cuts`, `plots` or `output`.
    pub section: String,
    /// How someone might write it.
    pub phrasing: String,
    /// The canonical line it means.
    pub canonical: String,
}

/// The examples, with their embeddings once an encoder has been used.
#[derive(Debug, Clone, Default)]
pub struct Bank {
    examples: Vec<Example>,
    vectors: Vec<Vec<f32>>,
}

impl Bank {
    /// `bank.tsv` from the prompt search path (see [`prompts::search_path`]).
    pub fn load(model: Option<&Path>) -> Result<Bank, String> {
        for dir in prompts::search_path(model) {
            let path = dir.join("bank.tsv");
            if let Ok(text) = std::fs::read_to_string(&path) {
                return Bank::parse(&text, &path.display().to_string());
            }
        }
        Err("bank.tsv not found beside the prompts".into())
    }

    /// Parses the tab-separated lines; `#` starts a comment line. A malformed line is named
    /// with `origin:line`.
    pub fn parse(text: &str, origin: &str) -> Result<Bank, String> {
        let mut examples = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let [section, phrasing, canonical] = fields[..] else {
                return Err(format!(
                    "{origin}:{}: expected 3 tab-separated fields (section, phrasing, canonical \
                     line), found {}",
                    n + 1,
                    fields.len()
                ));
            };
            if !["cuts", "plots", "output"].contains(&section) {
                return Err(format!(
                    "{origin}:{}: section `{section}` is not cuts, plots or output",
                    n + 1
                ));
            }
            examples.push(Example {
                section: section.to_owned(),
                phrasing: phrasing.to_owned(),
                canonical: canonical.to_owned(),
            });
        }
        Ok(Bank {
            examples,
            vectors: Vec::new(),
        })
    }

    /// Every example, in file order.
    pub fn examples(&self) -> &[Example] {
        &self.examples
    }

    /// The [`SHOWN`] examples nearest `bullet` by the encoder's cosine similarity, nearest
    /// last (closest to the question in the prompt); without an encoder, or if it fails, the
    /// first ones in the file.
    pub fn nearest(&mut self, bullet: &str, embedder: Option<&mut Embedder>) -> Vec<&Example> {
        let order = embedder.and_then(|e| self.ranked(bullet, e).ok());
        let mut picked: Vec<usize> = match order {
            Some(o) => o.into_iter().take(SHOWN).collect(),
            None => (0..self.examples.len().min(SHOWN)).collect(),
        };
        picked.reverse();
        picked.iter().map(|&i| &self.examples[i]).collect()
    }

    fn ranked(&mut self, bullet: &str, e: &mut Embedder) -> Result<Vec<usize>, String> {
        if self.vectors.len() != self.examples.len() {
            self.vectors = self
                .examples
                .iter()
                .map(|x| e.embed(&x.phrasing))
                .collect::<Result<_, _>>()
                .map_err(|err| err.to_string())?;
        }
        let q = e.embed(bullet).map_err(|err| err.to_string())?;
        let mut scored: Vec<(f32, usize)> = self
            .vectors
            .iter()
            .enumerate()
            .map(|(i, v)| (q.iter().zip(v).map(|(a, b)| a * b).sum(), i))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok(scored.into_iter().map(|(_, i)| i).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_bank_reads_and_every_canonical_line_is_one() {
        let bank = Bank::load(None).expect("bank");
        assert!(bank.examples().len() >= 50);
        let g = super::super::Grammar::canonical();
        for x in bank.examples() {
            assert!(g.complete(&x.canonical), "not canonical: {}", x.canonical);
        }
    }

    #[test]
    fn a_malformed_line_is_named() {
        let err = Bank::parse("# c\ncuts\tMET above 5\n", "b.tsv").expect_err("two fields");
        assert!(err.starts_with("b.tsv:2: expected 3"), "{err}");
        let err = Bank::parse("cut\ta\tb\n", "b.tsv").expect_err("section");
        assert!(err.contains("b.tsv:1: section `cut`"), "{err}");
    }

    #[test]
    fn without_an_encoder_the_first_examples_are_shown() {
        let mut bank = Bank::parse("cuts\ta\tx\ncuts\tb\ty\n", "b").expect("bank");
        let shown: Vec<&str> = bank
            .nearest("q", None)
            .iter()
            .map(|x| x.phrasing.as_str())
            .collect();
        assert_eq!(shown, ["b", "a"]);
    }
}
