//! Tokenizer: folds the many spellings physicists use (Unicode, LaTeX, `p_T`, `E_T^miss`,
//! `m_jj`, `mμμ`, `Nj`, `≥2j`) onto one small vocabulary, so the reader only sees canonical
//! words. Every token keeps the byte span of the text it came from, so a word the reading
//! did not use can be pointed at.

use std::ops::Range;

pub use crate::token::Tok;

/// Character-level replacements applied before splitting (longest first where they share a
/// prefix). LaTeX commands, Greek letters and Unicode operators become ASCII words.
const REPLACE: &[(&str, &str)] = &[
    ("\\left", ""),
    ("\\right", ""),
    ("\\mathrm", ""),
    ("\\text", ""),
    ("\\rm", ""),
    ("Σ", " sum "),
    ("∑", " sum "),
    (":=", " = "),
    (" w/in ", " within "),
    (" w/ ", " with "),
    ("i.e.", " ie "),
    ("i.e", " ie "),
    ("e.g.", " eg "),
    ("≡", " = "),
    ("\\sqrt", " sqrt "),
    ("√", " sqrt "),
    ("\u{304}", ""),
    ("\u{305}", ""),
    ("\\geq", ">="),
    ("\\leq", "<="),
    ("\\ge", ">="),
    ("\\le", "<="),
    ("\\gt", ">"),
    ("\\lt", "<"),
    ("\\neq", "!="),
    ("\\in", " in "),
    ("\\pm", "±"),
    ("\\times", "*"),
    ("\\cdot", "*"),
    ("\\to", "→"),
    ("\\rightarrow", "→"),
    ("\\not", ""),
    ("\\delta", "delta"),
    ("\\Delta", "delta"),
    ("Δ", "delta"),
    ("∆", "delta"),
    ("δ", "delta"),
    ("\\eta", "eta"),
    ("η", "eta"),
    ("\\phi", "phi"),
    ("\\theta", "theta"),
    ("\\pi", " 3.141592653589793 "),
    ("π", " 3.141592653589793 "),
    ("θ", "theta"),
    ("\\varphi", "phi"),
    ("φ", "phi"),
    ("ϕ", "phi"),
    ("\\mu", "mu"),
    ("μ", "mu"),
    ("µ", "mu"),
    ("\\gamma", "gamma"),
    ("γ", "gamma"),
    ("\\tau", "tau"),
    ("τ", "tau"),
    ("\\nu", "nu"),
    ("ν", "nu"),
    ("\\ell", "l"),
    ("ℓ", "l"),
    ("\\chi", "chi"),
    ("χ", "chi"),
    ("≥", ">="),
    ("⩾", ">="),
    ("≤", "<="),
    ("⩽", "<="),
    ("≠", "!="),
    ("∈", " in "),
    ("∉", " notin "),
    ("∀", " every "),
    ("−", "-"),
    ("–", "-"),
    ("—", " - "),
    ("×", "*"),
    ("·", "*"),
    ("⋅", "*"),
    ("→", " → "),
    ("->", " → "),
    ("⟶", " → "),
    ("²", "^2"),
    ("’", "'"),
    ("‘", "'"),
    ("“", "\""),
    ("”", "\""),
    ("&&", " and "),
    ("$", ""),
    ("\\,", " "),
    ("\\;", " "),
    ("\\!", ""),
    ("\\", ""),
];

