//! Whether a model's reading is about the objects its bullet names. A small model held to
//! the canonical grammar still writes well-formed lines about the wrong things ("photons
//! separated by ΔR > 0.4" became a cut on |η| of a photon, "jets above 40 GeV" a cut on
//! MET); a reading that names objects the bullet does not, or drops one it names, drops a
//! property the bullet writes as a symbol, or uses a number the bullet does not state where
//! one must be stated, is refused and the bullet is left for the user, with suggestions.

use crate::ir::Kind;
use crate::lex::tokenize;
use crate::lexicon::{kind_word, symbol};
use std::collections::BTreeSet;

/// The kinds of object a text names: kind words and symbols ("muons", "mu2", "MET"), and the
/// "di-" words ("dimuon", "dijet").
fn kinds(text: &str) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    for t in tokenize(text) {
        let w = t.text.as_str();
        let w = w
            .strip_prefix("di")
            .filter(|rest| kind_word(rest).is_some())
            .unwrap_or(w);
        let w = w
            .strip_suffix('s')
            .filter(|one| *one == "dijet" || kind_word(one).is_some())
            .unwrap_or(w);
        let kind = kind_word(w)
            .map(|(k, _)| k)
            .or_else(|| symbol(w).map(|(k, _)| k));
        if let Some(k) = kind {
            out.insert(name(k));
        }
        if [
            "b-jet", "b-jets", "bjet", "bjets", "b-tag", "b-tags", "b-tagged",
        ]
        .contains(&w)
        {
            out.insert(name(Kind::BJet));
        }
        if let Some((_, k)) = FOREIGN_WORDS.iter().find(|(f, _)| *f == w) {
            out.insert(name(*k));
        }
    }
    let lower = text.to_lowercase();
    if FOREIGN_MET.iter().any(|m| lower.contains(m)) {
        out.insert(name(Kind::Met));
    }
    out
}

/// Object words of German, French, Italian and Spanish bullets, which only the model reads:
/// its reading must still be about the objects the bullet names. (Those one letter from the
/// English word are already read as it by the tokenizer.)
const FOREIGN_WORDS: [(&str, Kind); 15] = [
    ("myon", Kind::Muon),
    ("myonen", Kind::Muon),
    ("muón", Kind::Muon),
    ("elektronen", Kind::Electron),
    ("électron", Kind::Electron),
    ("électrons", Kind::Electron),
    ("elettrone", Kind::Electron),
    ("elettroni", Kind::Electron),
    ("electrón", Kind::Electron),
    ("photonen", Kind::Photon),
    ("fotone", Kind::Photon),
    ("fotoni", Kind::Photon),
    ("fotón", Kind::Photon),
    ("fotones", Kind::Photon),
    ("leptonen", Kind::Lepton),
];

/// Missing transverse energy in those languages.
const FOREIGN_MET: [&str; 6] = [
    "fehlende energie",
    "fehlende transversale energie",
    "énergie transverse manquante",
    "énergie manquante",
    "energía transversa faltante",
    "energia trasversa mancante",
];

fn name(k: Kind) -> &'static str {
    k.plural()
}

/// `None` when the reading names exactly the bullet's objects (a bullet's "lepton" may stand
/// beside the kind it qualifies, as in "tau leptons"); otherwise what differs.
pub fn objects_differ(bullet: &str, reading: &str) -> Option<String> {
    let (said, read) = (kinds(bullet), kinds(reading));
    let added: Vec<&str> = read.difference(&said).copied().collect();
    let lepton = name(Kind::Lepton);
    let dropped: Vec<&str> = said
        .difference(&read)
        .copied()
        .filter(|k| *k != lepton || read.is_empty())
        .collect();
    match (added.is_empty(), dropped.is_empty()) {
        (true, true) => None,
        (false, _) => Some(format!(
            "names {} that the bullet does not",
            added.join(", ")
        )),
        (true, false) => Some(format!(
            "leaves out the {} the bullet names",
            dropped.join(", ")
        )),
    }
}

/// Separations by their token in a bullet and their name in a canonical line.
const SEPARATIONS: [(&str, &str); 3] = [("dr", "dR"), ("dphi", "dPhi"), ("deta", "dEta")];

/// Words that say two objects are near or far without naming the separation.
const SEPARATION_WORDS: [&str; 14] = [
    "separated",
    "separation",
    "apart",
    "within",
    "away",
    "near",
    "close",
    "closer",
    "farther",
    "overlap",
    "overlapping",
    "isolated",
    "distance",
    "back-to-back",
];

/// `None` when the reading uses the properties the bullet writes as symbols (η, ΔR, Δφ, Δη)
/// and no separation the bullet does not speak of; otherwise what differs. "the muon must
/// be central (|η|<2)" is not a cut on ΔR.
pub fn properties_differ(bullet: &str, reading: &str) -> Option<String> {
    let toks = tokenize(bullet);
    let said = |w: &str| toks.iter().any(|t| t.text == w);
    if said("eta") && !reading.contains("eta") {
        return Some("leaves out the pseudorapidity the bullet writes".into());
    }
    let spoken = SEPARATION_WORDS.iter().any(|w| said(w));
    for (token, name) in SEPARATIONS {
        let used = reading.contains(&format!("{name}("));
        if said(token) && !used {
            return Some(format!("leaves out the {name} the bullet writes"));
        }
        if used && !said(token) && !spoken {
            return Some(format!("cuts on {name}, of which the bullet says nothing"));
        }
    }
    None
}

