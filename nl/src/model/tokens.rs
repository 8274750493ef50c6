//! Loading a `tokenizer.json` and knowing the exact bytes each token stands for.
//!
//! Constrained decoding walks the grammar over a token's bytes, so the text of every id must be
//! known without decoding whole sequences. Byte-level BPE vocabularies (GPT-2 style, `Ġ` for a
//! space) are mapped back through their byte alphabet; SentencePiece-style vocabularies use
//! `▁` for a space and `<0xNN>` for raw bytes.

use super::ModelError;
use std::path::Path;
use tokenizers::{DecoderWrapper, Tokenizer};

/// A tokenizer and the byte string of every token id (`None` for special tokens, which never
/// appear in generated text).
pub struct Tokens {
    /// The Hugging Face tokenizer, for encoding prompts.
    pub tokenizer: Tokenizer,
    /// Bytes of each id, indexed by id.
    pub bytes: Vec<Option<Vec<u8>>>,
}

impl Tokens {
    /// Reads `dir/tokenizer.json`.
    pub fn load(dir: &Path) -> Result<Self, ModelError> {
        let path = dir.join("tokenizer.json");
        if !path.is_file() {
            return Err(ModelError::File {
                path,
                problem: "missing: a model directory needs the tokenizer.json of its export".into(),
            });
        }
        let tokenizer = Tokenizer::from_file(&path).map_err(|e| ModelError::File {
            path: path.clone(),
            problem: format!("not a readable tokenizer: {e}"),
        })?;
        let byte_level = matches!(tokenizer.get_decoder(), Some(DecoderWrapper::ByteLevel(_)));
        let unbyte = byte_alphabet_inverse();
        let special: std::collections::HashSet<u32> = tokenizer
            .get_added_tokens_decoder()
            .into_iter()
            .filter(|(_, t)| t.special)
            .map(|(id, _)| id)
            .collect();
        let vocab = tokenizer.get_vocab(true);
        let size = vocab.values().map(|&i| i as usize + 1).max().unwrap_or(0);
        let mut bytes = vec![None; size];
        for (text, id) in vocab {
            if special.contains(&id) {
                continue;
            }
            bytes[id as usize] = Some(if byte_level {
                text.chars()
                    .map(|c| unbyte.get(&c).copied())
                    .collect::<Option<Vec<u8>>>()
                    .unwrap_or_else(|| text.into_bytes())
            } else {
                piece_bytes(&text)
            });
        }
        Ok(Tokens { tokenizer, bytes })
    }

    /// Token ids of `text`, without special tokens added around it.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>, ModelError> {
        self.ids(text, false)
    }

    /// Token ids of `text` with the special tokens the tokenizer's post-processor puts around
    /// a whole text (none if it has no post-processor).
    pub fn encode_framed(&self, text: &str) -> Result<Vec<u32>, ModelError> {
        self.ids(text, true)
    }

    fn ids(&self, text: &str, framed: bool) -> Result<Vec<u32>, ModelError> {
        self.tokenizer
            .encode(text, framed)
            .map(|e| e.get_ids().to_vec())
            .map_err(|e| ModelError::Decode(format!("tokenizer: {e}")))
    }
}

/// SentencePiece conventions: `▁` is a space, `<0x0A>` is one raw byte.
fn piece_bytes(text: &str) -> Vec<u8> {
    if let Some(hex) = text.strip_prefix("<0x").and_then(|t| t.strip_suffix('>')) {
        if let Ok(b) = u8::from_str_radix(hex, 16) {
            return vec![b];
        }
    }
    text.replace('\u{2581}', " ").into_bytes()
}

/// GPT-2's byte-to-character alphabet, inverted: printable Latin-1 bytes stand for
/// themselves, the other 68 bytes are shifted to U+0100 and up.
fn byte_alphabet_inverse() -> std::collections::HashMap<char, u8> {
    let printable = |b: u8| matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
    let mut next = 256u32;
    (0..=255u8)
        .map(|b| {
            let c = if printable(b) {
                char::from(b)
            } else {
                let c = char::from_u32(next).unwrap_or('\u{FFFD}');
                next += 1;
                c
            };
            (c, b)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpt2_alphabet_maps_space_and_newline() {
        let inv = byte_alphabet_inverse();
        assert_eq!(inv.len(), 256);
        assert_eq!(inv[&'\u{120}'], b' ');
        assert_eq!(inv[&'\u{10A}'], b'\n');
        assert_eq!(inv[&'a'], b'a');
    }

    #[test]
    fn sentencepiece_pieces() {
        assert_eq!(piece_bytes("\u{2581}GeV"), b" GeV");
        assert_eq!(piece_bytes("<0x0A>"), b"\n");
        assert_eq!(piece_bytes("<0xZZ>"), b"<0xZZ>");
    }
}
