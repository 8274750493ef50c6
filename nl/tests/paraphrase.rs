//! How well bullets written in other words are read: the grammar alone, with the language
//! model shown fixed examples, and with the examples the encoder picks (retrieval), over the
//! corpora in `tests/paraphrase/`. A reading is exact when its canonical line is the one the
//! corpus gives; a top-3 hit is an exact reading, the right line among the two other
//! readings the model offers beside its own, or among the three "did you mean" suggestions of
//! a bullet left unread. Prints the tables; the floors below are what the
//! readers reach today, so a change that reads fewer paraphrases, or misreads more, fails.
//!
//! `bullets.tsv` mixes phrasings the grammar reads with ones it does not; `model_only.tsv`
//! holds only bullets the grammar cannot read, so the model's own share stays measured.
//! The model rows need the installed models (`collm models install`); without them the test
//! says so and measures the grammar only.

use collm_nl::model::bank::{Bank, Example};
use collm_nl::model::{models_dir, Models};
use collm_nl::understand_with;
use std::time::Instant;

/// Exact readings by the grammar alone on bullets.tsv (92 of 101 when set).
const GRAMMAR_EXACT: usize = 92;
/// Exact readings with the model and retrieval on bullets.tsv (96 of 101 when set; a little
/// slack, because a near tie in greedy decoding may go the other way on another machine).
const RETRIEVAL_EXACT: usize = 94;
/// Misreadings with the model and retrieval on bullets.tsv (3 when set, all the model's):
/// flagged in the echo, but wrong all the same.
const RETRIEVAL_MISREAD: usize = 5;
/// Exact readings with the model and retrieval on model_only.tsv (8 of 17 when set, less one
/// for a near tie).
const MODEL_ONLY_EXACT: usize = 7;
/// The whole corpus with the models must reach these shares: exact readings, and the right
/// line among the reading and the two beside it (or the three suggestions).
const WHOLE_EXACT_SHARE: f64 = 0.70;
const WHOLE_TOP3_SHARE: f64 = 0.90;

/// What one reader did with a corpus.
#[derive(Default, Debug)]
struct Score {
    exact: usize,
    top3: usize,
    wrong: usize,
    unread: usize,
    millis: Vec<f64>,
}

impl Score {
    fn percentile(&self, p: f64) -> f64 {
        let mut v = self.millis.clone();
        v.sort_by(f64::total_cmp);
        v[((v.len() - 1) as f64 * p).round() as usize]
    }
}

/// What became of one bullet.
enum Outcome {
    /// Read, with its canonical line, whether the model read it, and the other readings
    /// the model offered.
    Read(String, bool, Vec<String>),
    /// Left unread, with the suggestions.
    Unread(Vec<String>),
}

fn header(section: &str) -> &'static str {
    match section {
        "plots" => "[PLOTS_FOR_VALIDATION]",
        "output" => "[OUTPUT_STRUCTURE]",
        _ => "[SELECTION_CUTS]",
    }
}

fn outcome(section: &str, bullet: &str, models: Option<&mut Models>) -> Outcome {
    let spec = format!("{}\n- {bullet}\n", header(section));
    let readings = match understand_with(&spec, models) {
        Ok(u) => u.readings,
        Err(e) if e.unread.is_empty() => e.read,
        Err(e) => return Outcome::Unread(e.unread[0].suggestions.clone()),
    };
    match readings.first() {
        Some(r) => Outcome::Read(r.canonical.clone(), r.by_model, r.alternatives.clone()),
        None => Outcome::Unread(Vec::new()),
    }
}

/// The canonical line of a text the grammar reads, if it reads it.
fn canonical(section: &str, text: &str) -> Option<String> {
    match outcome(section, text, None) {
        Outcome::Read(line, ..) => Some(line),
        Outcome::Unread(_) => None,
    }
}

