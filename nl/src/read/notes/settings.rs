//! Settings for every histogram: "Each histogram should have 40 bins", "Normalise all
//! histograms to unity", "use a log scale for all plots", or several at once: "Each
//! histogram: 40 bins, normalised to unity".

use crate::ir::Stmt;

/// The settings a clause gives every histogram: one, or several joined by commas and "and"
/// under one scope ("each histogram: 40 bins, normalised to unity, log scale").
pub(super) fn all_settings(words: &[&str]) -> Option<Vec<Stmt>> {
    let one = |w: &[&str]| {
        all_bins(w)
            .or_else(|| all_normalised(w))
            .or_else(|| all_log(w))
    };
    if let Some(s) = one(words) {
        return Some(vec![s]);
    }
    let scoped = words.iter().any(|w| matches!(*w, "each" | "every" | "all"));
    if !scoped {
        return None;
    }
    let mut out = Vec::new();
    for part in words.split(|w| matches!(*w, "," | "and" | ";")) {
        if part.is_empty() {
            continue;
        }
        let mut w: Vec<&str> = vec!["each", "histogram"];
        w.extend(
            part.iter()
                .filter(|w| !matches!(**w, "each" | "every" | "all")),
        );
        out.push(one(&w)?);
    }
    (out.len() >= 2).then_some(out)
}

/// "Each histogram should have 40 bins", "use 50 bins for all plots".
fn all_bins(words: &[&str]) -> Option<Stmt> {
    let filler = [
        "use",
        "each",
        "every",
        "histogram",
        "plot",
        "with",
        "for",
        "all",
        "should",
        "have",
        "has",
        "must",
        "be",
        "in",
        "per",
        "the",
        "a",
        ":",
        ",",
        ".",
    ];
    let n_at = words.iter().position(|w| w.parse::<f64>().is_ok())?;
    let n: f64 = words[n_at].parse().ok()?;
    if words.get(n_at + 1) != Some(&"bins")
        || !words.iter().any(|w| matches!(*w, "each" | "every" | "all"))
    {
        return None;
    }
    let ok = words
        .iter()
        .enumerate()
        .all(|(k, w)| k == n_at || k == n_at + 1 || filler.contains(w));
    (ok && n >= 1.0 && n.fract() == 0.0).then_some(Stmt::AllBins(n as usize))
}

/// "Normalize all histograms to unity (density=True)".
fn all_normalised(words: &[&str]) -> Option<Stmt> {
    let filler = [
        "normalised",
        "each",
        "every",
        "histogram",
        "plot",
        "all",
        "to",
        "unity",
        "unit",
        "area",
        "1",
        "one",
        "density",
        "=",
        "true",
        "(",
        ")",
        "should",
        "be",
        "must",
        "the",
        "shapes",
        "shape",
        ",",
        ".",
    ];
    let has = |w: &str| words.contains(&w);
    (words.iter().all(|w| filler.contains(w))
        && has("normalised")
        && (has("histogram") || has("plot") || has("all")))
    .then_some(Stmt::AllNormalised)
}

/// "Use a log scale for all plots".
fn all_log(words: &[&str]) -> Option<Stmt> {
    let filler = [
        "use",
        "a",
        "logscale",
        "y",
        "axis",
        "for",
        "all",
        "each",
        "every",
        "histogram",
        "plot",
        "on",
        "the",
        "in",
        "with",
        "should",
        "be",
        ",",
        ".",
    ];
    (words.contains(&"logscale")
        && words.iter().all(|w| filler.contains(w))
        && words.iter().any(|w| matches!(*w, "all" | "each" | "every")))
    .then_some(Stmt::AllLogY)
}