/// Multi-word synonyms (lowercased tokens, space separated). Tried longest first at each place.
const PHRASES: &[(&str, &str)] = &[
    ("missing transverse energy", "met"),
    ("missing transverse momentum", "met"),
    ("missing e_t", "met"),
    ("missing et", "met"),
    ("missing pt", "met"),
    ("missing energy", "met"),
    ("missing momentum", "met"),
    ("transverse missing energy", "met"),
    ("transverse missing momentum", "met"),
    ("e_t miss", "met"),
    ("et miss", "met"),
    ("pt miss", "met"),
    ("transverse momentum", "pt"),
    ("transverse momenta", "pt"),
    ("transverse energy", "pt"),
    ("transverse mass", "mt"),
    ("transverse masses", "mts"),
    ("invariant mass", "invmass"),
    ("invariant masses", "invmass"),
    ("effective mass", "meff"),
    ("scalar sum of jet pt", "ht"),
    ("scalar sum of jet transverse momenta", "ht"),
    ("delta r", "dr"),
    ("delta phi", "dphi"),
    ("delta eta", "deta"),
    ("pseudorapidity", "eta"),
    ("pseudo rapidity", "eta"),
    ("pseudorapidities", "eta"),
    ("azimuthal angle", "phi"),
    ("number of tracks", "ntrk"),
    ("track multiplicity", "ntrk"),
    ("track count", "ntrk"),
    ("b tag value", "btag"),
    ("b tag score", "btag"),
    ("b tag weight", "btag"),
    ("b tag discriminant", "btag"),
    ("b tag flag", "btag"),
    ("b tagging value", "btag"),
    ("b tag", "btag"),
    ("b tags", "btags"),
    ("btag value", "btag"),
    ("greater than or equal to", ">="),
    ("larger than or equal to", ">="),
    ("bigger than or equal to", ">="),
    ("more than or equal to", ">="),
    ("less than or equal to", "<="),
    ("smaller than or equal to", "<="),
    ("fewer than or equal to", "<="),
    ("equal to or greater than", ">="),
    ("equal to or larger than", ">="),
    ("equal to or more than", ">="),
    ("equal to or less than", "<="),
    ("equal to or smaller than", "<="),
    ("no less than", ">="),
    ("not less than", ">="),
    ("no more than", "<="),
    ("not more than", "<="),
    ("no fewer than", ">="),
    ("greater than", ">"),
    ("larger than", ">"),
    ("bigger than", ">"),
    ("higher than", ">"),
    ("more than", ">"),
    ("in excess of", ">"),
    ("less than", "<"),
    ("smaller than", "<"),
    ("lower than", "<"),
    ("fewer than", "<"),
    ("equal to", "=="),
    ("sub leading", "subleading"),
    ("next to leading", "subleading"),
    ("opposite sign", "os"),
    ("opposite signs", "os"),
    ("opposite charge", "os"),
    ("opposite charges", "os"),
    ("opposite electric charge", "os"),
    ("opposite electric charges", "os"),
    ("opposite electrical charge", "os"),
    ("oppositely charged", "os"),
    ("oppositely signed", "os"),
    ("opposite sign charge", "os"),
    ("opposite sign charges", "os"),
    ("opposite charge sign", "os"),
    ("same sign", "ss"),
    ("same charge", "ss"),
    ("same electric charge", "ss"),
    ("like sign", "ss"),
    ("same sign charge", "ss"),
    ("equal charge", "ss"),
    ("same flavour", "sf"),
    ("same type", "sf"),
    ("different flavour", "df"),
    ("opposite flavour", "df"),
    ("different type", "df"),
    ("ossf", "sfos"),
    ("osof", "dfos"),
    ("osdf", "dfos"),
    ("os sf", "sfos"),
    ("sf os", "sfos"),
    ("os df", "dfos"),
    ("df os", "dfos"),
    ("non b tagged", "light"),
    ("not b tagged", "light"),
    ("untagged", "light"),
    ("light flavour", "light"),
    ("b tagged", "btagged"),
    ("b tagged as", "btagged"),
    ("b jet tagged", "btagged"),
    ("tagged as b jets", "btagged"),
    ("tagged as b", "btagged"),
    ("identified as b jets", "btagged"),
    ("identified as a b jet", "btagged"),
    ("at least", ">="),
    ("at most", "<="),
    ("or more", "ormore"),
    ("or fewer", "orfewer"),
    ("or less", "orfewer"),
    ("up to", "<="),
    ("a maximum of", "<="),
    ("a minimum of", ">="),
    ("no additional", "no"),
    ("no extra", "no"),
    ("no further", "no"),
    ("no other", "no"),
    ("not more than one", "<= 1"),
    ("divided by", "/"),
    ("square root", "sqrt"),
    ("absolute value", "abs"),
    ("pseudorapidity difference", "deta"),
    ("pseudorapidity separation", "deta"),
    ("pseudorapidity gap", "deta"),
    ("eta difference", "deta"),
    ("eta separation", "deta"),
    ("eta gap", "deta"),
    ("rapidity gap", "deta"),
    ("difference in eta", "deta"),
    ("separation in eta", "deta"),
    ("azimuthal angle difference", "dphi"),
    ("azimuthal angle between", "dphi between"),
    ("azimuthal difference", "dphi"),
    ("azimuthal separation", "dphi"),
    ("azimuthal opening angle", "dphi"),
    ("difference in phi", "dphi"),
    ("separation in phi", "dphi"),
    ("phi difference", "dphi"),
    ("phi separation", "dphi"),
    ("angular separation", "dr"),
    ("angular distance", "dr"),
    ("separated in azimuth by", "separated by dphi"),
    ("separated in azimuth", "separated dphi"),
    ("in azimuth", "dphi"),
    ("for each selected event", "event"),
    ("for each surviving event", "event"),
    ("for each passing event", "event"),
    ("for every selected event", "event"),
    ("for each event", "event"),
    ("for every event", "event"),
    ("in each event", "event"),
    ("in every event", "event"),
    ("each event", "event"),
    ("every event", "event"),
    ("each selected event", "event"),
    ("any event", "event"),
    ("all events", "events"),
    ("per event", "event"),
    ("in addition", "also"),
    ("together with", "and"),
    ("as well as", "and"),
    ("and so are events with", "and veto events with"),
    ("and so are events containing", "and veto events with"),
    ("so are events with", "veto events with"),
    ("ie", ""),
    ("eg", ""),
    ("on top of that", ""),
    ("on top of this", ""),
    ("separated in pseudorapidity by", "separated by"),
    ("separated in eta by", "separated by"),
    ("transverse masses", "mts"),
    ("harder than", ">"),
    ("positively charged", "charge > 0"),
    ("negatively charged", "charge < 0"),
    ("of positive charge", "charge > 0"),
    ("of negative charge", "charge < 0"),
    ("with positive charge", "charge > 0"),
    ("with negative charge", "charge < 0"),
    ("softer than", "<"),
    ("after the overlap removal", ""),
    ("after overlap removal", ""),
    ("after the overlap removals", ""),
    ("close in eta", ""),
    ("close in pseudorapidity", ""),
    ("close in dphi", ""),
    ("back to back in dphi", ""),
    ("back to back in the transverse plane", ""),
    ("back to back", ""),
    ("roughly back to back", ""),
    ("in the transverse plane", ""),
    ("well separated in dphi", ""),
    ("vector sum", "sum"),
    ("plotted", "shown"),
    ("histogrammed", "shown"),
    ("is not used", "description"),
    ("cos theta*", "costhetastar"),
    ("cos theta *", "costhetastar"),
    ("from each other", ""),
    ("from one another", ""),
    ("with respect to each other", ""),
    ("to each other", ""),
    ("each other", ""),
    ("one another", ""),
    ("hyperbolic tangent", "tanh"),
    ("natural log", "log"),
    ("natural logarithm", "log"),
    ("the logarithm", "log"),
    ("log scale", "logscale"),
    ("logarithmic scale", "logscale"),
    ("log y", "logscale"),
    ("number of", "number"),
    ("as a function of", "vs"),
    ("with respect to", "to"),
    ("z mass", "m_z"),
    ("w mass", "m_w"),
    ("higgs mass", "m_h"),
    ("top mass", "m_top"),
    ("top quark mass", "m_top"),
    ("z boson mass", "m_z"),
    ("w boson mass", "m_w"),
    ("higgs boson mass", "m_h"),
];

