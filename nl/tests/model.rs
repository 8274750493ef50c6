//! The model runners against the committed fixture models, through the real ONNX Runtime
//! library that install.sh provides (`ORT_DYLIB_PATH` overrides its location).
//!
//! The references in `fixtures/models/reference.json` were computed with Python onnxruntime by
//! `fixtures/models/make_fixtures.py`; the runners must reproduce them.

use collm_nl::model::{Decoding, Embedder, Grammar, Lm, ModelKind, Models, Request};
use collm_nl::parse::{self, Ctx, Section};
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/models")
}

fn reference() -> serde_json::Value {
    let text = std::fs::read_to_string(fixtures().join("reference.json")).expect("reference.json");
    serde_json::from_str(&text).expect("reference.json is JSON")
}

fn ids(v: &serde_json::Value) -> Vec<u32> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_u64().expect("id") as u32)
        .collect()
}

fn lm() -> Lm {
    Lm::load(&fixtures().join("tiny-lm")).unwrap_or_else(|e| {
        panic!("loading the fixture LM failed (run ./install.sh for the ONNX Runtime library): {e}")
    })
}

#[test]
fn greedy_decoding_reproduces_the_python_reference() {
    let r = reference();
    let mut lm = lm();
    let prompt = r["prompt"].as_str().expect("prompt");
    assert_eq!(lm.encode(prompt).expect("encode"), ids(&r["prompt_ids"]));
    let want = ids(&r["greedy_ids"]);
    let got = lm
        .generate(&Request {
            prompt,
            max_tokens: want.len(),
            decoding: Decoding::Greedy,
            grammar: None,
            stop: None,
        })
        .expect("generate");
    assert_eq!(got.ids, want, "greedy ids differ from onnxruntime's");
    assert!(
        !got.finished,
        "the reference run never produces the end token"
    );
}

#[test]
fn embeddings_match_the_python_reference() {
    let r = reference();
    let mut e = Embedder::load(&fixtures().join("tiny-embed")).expect("load encoder");
    for (phrase, want) in r["phrases"]
        .as_array()
        .expect("phrases")
        .iter()
        .zip(r["embeddings"].as_array().expect("embeddings"))
    {
        let got = e.embed(phrase.as_str().expect("phrase")).expect("embed");
        let want: Vec<f64> = want
            .as_array()
            .expect("vector")
            .iter()
            .map(|x| x.as_f64().expect("f"))
            .collect();
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert!((f64::from(*g) - w).abs() < 1e-5, "{phrase}: {g} vs {w}");
        }
    }
    let cands = vec!["plot pT(j1)".to_owned(), "require MET > 30 GeV".to_owned()];
    let ranked = e.rank("require MET > 30 GeV", &cands).expect("rank");
    assert_eq!(ranked[0].1, 1, "a text is nearest to itself");
    assert!((ranked[0].0 - 1.0).abs() < 1e-5);
}

fn parses(line: &str) -> bool {
    [Section::Cuts, Section::Plots, Section::Output]
        .iter()
        .any(|&s| parse::read(line, s, &Ctx::default()).is_some())
}

#[test]
fn constrained_decoding_is_viable_at_every_step_and_parses() {
    let g = Grammar::canonical();
    let mut lm = lm();
    let prompts = [
        "Bullet: Select events with MET above 30 GeV\nCanonical: ",
        "Bullet: two jets, invariant mass near the W\nCanonical: ",
        "Bullet: histogram of the leading muon momentum\nCanonical: ",
    ];
    let mut finished = 0;
    for (k, prompt) in prompts.iter().enumerate() {
        for seed in 0..6u64 {
            let decoding = if seed == 0 {
                Decoding::Greedy
            } else {
                Decoding::Sample {
                    seed: seed + 10 * k as u64,
                    temperature: 1.0,
                }
            };
            let req = Request {
                prompt,
                max_tokens: 80,
                decoding,
                grammar: Some(g),
                stop: None,
            };
            let out = lm.generate(&req).expect("generate");
            assert!(g.viable(&out.text), "{:?} left the grammar", out.text);
            let prompt_ids = lm.encode(prompt).expect("encode");
            for n in 1..=out.ids.len() {
                let partial = lm
                    .generate_ids(
                        &prompt_ids,
                        &Request {
                            max_tokens: n,
                            ..req.clone()
                        },
                    )
                    .expect("prefix");
                assert!(
                    g.viable(&partial.text),
                    "step {n}: {:?} is not a viable prefix",
                    partial.text
                );
            }
            if out.finished {
                finished += 1;
                assert!(g.complete(&out.text), "{:?} stopped incomplete", out.text);
                assert!(
                    parses(&out.text),
                    "constrained output {:?} does not parse",
                    out.text
                );
            }
        }
    }
    assert!(
        finished >= 9,
        "only {finished} of 18 generations completed a line in 80 tokens"
    );
}

#[test]
fn model_directories_are_recognised_and_bad_ones_named() {
    assert_eq!(
        Models::kind(&fixtures().join("tiny-lm")).expect("kind"),
        ModelKind::Lm
    );
    assert_eq!(
        Models::kind(&fixtures().join("tiny-embed")).expect("kind"),
        ModelKind::Embedding
    );
    let m = Models::open(&fixtures().join("tiny-lm")).expect("open");
    assert!(m.lm.is_some() && m.embedder.is_none());
    let err = Models::open(&fixtures())
        .err()
        .expect("the fixtures folder itself is no model");
    assert!(err.to_string().contains("model.onnx"), "{err}");
    let err = Lm::load(&fixtures().join("tiny-embed"))
        .err()
        .expect("an encoder is no LM");
    assert!(err.to_string().contains("past_key_values"), "{err}");
}
