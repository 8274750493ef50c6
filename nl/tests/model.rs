//! The model runners against the committed fixture models, through the real ONNX Runtime
//! library that install.sh provides (`ORT_DYLIB_PATH` overrides its location).
//!
//! The references in `fixtures/models/reference.json` were computed with Python onnxruntime by
//! `fixtures/models/make_fixtures.py`; the runners must reproduce them.

use collm_nl::model::{Decoding, Embedder, Grammar, Lm, ModelKind, Models, Request};
use collm_nl::read::{read, Ctx, Section};
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
        .any(|&s| read(line, s, &mut Ctx::default()).is_ok())
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
    assert!(m.has_lm() && !m.has_embedder());
    let err = Models::open(&fixtures())
        .err()
        .expect("the fixtures folder itself is no model");
    assert!(err.to_string().contains("model.onnx"), "{err}");
    let err = Lm::load(&fixtures().join("tiny-embed"))
        .err()
        .expect("an encoder is no LM");
    assert!(err.to_string().contains("past_key_values"), "{err}");
}

#[test]
fn forks_leave_the_greedy_line_once_and_end_as_whole_lines() {
    let g = Grammar::canonical();
    let mut lm = lm();
    let mut forks = 0;
    for prompt in [
        "Bullet: Select events with MET above 30 GeV\nCanonical: ",
        "Bullet: the muons have the same charge\nCanonical: ",
    ] {
        let req = Request {
            prompt,
            max_tokens: 80,
            decoding: Decoding::Greedy,
            grammar: Some(g),
            stop: None,
        };
        let greedy = lm.generate(&req).expect("generate");
        let (best, others) = lm.generate_forks(&req, 4).expect("forks");
        assert_eq!(best, greedy, "the first line is the greedy one");
        assert!(others.len() <= 4);
        for (k, o) in others.iter().enumerate() {
            assert!(o.finished && g.complete(&o.text), "{:?}", o.text);
            assert!(parses(&o.text), "{:?} does not parse", o.text);
            assert_ne!(o.text, best.text);
            assert!(others[..k].iter().all(|p| p.text != o.text), "repeated");
            // It follows the greedy line up to one token, where it took another.
            let at = o
                .ids
                .iter()
                .zip(&best.ids)
                .take_while(|(a, b)| a == b)
                .count();
            assert!(at < o.ids.len(), "{:?} never left the greedy line", o.text);
        }
        forks += others.len();
    }
    assert!(forks > 0, "no fork ended as a whole line");
}

#[test]
fn a_bullet_the_grammar_cannot_read_goes_to_the_model() {
    let spec =
        "[SELECTION_CUTS]\n- Require MET > 30 GeV\n- Keep events where the flux capacitor glows\n";
    let plain = collm_nl::understand(spec).expect_err("the grammar alone cannot read it");
    assert_eq!(plain.unread.len(), 1);
    assert!(plain.unread[0].model_note.is_none());
    // The fixture carries a short prompt of its own (prompts/ in the model directory): the
    // default few-shot prompt does not fit its 512-position context.
    let mut models = Models::open(&fixtures().join("tiny-lm")).expect("open");
    // The random-weight fixture writes some canonical line; the checks on a model's reading
    // decide whether it is used. Either way the model was asked, and says so.
    match collm_nl::understand_with(spec, Some(&mut models)) {
        Ok(u) => {
            let r = &u.readings[1];
            assert!(r.by_model, "the second bullet was read by the model");
            assert!(!u.readings[0].by_model);
            assert!(parses(&r.canonical), "{:?}", r.canonical);
            assert!(u.echo_text().contains("(read by the model: check it)"));
            assert!(u.echo_html().contains("read by the model"));
        }
        Err(e) => {
            let note = e.unread[0].model_note.as_deref().unwrap_or_default();
            assert!(
                note.starts_with("the language model could not read it either: its reading \""),
                "{note}"
            );
        }
    }
}

#[test]
fn sampling_is_reproducible_per_seed_and_stops_at_the_context() {
    let mut lm = lm();
    let req = |seed| Request {
        prompt: "fn main() {",
        max_tokens: 40,
        decoding: Decoding::Sample {
            seed,
            temperature: 1.0,
        },
        grammar: None,
        stop: None,
    };
    let a = lm.generate(&req(1)).expect("seed 1");
    assert_eq!(a, lm.generate(&req(1)).expect("seed 1 again"));
    assert_ne!(a.ids, lm.generate(&req(2)).expect("seed 2").ids);
    let long = "x".repeat(600);
    let err = lm
        .generate(&Request {
            prompt: &long,
            ..req(1)
        })
        .expect_err("too long");
    assert!(err.to_string().contains("context is 512"), "{err}");
    let near = "x".repeat(500);
    let out = lm
        .generate(&Request {
            prompt: &near,
            ..req(1)
        })
        .expect("near the end");
    assert_eq!(
        out.ids.len(),
        12,
        "generation stops at the 512-position context"
    );
    assert!(!out.finished);
}

#[test]
fn encoder_ranks_suggestions_for_unread_bullets() {
    let spec = "- Keep events where the flux capacitor glows above 88\n";
    let mut models = Models::open(&fixtures().join("tiny-embed")).expect("open");
    let e = collm_nl::understand_with(spec, Some(&mut models)).expect_err("unread");
    let s = &e.unread[0].suggestions;
    assert_eq!(s.len(), 3);
    assert!(
        s.iter().any(|x| x.contains("88")),
        "numbers are carried into suggestions: {s:?}"
    );
}