/// Tokenizes one clause.
pub fn tokenize(text: &str) -> Vec<Tok> {
    let chars = replace(text);
    let raw = split(&chars, text.len());
    let words = words(raw);
    phrases(plus_jets(words))
}

/// Applies [`REPLACE`] and lowercasing; each resulting char keeps the byte offset of the
/// text it replaced.
fn replace(text: &str) -> Vec<(char, usize)> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    let bytes = text.as_bytes();
    'outer: while i < bytes.len() {
        for (from, to) in REPLACE {
            if text[i..].starts_with(from) {
                // A LaTeX command is only replaced whole: `\ell` must not match `\eta`'s prefix,
                // and `\in` must not eat the start of `\infty`.
                let cmd_end = i + from.len();
                if from.starts_with('\\')
                    && from[1..].chars().all(char::is_alphabetic)
                    && text[cmd_end..].starts_with(|c: char| c.is_ascii_alphabetic())
                {
                    continue;
                }
                for c in to.chars() {
                    out.push((c, i));
                }
                i = cmd_end;
                continue 'outer;
            }
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        for l in c.to_lowercase() {
            out.push((l, i));
        }
        i += c.len_utf8();
    }
    out
}

/// Characters that may appear inside a word.
fn wordy(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '^' | '{' | '}' | '\'')
}

