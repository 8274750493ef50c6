//! Repair proposals from the language model, the last resort of the fixer after rustc's
//! suggestions and the domain rules.

use super::{Decoding, Lm, Request};

/// A whole corrected cell proposed by the model for `code` failing with `error`, from the
/// prompt `prompts/repair.txt`. Attempt `k` samples with seed `k`, so successive attempts
/// differ while each stays reproducible. `None` when the model returned nothing new.
pub fn propose_fix(
    lm: &mut Lm,
    code: &str,
    error: &str,
    attempt: u64,
) -> Result<Option<String>, String> {
    let prompt = super::prompts::render(
        "repair.txt",
        &[("code", code), ("error", error)],
        Some(lm.dir()),
    )?;
    let budget = lm.encode(code).map_err(|e| e.to_string())?.len() * 2 + 256;
    let out = lm
        .generate(&Request {
            prompt: &prompt,
            max_tokens: budget.min(4096),
            decoding: Decoding::Sample {
                seed: attempt,
                temperature: 0.7,
            },
            grammar: None,
            stop: Some("CELL>>>"),
        })
        .map_err(|e| e.to_string())?;
    let fixed = out.text.trim_matches('\n').to_owned();
    Ok((out.finished && !fixed.trim().is_empty() && fixed.trim() != code.trim()).then_some(fixed))
}