/// Words that make a bullet a veto or an upper limit of zero.
const NEGATIONS: [&str; 14] = [
    "no", "not", "none", "zero", "without", "veto", "vetoed", "vetoes", "reject", "rejected",
    "exclude", "excluded", "discard", "nothing",
];

/// The largest pseudorapidity bound a detector gives meaning to.
const ETA_LIMIT: f64 = 6.0;

/// `None` when nothing in the reading lacks a ground in the bullet; otherwise what does: a
/// veto ("require no …") from a bullet with no word of negation, or a pseudorapidity bound
/// beyond any detector (the number was the bullet's, meant for something else).
pub fn unfounded(bullet: &str, reading: &str) -> Option<String> {
    let negated = tokenize(bullet)
        .iter()
        .any(|t| NEGATIONS.contains(&t.text.as_str()));
    if reading.contains("require no ") && !negated {
        return Some("is a veto, but the bullet says nothing of one".into());
    }
    let words: Vec<&str> = reading
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .collect();
    // A reference mass the bullet does not state belongs in a window around it ("|m − 91.1876|
    // < 10"), not as a bound of its own ("50 < HT < 125" from "more than 50 GeV").
    let stated = stated_numbers(bullet);
    let is_stated = |v: f64| stated.iter().any(|s| (s - v).abs() < 1e-9);
    for (k, w) in words.iter().enumerate() {
        let Ok(v) = w.trim_matches('|').parse::<f64>() else {
            continue;
        };
        let windowed = k > 0 && words[k - 1] == "-";
        if v > 10.0 && !windowed && !is_stated(v) {
            return Some(format!("uses {w}, which the bullet does not state"));
        }
    }
    // A window around a reference mass needs a bullet that speaks of a mass or a resonance.
    let windowed = words
        .iter()
        .enumerate()
        .any(|(k, w)| k > 0 && words[k - 1] == "-" && w.trim_matches('|').parse::<f64>().is_ok());
    let resonance = tokenize(bullet).iter().any(|t| {
        let w = t.text.as_str();
        RESONANCE_WORDS.contains(&w) || w.starts_with("m_") || w.starts_with("mass")
    });
    if windowed && !resonance {
        return Some("is a mass window, but the bullet speaks of no mass".into());
    }
    // Both bounds of a range come from the bullet: "|η| below 2.5" is no "2.5 < |η| < 5".
    if let Some(range) = reading.strip_prefix("require ") {
        let bounds: Vec<&str> = range.split(" < ").collect();
        if let [lo, .., hi] = bounds.as_slice() {
            for b in [lo.trim(), hi.split(' ').next().unwrap_or_default()] {
                let unstated = b.parse::<f64>().is_ok_and(|v| !is_stated(v));
                if unstated && bounds.len() == 3 {
                    return Some(format!(
                        "bounds a range at {b}, which the bullet does not state"
                    ));
                }
            }
        }
    }
    // A threshold on a quantity is the bullet's own ("require MET > 5 GeV" is no reading of
    // "above 40 GeV"); only counts ("require >= 2 jets") may be said in words.
    for w in words.windows(3) {
        let threshold = matches!(w[1], ">" | "<" | ">=" | "<=" | "==" | "!=") && w[0] != "require";
        let unstated = w[2].parse::<f64>().is_ok_and(|v| !is_stated(v));
        if threshold && unstated {
            return Some(format!("cuts at {}, which the bullet does not state", w[2]));
        }
    }
    for w in words.windows(3) {
        let eta = w[0].starts_with("|eta|") || w[0].starts_with("eta(");
        let bound = w[2].trim_start_matches('-').parse::<f64>().ok();
        if let (true, Some(b)) = (eta, bound) {
            if b > ETA_LIMIT {
                return Some(format!(
                    "bounds a pseudorapidity at {b}, beyond any detector"
                ));
            }
        }
    }
    None
}

/// Words that name a mass or a resonance a window may be around.
const RESONANCE_WORDS: [&str; 14] = [
    "m", "z", "w", "higgs", "h", "top", "mz", "mw", "mh", "window", "pole", "peak", "masse",
    "massa",
];

/// Numbers written as words.
const NUMBER_WORDS: [&str; 11] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
];