/// Where a word starting at `i` ends. Inside LaTeX braces a space belongs to the word
/// (`p_T^{\gamma 1}`), and so does a comma glued between a subscript and a letter
/// (`MT_b,min`, `m_eff,incl`).
fn word_end(chars: &[(char, usize)], mut i: usize) -> usize {
    let mut depth = 0usize;
    let mut sub = false;
    while i < chars.len() {
        let c = chars[i].0;
        let next = chars.get(i + 1).map_or(' ', |c| c.0);
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            '_' | '^' => sub = true,
            ',' if depth > 0 || (sub && next.is_alphabetic()) => {}
            c if c.is_whitespace() && depth > 0 => {}
            c if !wordy(c) => break,
            _ => {}
        }
        i += 1;
    }
    i
}

/// A raw token before vocabulary folding.
struct Raw {
    text: String,
    num: Option<f64>,
    glued: bool,
    span: Range<usize>,
}

fn split(chars: &[(char, usize)], len: usize) -> Vec<Raw> {
    let end_of = |k: usize| chars.get(k).map_or(len, |c| c.1);
    let mut toks: Vec<Raw> = Vec::new();
    let mut i = 0;
    let mut glued = false;
    while i < chars.len() {
        let c = chars[i].0;
        if c.is_whitespace() {
            glued = false;
            i += 1;
            continue;
        }
        let start = i;
        // `m(2e2μ)`, `m(4ℓ)`: a counted code inside parentheses names objects.
        let code_end = (toks.last().is_some_and(|t| t.text == "(") && chars[i].0.is_ascii_digit())
            .then(|| word_end(chars, i))
            .and_then(|e| {
                let w: String = chars[i..e].iter().map(|c| c.0).collect();
                (w.contains(char::is_alphabetic) && !w.contains(' ')).then_some(())?;
                Some((e, crate::lexicon::counted_code(&w)?))
            });
        if let Some((e, text)) = code_end {
            toks.push(Raw {
                text,
                num: None,
                glued,
                span: chars[i].1..end_of(e),
            });
            i = e;
        } else if number_start(chars, i, &toks, glued) {
            i = number_end(chars, i);
            let text: String = chars[start..i].iter().map(|c| c.0).collect();
            let span = chars[start].1..end_of(i);
            if ordinal_suffix(chars, i) {
                let mut j = i;
                while j < chars.len() && chars[j].0.is_alphanumeric() {
                    j += 1;
                }
                let word: String = chars[start..j].iter().map(|c| c.0).collect();
                toks.push(Raw {
                    text: word,
                    num: None,
                    glued,
                    span: chars[start].1..end_of(j),
                });
                i = j;
            } else {
                toks.push(Raw {
                    num: text.parse().ok(),
                    text,
                    glued,
                    span,
                });
            }
        } else if wordy(c) {
            i = word_end(chars, i);
            let word: String = chars[start..i]
                .iter()
                .map(|c| c.0)
                .filter(|c| !matches!(c, '{' | '}') && !c.is_whitespace())
                .collect();
            let word = word.trim_matches(|c| c == '\'' || c == '_' || c == '^');
            let word = word.strip_suffix("'s").unwrap_or(word).to_owned();
            if !word.is_empty() {
                toks.push(Raw {
                    text: word,
                    num: None,
                    glued,
                    span: chars[start].1..end_of(i),
                });
            }
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())]
                .iter()
                .map(|c| c.0)
                .collect();
            let sym = if [">=", "<=", "==", "!=", "=>", "=<", "..", "||"].contains(&two.as_str()) {
                i += 2;
                match two.as_str() {
                    "=>" => ">=".to_owned(),
                    "=<" => "<=".to_owned(),
                    "||" => "or".to_owned(),
                    _ => two,
                }
            } else {
                i += 1;
                c.to_string()
            };
            toks.push(Raw {
                text: sym,
                num: None,
                glued,
                span: chars[start].1..end_of(i),
            });
        }
        glued = true;
    }
    toks
}

