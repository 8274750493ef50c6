//! The installed pretrained models (`collm models install`), run through the kernel's own
//! runners, against `models/reference.json`:
//! - the encoder's embeddings against an independent numpy forward pass of the original
//!   weights: the float export within the stored tolerance, the int8 one in direction;
//! - the language model's tokenizer and free-running greedy decoding against llama.cpp on the
//!   same weights (tests/models/test_lm_reference.py compares every step, and the Q4_1 file).
//!
//! The models are installed by `install.sh`; with `COLLM_NO_MODELS=1`, or when they are not
//! there, the test says so and checks nothing.

use collm_nl::model::{models_dir, Decoding, Embedder, Lm, Request};
use std::path::PathBuf;

fn installed(which: &str) -> Option<PathBuf> {
    if std::env::var("COLLM_NO_MODELS").as_deref() == Ok("1") {
        eprintln!("skipped: COLLM_NO_MODELS=1");
        return None;
    }
    let dir = models_dir().join(which);
    if !dir.join("model.onnx").is_file() {
        eprintln!(
            "skipped: no model in {} (collm models install puts it there)",
            dir.display()
        );
        return None;
    }
    Some(dir)
}

fn reference(which: &str) -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../models/reference.json");
    let text = std::fs::read_to_string(path).expect("models/reference.json");
    serde_json::from_str::<serde_json::Value>(&text).expect("JSON")[which].clone()
}

fn ids(v: &serde_json::Value) -> Vec<u32> {
    v.as_array()
        .expect("ids")
        .iter()
        .map(|x| x.as_u64().expect("id") as u32)
        .collect()
}

/// A copy of the export with only `file` as its model.onnx (the runner opens model.onnx).
fn variant(dir: &std::path::Path, file: &str) -> tempfile::TempDir {
    let t = tempfile::tempdir().expect("dir");
    for f in ["tokenizer.json", "config.json"] {
        std::fs::copy(dir.join(f), t.path().join(f)).expect("copy");
    }
    std::os::unix::fs::symlink(dir.join(file), t.path().join("model.onnx")).expect("link");
    t
}

#[test]
fn the_installed_encoder_reproduces_the_independent_reference() {
    let Some(dir) = installed("embed") else {
        return;
    };
    let r = reference("encoder");
    let tolerance = r["tolerance"].as_f64().expect("tolerance") as f32;
    for (file, check) in [("model.onnx", "float"), ("model.int8.onnx", "int8")] {
        let copy = variant(&dir, file);
        let mut e = Embedder::load(copy.path()).expect("load");
        for s in r["sentences"].as_array().expect("sentences") {
            let text = s["text"].as_str().expect("text");
            let want: Vec<f32> = s["embedding"]
                .as_array()
                .expect("embedding")
                .iter()
                .map(|v| v.as_f64().expect("number") as f32)
                .collect();
            let got = e.embed(text).expect("embed");
            assert_eq!(got.len(), want.len());
            if check == "float" {
                let worst = got
                    .iter()
                    .zip(&want)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0f32, f32::max);
                assert!(worst <= tolerance, "{file} {text:?}: off by {worst}");
            } else {
                let cos: f32 = got.iter().zip(&want).map(|(a, b)| a * b).sum();
                assert!(cos >= 0.98, "{file} {text:?}: cosine {cos}");
            }
        }
    }
}

#[test]
fn the_installed_language_model_decodes_as_llama_cpp_does() {
    let Some(dir) = installed("lm") else { return };
    let r = reference("lm");
    let mut lm = Lm::load(&dir).expect("load");
    for p in r["prompts"].as_array().expect("prompts") {
        let text = p["text"].as_str().expect("text");
        let prompt = ids(&p["prompt_ids"]);
        assert_eq!(lm.encode(text).expect("encode"), prompt, "{text:?}");
        let want = ids(&p["greedy_ids"]);
        let req = Request {
            prompt: text,
            max_tokens: want.len(),
            decoding: Decoding::Greedy,
            grammar: None,
            stop: None,
        };
        let got = lm.generate_ids(&prompt, &req).expect("generate");
        assert_eq!(got.ids, want, "{text:?}");
    }
}
