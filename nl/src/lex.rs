//! Tokenizer: folds the many spellings physicists use (Unicode, LaTeX, `p_T`, `E_T^miss`,
//! `m_jj`) onto one small vocabulary, so the grammar only sees canonical words.

/// One token: a lowercase word, a number, or a symbol. `glued` records that no space preceded
/// it, which tells a call `pT(j1)` from a parenthetical remark `(W candidate)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Tok {
    pub text: String,
    pub num: Option<f64>,
    pub glued: bool,
}

impl Tok {
    fn word(text: &str, glued: bool) -> Tok {
        Tok {
            text: text.to_owned(),
            num: None,
            glued,
        }
    }
}

/// Character-level replacements applied before splitting (order matters: longer first).
const REPLACE: &[(&str, &str)] = &[
    ("\\left", ""),
    ("\\sqrt", " sqrt "),
    ("√", " sqrt "),
    ("\\in", " in "),
    ("\\right", ""),
    ("\\not", ""),
    ("\\delta", " delta "),
    ("\\Delta", " delta "),
    ("Δ", " delta "),
    ("∆", " delta "),
    ("\\eta", "eta"),
    ("η", "eta"),
    ("\\phi", "phi"),
    ("φ", "phi"),
    ("ϕ", "phi"),
    ("\\mu", "mu"),
    ("μ", "mu"),
    ("\\gamma", "gamma"),
    ("γ", "gamma"),
    ("\\tau", "tau"),
    ("τ", "tau"),
    ("\\ell", "l"),
    ("ℓ", "l"),
    ("≥", ">="),
    ("≤", "<="),
    ("−", "-"),
    ("–", "-"),
    ("×", "*"),
    ("·", "*"),
    ("$", ""),
    ("{", ""),
    ("}", ""),
    ("\\", ""),
    ("’", "'"),
];

/// Whole-word synonyms, mapped to canonical token sequences.
const WORDS: &[(&str, &str)] = &[
    ("p_t", "pt"),
    ("pt", "pt"),
    ("p_t^miss", "met"),
    ("e_t^miss", "met"),
    ("etmiss", "met"),
    ("e_tmiss", "met"),
    ("met", "met"),
    ("m_t", "mt"),
    ("h_t", "ht"),
    ("deltar", "dr"),
    ("delta_r", "dr"),
    ("dr", "dr"),
    ("deltaphi", "dphi"),
    ("delta_phi", "dphi"),
    ("deltaeta", "deta"),
    ("delta_eta", "deta"),
    ("normalized", "normalised"),
    ("normalize", "normalised"),
    ("normalise", "normalised"),
    ("flavor", "flavour"),
    ("leptonically", "leptonic"),
    ("hadronically", "hadronic"),
    ("centre", "center"),
    ("histograms", "histogram"),
    ("plots", "plot"),
    ("gammas", "photons"),
    ("gamma", "photon"),
    ("mus", "muons"),
    ("mu", "muon"),
    ("bjet", "b jet"),
    ("bjets", "b jets"),
    ("taus", "taus"),
    ("tau_h", "tau"),
    ("m_jj", "m ( j1 + j2 )"),
    ("mjj", "m ( j1 + j2 )"),
    ("m_ll", "m ( l1 + l2 )"),
    ("mll", "m ( l1 + l2 )"),
    ("m_ee", "m ( e1 + e2 )"),
    ("m_muonmuon", "m ( mu1 + mu2 )"),
    ("m_mumu", "m ( mu1 + mu2 )"),
    ("m_photonphoton", "m ( ph1 + ph2 )"),
    ("m_gammagamma", "m ( ph1 + ph2 )"),
    ("m_yy", "m ( ph1 + ph2 )"),
    ("m_aa", "m ( ph1 + ph2 )"),
    ("m_bb", "m ( b1 + b2 )"),
    ("m_tautau", "m ( tau1 + tau2 )"),
    ("m_4l", "m ( l1 + l2 + l3 + l4 )"),
    ("m_3l", "m ( l1 + l2 + l3 )"),
    ("m_jjj", "m ( j1 + j2 + j3 )"),
    ("deta_jj", "deta ( j1 , j2 )"),
    ("dphi_jj", "dphi ( j1 , j2 )"),
    ("dr_jj", "dr ( j1 , j2 )"),
    ("dphi_ll", "dphi ( l1 , l2 )"),
    ("dr_ll", "dr ( l1 , l2 )"),
    ("pt_ll", "pt ( l1 + l2 )"),
    ("pt_jj", "pt ( j1 + j2 )"),
];