/// Whether a number starts at `i`: a digit, `.5`, or a minus sign that is not a subtraction.
fn number_start(chars: &[(char, usize)], i: usize, toks: &[Raw], glued: bool) -> bool {
    let c = chars[i].0;
    let digit_at = |k: usize| chars.get(k).is_some_and(|c| c.0.is_ascii_digit());
    if c.is_ascii_digit() {
        return true;
    }
    if c == '.' && digit_at(i + 1) {
        return !toks.last().is_some_and(|t| t.num.is_some() && glued);
    }
    if c == '-' || c == '+' {
        let operand = toks.last().is_some_and(|t| {
            t.num.is_some()
                || (glued && t.text.chars().all(|c| c.is_alphanumeric() || c == '_'))
                || t.text == ")"
                || t.text == "|"
                || t.text == "]"
        });
        return !operand && (digit_at(i + 1) || (chars.get(i + 1).is_some_and(|c| c.0 == '.')));
    }
    false
}

fn number_end(chars: &[(char, usize)], mut i: usize) -> usize {
    let at = |k: usize| chars.get(k).map(|c| c.0);
    i += 1;
    while let Some(c) = at(i) {
        // `1e3` is a number; `2e2μ` (two electrons, two muons) is not.
        let exp = (c == 'e' || c == 'E')
            && at(i + 1).is_some_and(|d| d.is_ascii_digit() || d == '-' || d == '+')
            && at(i + 2).is_some_and(|d| d.is_ascii_digit())
            && {
                let mut k = i + 2;
                while at(k).is_some_and(|d| d.is_ascii_digit()) {
                    k += 1;
                }
                !at(k).is_some_and(|d| d.is_alphabetic())
            };
        if c.is_ascii_digit() || (c == '.' && at(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            i += 1;
        } else if exp {
            i += 2;
        } else {
            break;
        }
    }
    i
}

/// `1st`, `2nd`, `3rd`, `4th`: the number is part of an ordinal word.
fn ordinal_suffix(chars: &[(char, usize)], i: usize) -> bool {
    let rest: String = chars[i..].iter().take(3).map(|c| c.0).collect();
    ["st", "nd", "rd", "th"]
        .iter()
        .any(|s| rest.starts_with(s) && !rest[s.len()..].starts_with(|c: char| c.is_alphanumeric()))
}

/// Folds each raw word: synonyms, subscripts (`m_jj` → `m(j1 + j2)`), glued compounds
/// (`mjj`, `Nj`, `2j`), and hyphens between letters.
fn words(raw: Vec<Raw>) -> Vec<Tok> {
    let mut out = Vec::with_capacity(raw.len() + 8);
    for r in raw {
        if r.num.is_some() {
            out.push(Tok {
                text: r.text,
                num: r.num,
                glued: r.glued,
                span: r.span,
            });
            continue;
        }
        crate::lexicon::fold_word(&r.text, r.glued, r.span, &mut out);
    }
    join_hyphens(out)
}

/// "b-tagged", "opposite-sign", "sub-leading": a hyphen glued between two words is a space.
fn join_hyphens(toks: Vec<Tok>) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let between_words = t.text == "-"
            && t.glued
            && i > 0
            && toks[i - 1].num.is_none()
            && toks[i - 1].text.starts_with(|c: char| c.is_alphabetic())
            && toks.get(i + 1).is_some_and(|n| {
                n.glued && n.num.is_none() && n.text.starts_with(|c: char| c.is_alphabetic())
            });
        if between_words {
            i += 1;
            let mut n = toks[i].clone();
            n.glued = false;
            out.push(n);
        } else {
            out.push(t.clone());
        }
        i += 1;
    }
    out
}

