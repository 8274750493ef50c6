//! The fixer's model step: a whole corrected cell from the language model, the last resort
//! after rustc's suggestions and the domain rules.

use collm_nl::model::{prompts, Decoding, Lm, Models, Request};

/// The model step for the models a session or `collm run` has open: `Ok(None)` when no
/// language model is among them.
pub fn propose(
    models: &mut Models,
    code: &str,
    error: &str,
    attempt: u64,
) -> Result<Option<String>, String> {
    match models.lm() {
        Some(lm) => propose_fix(lm, code, error, attempt),
        None => Ok(None),
    }
}

/// A whole corrected cell proposed by the model for `code` failing with `error`, from the
/// prompt `prompts/repair.txt`. Attempt `k` samples with seed `k`, so successive attempts
/// differ while each stays reproducible. `None` when the model returned nothing new.
pub fn propose_fix(
    lm: &mut Lm,
    code: &str,
    error: &str,
    attempt: u64,
) -> Result<Option<String>, String> {
    let prompt = prompts::render(
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// The random-weight fixture LM the nl crate's runner tests use (a 512-position context).
    fn fixture_models() -> Models {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../nl/tests/fixtures/models");
        Models::open(&dir.join("tiny-lm")).unwrap_or_else(|e| {
            panic!("loading the fixture LM failed (run ./install.sh for ONNX Runtime): {e}")
        })
    }

    #[test]
    fn a_repair_that_runs_out_of_context_is_no_proposal_not_an_error() {
        let mut models = fixture_models();
        let fix = propose(&mut models, "let x: i32 = \"1\";", "mismatched types", 1);
        assert!(
            fix.is_ok(),
            "a repair that runs out of context is no proposal, not an error: {fix:?}"
        );
    }

    #[test]
    fn without_a_language_model_there_is_no_model_step() {
        let mut models = Models::default();
        assert_eq!(propose(&mut models, "x", "e", 1), Ok(None));
    }
}