/// Multi-word synonyms (already lowercased, space separated).
const PHRASES: &[(&str, &str)] = &[
    ("missing transverse energy", "met"),
    ("missing transverse momentum", "met"),
    ("missing et", "met"),
    ("missing e_t", "met"),
    ("missing energy", "met"),
    ("transverse momentum", "pt"),
    ("transverse mass", "mt"),
    ("invariant mass", "m"),
    ("scalar sum of jet pt", "ht"),
    ("delta r", "dr"),
    ("delta phi", "dphi"),
    ("delta eta", "deta"),
    ("delta eta_jj", "deta_jj"),
    ("delta phi_jj", "dphi_jj"),
    ("delta r_jj", "dr_jj"),
    ("scalar sum of jet transverse momenta", "ht"),
    ("pseudorapidity", "eta"),
    ("pseudo-rapidity", "eta"),
    ("greater than or equal to", ">="),
    ("less than or equal to", "<="),
    ("greater than", ">"),
    ("larger than", ">"),
    ("more than", ">"),
    ("higher than", ">"),
    ("less than", "<"),
    ("smaller than", "<"),
    ("lower than", "<"),
    ("sub leading", "subleading"),
    ("opposite sign", "os"),
    ("opposite charge", "os"),
    ("opposite charges", "os"),
    ("oppositely charged", "os"),
    ("same sign", "ss"),
    ("same charge", "ss"),
    ("same flavour", "sf"),
    ("same flavor", "sf"),
    ("ossf", "sfos"),
    ("os sf", "sfos"),
    ("sf os", "sfos"),
    ("non b tagged", "light"),
    ("light flavour", "light"),
    ("b tagged", "b"),
    ("at least", ">="),
    ("at most", "<="),
    ("or more", "ormore"),
    ("or fewer", "orfewer"),
    ("or less", "orfewer"),
];

/// Words that never change a reading.
const FILLER: &[&str] = &[
    "the",
    "a",
    "an",
    "distribution",
    "spectrum",
    "candidate",
    "candidates",
    "system",
    "systems",
    "value",
    "please",
    "its",
    "their",
    "all",
    "any",
    "both",
    "is",
    "are",
    "be",
    "should",
    "must",
    "have",
    "has",
    "having",
];

/// Tokenizes one bullet. `keep` keeps filler words (the spec reader uses it for headers).
pub fn tokenize(text: &str) -> Vec<Tok> {
    let mut s = text.to_owned();
    for (from, to) in REPLACE {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    let s = dehyphenate(&s.to_lowercase());
    let raw = split(&s);
    // Multi-word phrases first, on the joined word stream.
    let mut out: Vec<Tok> = Vec::with_capacity(raw.len());
    let mut i = 0;
    'outer: while i < raw.len() {
        for (phrase, to) in PHRASES {
            let words: Vec<&str> = phrase.split(' ').collect();
            if i + words.len() <= raw.len()
                && words
                    .iter()
                    .zip(&raw[i..])
                    .all(|(w, t)| t.num.is_none() && t.text == *w)
            {
                let glued = raw[i].glued;
                for (k, w) in to.split(' ').enumerate() {
                    out.push(Tok::word(w, glued && k == 0));
                }
                i += words.len();
                continue 'outer;
            }
        }
        out.push(raw[i].clone());
        i += 1;
    }
    let mut toks = Vec::with_capacity(out.len());
    for t in out {
        if t.num.is_none() {
            if let Some((_, to)) = WORDS.iter().find(|(w, _)| *w == t.text) {
                for (k, w) in to.split(' ').enumerate() {
                    toks.push(Tok::word(w, if k == 0 { t.glued } else { w == "(" }));
                }
                continue;
            }
            if FILLER.contains(&t.text.as_str()) {
                continue;
            }
        }
        toks.push(t);
    }
    toks
}

