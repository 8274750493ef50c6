//! Misspelt key words: "at leats 3 jets", "2 muns", "misisng energy". Passed over as unknown
//! words, they would change a reading silently ("at leats 3 jets" would count exactly 3), so
//! a word one edit away from a key word is read as it, and the echo says so.

use crate::lexicon::is_known;

/// Words worth correcting: the ones whose loss changes a cut. Five letters or more, so that
/// one edit rarely reaches another word.
const KEY_WORDS: &[&str] = &[
    "least",
    "exactly",
    "muons",
    "muon",
    "electrons",
    "electron",
    "photons",
    "photon",
    "leptons",
    "lepton",
    "missing",
    "transverse",
    "momentum",
    "invariant",
    "opposite",
    "charge",
    "leading",
    "subleading",
    "between",
    "within",
    "above",
    "below",
    "greater",
    "smaller",
    "require",
    "required",
    "events",
    "pseudorapidity",
    "rapidity",
    "separation",
    "vetoed",
    "rejected",
    "removed",
    "discarded",
    "distribution",
    "histogram",
];

/// The key word an unknown word is a misspelling of: one letter added, dropped, changed, or
/// two neighbours swapped.
pub fn corrected(w: &str) -> Option<&'static str> {
    if w.chars().count() < 4 || !w.chars().all(|c| c.is_ascii_lowercase()) || is_known(w) {
        return None;
    }
    KEY_WORDS
        .iter()
        .copied()
        .find(|k| k.len() >= 5 && *k != w && one_edit(w.as_bytes(), k.as_bytes()))
}

/// Every correction in a text, in order, as (written, read as), for the echo.
pub fn corrections(text: &str) -> Vec<(String, &'static str)> {
    text.split(|c: char| !c.is_alphabetic())
        .filter_map(|w| {
            let lower = w.to_lowercase();
            corrected(&lower).map(|k| (w.to_owned(), k))
        })
        .collect()
}

/// Whether `a` becomes `b` by one insertion, deletion, substitution or adjacent swap.
fn one_edit(a: &[u8], b: &[u8]) -> bool {
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[p..], &b[p..]);
    match a.len() as isize - b.len() as isize {
        0 => a.len() >= 2 && a[0] == b[1] && a[1] == b[0] && a[2..] == b[2..] || a[1..] == b[1..],
        1 => a[1..] == *b,
        -1 => *a == b[1..],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_away_is_corrected() {
        assert_eq!(corrected("leats"), Some("least"));
        assert_eq!(corrected("muns"), Some("muons"));
        assert_eq!(corrected("eletrons"), Some("electrons"));
        assert_eq!(corrected("misisng"), Some("missing"));
        assert_eq!(corrected("exaclty"), Some("exactly"));
        assert_eq!(corrected("leadng"), Some("leading"));
    }

    #[test]
    fn known_and_distant_words_are_kept() {
        for w in [
            "least", "must", "most", "jets", "event", "mass", "xyzzy", "leptonic",
        ] {
            assert_eq!(corrected(w), None, "{w}");
        }
    }

    /// No word a reader matches literally is taken for a misspelling of another.
    #[test]
    fn no_reader_word_is_corrected() {
        let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut stack = vec![std::path::PathBuf::from(src)];
        let mut bad = Vec::new();
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                for e in std::fs::read_dir(&p).expect("src dir").flatten() {
                    stack.push(e.path());
                }
                continue;
            }
            if p.extension().is_none_or(|e| e != "rs") || p.ends_with("typos.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&p).expect("source");
            for lit in text.split('"').skip(1).step_by(2) {
                if let Some(k) = corrected(lit) {
                    bad.push(format!("{}: {lit:?} -> {k}", p.display()));
                }
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}