/// "W+jets", "lepton+jets", "Z+jets": a sample's name, one word.
fn plus_jets(toks: Vec<Tok>) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        let named = toks[i].num.is_none()
            && toks.get(i + 1).is_some_and(|t| t.text == "+" && t.glued)
            && toks
                .get(i + 2)
                .is_some_and(|t| t.glued && matches!(t.text.as_str(), "jets" | "jet" | "x"))
            && crate::lexicon::symbol(&toks[i].text).is_none()
            && toks[i].text.chars().all(char::is_alphabetic);
        if named {
            let span = toks[i].span.start..toks[i + 2].span.end;
            out.push(Tok {
                text: format!("{}+{}", toks[i].text, toks[i + 2].text),
                num: None,
                glued: toks[i].glued,
                span,
            });
            i += 3;
        } else {
            out.push(toks[i].clone());
            i += 1;
        }
    }
    out
}

/// Merges [`PHRASES`] on the word stream; the merged token spans all of its words.
fn phrases(toks: Vec<Tok>) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(toks.len());
    let mut i = 0;
    'outer: while i < toks.len() {
        let mut best: Option<(usize, &str)> = None;
        for (phrase, to) in PHRASES {
            let n = phrase.split(' ').count();
            if best.is_some_and(|(m, _)| m >= n) || i + n > toks.len() {
                continue;
            }
            let hit = phrase
                .split(' ')
                .zip(&toks[i..])
                .all(|(w, t)| t.num.is_none() && t.text == w);
            if hit {
                best = Some((n, to));
            }
        }
        if let Some((n, to)) = best {
            let span = toks[i].span.start..toks[i + n - 1].span.end;
            let glued = toks[i].glued;
            for (k, w) in to.split(' ').filter(|w| !w.is_empty()).enumerate() {
                let num = w.parse::<f64>().ok();
                out.push(Tok {
                    text: w.to_owned(),
                    num,
                    glued: glued && k == 0,
                    span: span.clone(),
                });
            }
            i += n;
            continue 'outer;
        }
        out.push(toks[i].clone());
        i += 1;
    }
    out
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
        assert_eq!(words("eta > -2.5"), ["eta", ">", "-2.5"]);
        assert_eq!(words("2nd jet"), ["2nd", "jet"]);
        assert_eq!(words("Z → μμ"), ["z", "→", "(", "mu1", "+", "mu2", ")"]);
        assert_eq!(words("b-tagged jets"), ["btagged", "jets"]);
        assert_eq!(words("pt>20"), ["pt", ">", "20"]);
    }

    #[test]
    fn spans_point_at_the_source() {
        let text = "Require η < 2.5 GeV";
        let toks = tokenize(text);
        let eta = toks.iter().find(|t| t.text == "eta").unwrap();
        assert_eq!(&text[eta.span.clone()], "η");
        let gev = toks.last().unwrap();
        assert_eq!(&text[gev.span.clone()], "GeV");
    }
}