/// "b-tagged", "opposite-sign", "sub-leading": a hyphen between letters is a space.
fn dehyphenate(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let joins = c == '-'
            && i > 0
            && chars[i - 1].is_alphabetic()
            && chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
        out.push(if joins { ' ' } else { c });
    }
    out
}

fn split(s: &str) -> Vec<Tok> {
    let chars: Vec<char> = s.chars().collect();
    let mut toks: Vec<Tok> = Vec::new();
    let mut i = 0;
    let mut glued = false;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            glued = false;
            i += 1;
            continue;
        }
        let start = i;
        let prev_operand = toks.last().is_some_and(|t| {
            t.num.is_some()
                || (t.text.chars().all(char::is_alphanumeric) && glued)
                || t.text == ")"
                || t.text == "|"
        });
        let neg = c == '-'
            && !prev_operand
            && chars
                .get(i + 1)
                .is_some_and(|d| d.is_ascii_digit() || *d == '.');
        if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
            || neg
        {
            i += 1;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (chars[i] == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
                    || ((chars[i] == 'e' || chars[i] == 'E')
                        && chars
                            .get(i + 1)
                            .is_some_and(|d| d.is_ascii_digit() || *d == '-' || *d == '+')
                        && chars.get(i + 2).is_some_and(char::is_ascii_digit))
                    || ((chars[i] == '-' || chars[i] == '+') && matches!(chars[i - 1], 'e' | 'E')))
            {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            // Ordinals and numbers glued to letters ("2nd", "1st", "4th") stay words.
            if i < chars.len() && chars[i].is_alphabetic() {
                let mut j = i;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                    j += 1;
                }
                let word: String = chars[start..j].iter().collect();
                toks.push(Tok::word(&word, glued));
                i = j;
            } else {
                toks.push(Tok {
                    num: text.parse().ok(),
                    text,
                    glued,
                });
            }
        } else if c.is_alphanumeric() || c == '_' || c == '^' || c == '\'' {
            while i < chars.len()
                && (chars[i].is_alphanumeric()
                    || chars[i] == '_'
                    || chars[i] == '^'
                    || chars[i] == '\'')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let word = word.trim_matches('\'').to_owned();
            if !word.is_empty() {
                toks.push(Tok::word(&word, glued));
            }
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let sym = if [">=", "<=", "==", "!=", "=>", "=<"].contains(&two.as_str()) {
                i += 2;
                match two.as_str() {
                    "=>" => ">=".to_owned(),
                    "=<" => "<=".to_owned(),
                    _ => two,
                }
            } else {
                i += 1;
                c.to_string()
            };
            toks.push(Tok::word(&sym, glued));
        }
        glued = true;
    }
    toks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn spellings_fold() {
        assert_eq!(words("$p_{T}$ > 25 GeV"), ["pt", ">", "25", "gev"]);
        assert_eq!(words("|\\eta| < 2.5"), ["|", "eta", "|", "<", "2.5"]);
        assert_eq!(words("E_T^{miss} > 30"), ["met", ">", "30"]);
        assert_eq!(words("missing transverse energy"), ["met"]);
        assert_eq!(words("ΔR(j1, j2)"), ["dr", "(", "j1", ",", "j2", ")"]);
        assert_eq!(words("m_jj"), ["m", "(", "j1", "+", "j2", ")"]);
        assert_eq!(words("eta > -2.5"), ["eta", ">", "-2.5"]);
        assert_eq!(words("2nd jet"), ["2nd", "jet"]);
    }
}