fn corpus(name: &str) -> Vec<Example> {
    let path = format!("{}/../tests/paraphrase/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("corpus file");
    Bank::parse(&text, &path)
        .expect("corpus")
        .examples()
        .to_vec()
}

fn measure(corpus: &[Example], mut models: Option<&mut Models>) -> Score {
    let mut s = Score::default();
    for x in corpus {
        let want = canonical(&x.section, &x.canonical)
            .unwrap_or_else(|| panic!("the corpus line {:?} is not canonical", x.canonical));
        let t0 = Instant::now();
        let got = outcome(&x.section, &x.phrasing, models.as_deref_mut());
        s.millis.push(t0.elapsed().as_secs_f64() * 1e3);
        match got {
            Outcome::Read(line, ..) if line == want => {
                s.exact += 1;
                s.top3 += 1;
            }
            Outcome::Read(line, by_model, others) => {
                let who = if by_model { " by the model" } else { "" };
                let hit = others.iter().take(2).any(|g| *g == want);
                let offered = if hit { " (offered beside it)" } else { "" };
                eprintln!(
                    "  misread{who}: {:?} as {line:?}, not {want:?}{offered}",
                    x.phrasing
                );
                s.wrong += 1;
                s.top3 += usize::from(hit);
            }
            Outcome::Unread(suggestions) => {
                s.unread += 1;
                let hit = suggestions
                    .iter()
                    .any(|g| canonical(&x.section, g).as_deref() == Some(want.as_str()));
                if !hit {
                    eprintln!("  unread: {:?}", x.phrasing);
                }
                s.top3 += usize::from(hit);
            }
        }
    }
    s
}

fn row(name: &str, s: &Score, n: usize) {
    let pct = |k: usize| 100.0 * k as f64 / n as f64;
    println!(
        "{name:<40} {:>3}/{n} exact ({:>3.0}%)  top-3 {:>3} ({:>3.0}%)  {:>3} misread  {:>3} unread   \
         p50 {:>7.1} ms  p95 {:>7.1} ms",
        s.exact,
        pct(s.exact),
        s.top3,
        pct(s.top3),
        s.wrong,
        s.unread,
        s.percentile(0.5),
        s.percentile(0.95)
    );
}

#[test]
fn paraphrases_are_read_by_the_grammar_and_the_models() {
    let (mixed, only) = (corpus("bullets.tsv"), corpus("model_only.tsv"));
    assert!(mixed.len() >= 80, "bullets.tsv has {} bullets", mixed.len());
    let grammar = measure(&mixed, None);
    row("bullets.tsv: grammar", &grammar, mixed.len());
    assert!(grammar.exact >= GRAMMAR_EXACT, "{grammar:?}");
    let alone = measure(&only, None);
    row("model_only.tsv: grammar", &alone, only.len());
    assert_eq!(
        alone.unread,
        only.len(),
        "the grammar now reads some of model_only.tsv: move them"
    );
    let dir = models_dir();
    if std::env::var("COLLM_NO_MODELS").as_deref() == Ok("1")
        || !dir.join("lm/model.onnx").is_file()
    {
        eprintln!(
            "model rows skipped: no installed models in {}",
            dir.display()
        );
        return;
    }
    let mut lm_only = Models::open(&dir.join("lm")).expect("language model");
    row(
        "bullets.tsv: + LM (fixed examples)",
        &measure(&mixed, Some(&mut lm_only)),
        mixed.len(),
    );
    let mut both = Models::open(&dir).expect("models");
    let retrieval = measure(&mixed, Some(&mut both));
    row("bullets.tsv: + LM + retrieval", &retrieval, mixed.len());
    assert!(retrieval.exact >= RETRIEVAL_EXACT, "{retrieval:?}");
    assert!(retrieval.wrong <= RETRIEVAL_MISREAD, "{retrieval:?}");
    let model = measure(&only, Some(&mut both));
    row("model_only.tsv: + LM + retrieval", &model, only.len());
    assert!(model.exact >= MODEL_ONLY_EXACT, "{model:?}");
    let n = mixed.len() + only.len();
    let whole = Score {
        exact: retrieval.exact + model.exact,
        top3: retrieval.top3 + model.top3,
        wrong: retrieval.wrong + model.wrong,
        unread: retrieval.unread + model.unread,
        millis: [retrieval.millis, model.millis].concat(),
    };
    row("whole corpus: + LM + retrieval", &whole, n);
    assert!(
        whole.exact as f64 >= WHOLE_EXACT_SHARE * n as f64,
        "{whole:?}"
    );
    assert!(
        whole.top3 as f64 >= WHOLE_TOP3_SHARE * n as f64,
        "{whole:?}"
    );
}