/// The numbers a bullet writes, in digits (as the model's number limits read them) or as
/// words.
fn stated_numbers(bullet: &str) -> Vec<f64> {
    let words = bullet
        .to_lowercase()
        .split(|c: char| !c.is_alphabetic())
        .filter_map(|w| NUMBER_WORDS.iter().position(|n| *n == w))
        .map(|v| v as f64)
        .collect::<Vec<_>>();
    let mut all = crate::model::written(bullet);
    all.extend(words);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_objects_agree_and_others_do_not() {
        assert_eq!(
            objects_differ(
                "the dimuon mass above 60 GeV",
                "require m(mu1 + mu2) > 60 GeV"
            ),
            None
        );
        assert_eq!(
            objects_differ("tau leptons harder than 30 GeV", "taus: pT > 30 GeV"),
            None
        );
        assert_eq!(
            objects_differ("put the missing energy in the output", "save MET"),
            None
        );
        assert_eq!(
            objects_differ(
                "histograms are normalised to one",
                "all histograms normalised"
            ),
            None
        );
        let why =
            objects_differ("jets need more than 40 GeV", "require MET > 40 GeV").expect("differs");
        assert!(why.contains("MET") || why.contains("jets"), "{why}");
        let why = objects_differ(
            "the photons are separated by more than 0.4 in ΔR",
            "require dR(j1, j2) > 0.4",
        )
        .expect("differs");
        assert_eq!(why, "names jets that the bullet does not");
        assert_eq!(
            objects_differ(
                "énergie transverse manquante au-dessus de 40 GeV",
                "require MET > 40 GeV"
            ),
            None
        );
        assert_eq!(
            objects_differ("mindestens 2 Myonen", "require >= 2 muons"),
            None
        );
        let why =
            objects_differ("the diphoton mass goes into the CSV", "save MET").expect("differs");
        assert!(why.contains("MET"), "{why}");
    }

    #[test]
    fn vetoes_need_a_negation_and_eta_bounds_a_detector() {
        assert!(unfounded("only one muon is allowed", "require no muons").is_some());
        assert_eq!(
            unfounded("events with a tau are vetoed", "require no taus"),
            None
        );
        assert!(unfounded(
            "electrons above 15 GeV",
            "electrons: pT > 15 GeV, |eta| < 15"
        )
        .is_some());
        assert_eq!(
            unfounded("central muons, |η| < 2.4", "muons: |eta| < 2.4"),
            None
        );
        assert!(unfounded("x", "require eta(j1) > -7").is_some());
    }

    #[test]
    fn reference_masses_stand_only_in_windows_unless_stated() {
        let why = unfounded(
            "fehlende Energie größer als 50 GeV",
            "require 50 < HT < 125 GeV",
        );
        assert_eq!(
            why.as_deref(),
            Some("uses 125, which the bullet does not state")
        );
        assert_eq!(
            unfounded(
                "near the Z, within 10",
                "require |m(l1 + l2) - 91.1876| < 10 GeV"
            ),
            None
        );
        assert_eq!(
            unfounded("a mass above 1.2 TeV", "require m(j1 + j2) > 1200 GeV"),
            None
        );
        let why = unfounded(
            "énergie manquante au-dessus de 40 GeV",
            "require MET > 5 GeV",
        );
        assert_eq!(
            why.as_deref(),
            Some("cuts at 5, which the bullet does not state")
        );
        assert_eq!(
            unfounded(
                "at least two jets, Δφ above one",
                "require dPhi(j1, j2) > 1"
            ),
            None
        );
        assert_eq!(unfounded("two or more jets", "require >= 2 jets"), None);
        let why = unfounded(
            "électrons avec pT supérieur à 25 GeV",
            "require |m(e1 + e2) - 91.1876| < 25 GeV",
        );
        assert_eq!(
            why.as_deref(),
            Some("is a mass window, but the bullet speaks of no mass")
        );
        assert_eq!(
            unfounded(
                "the dielectron mass within 25 GeV of the Z",
                "require |m(e1 + e2) - 91.1876| < 25 GeV"
            ),
            None
        );
        let why = unfounded(
            "jets avec |η| inférieur à 2.5",
            "require 2.5 < |eta|(j1) < 5",
        );
        assert_eq!(
            why.as_deref(),
            Some("bounds a range at 5, which the bullet does not state")
        );
        assert_eq!(
            unfounded("mass from 80 to 100", "require 80 < m(mu1 + mu2) < 100 GeV"),
            None
        );
    }

    #[test]
    fn written_properties_are_kept_and_separations_must_be_spoken_of() {
        let why = properties_differ(
            "the muon must be central (|η|<2)",
            "require dR(mu1, mu2) < 2",
        );
        assert_eq!(
            why.as_deref(),
            Some("leaves out the pseudorapidity the bullet writes")
        );
        let why = properties_differ(
            "the leading muon must be central",
            "require dR(mu1, mu2) < 2",
        );
        assert_eq!(
            why.as_deref(),
            Some("cuts on dR, of which the bullet says nothing")
        );
        let why = properties_differ(
            "ΔR between the photons above 0.4",
            "require |eta|(ph1) > 0.4",
        );
        assert_eq!(why.as_deref(), Some("leaves out the dR the bullet writes"));
        assert_eq!(
            properties_differ(
                "the photons are separated by 0.4",
                "require dR(ph1, ph2) > 0.4"
            ),
            None
        );
        assert_eq!(
            properties_differ("jets with |η| < 2.5", "jets: |eta| < 2.5"),
            None
        );
    }
}
