//! Tokenizer: folds the many spellings physicists use (Unicode, LaTeX, `p_T`, `E_T^miss`,
//! `m_jj`, `mμμ`, `Nj`, `≥2j`) onto one small vocabulary, so the reader only sees canonical
//! words. Every token keeps the byte span of the text it came from, so a word the reading
//! did not use can be pointed at.

mod spellings;
mod split;
mod typos;

pub use crate::token::Tok;
pub use typos::corrections;

use spellings::{PHRASES, REPLACE};
use split::{split, Raw};

/// Tokenizes one clause.
pub fn tokenize(text: &str) -> Vec<Tok> {
    let chars = replace(text);
    let raw = split(&chars, text.len());
    let words = words(raw);
    or_more(spectrum_of(phrases(plus_jets(words))))
}

/// "pT 20+", "2+ jets": a number with a trailing plus is a lower bound, "≥ 20".
fn or_more(toks: Vec<Tok>) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        let plus = toks[i].num.is_some()
            && toks.get(i + 1).is_some_and(|t| t.text == "+" && t.glued)
            && toks.get(i + 2).is_none_or(|t| !t.glued && t.num.is_none());
        if plus {
            out.push(Tok {
                text: ">=".to_owned(),
                num: None,
                glued: false,
                span: toks[i + 1].span.clone(),
            });
            out.push(toks[i].clone());
            i += 2;
        } else {
            out.push(toks[i].clone());
            i += 1;
        }
    }
    out
}

/// "the pT spectrum of the leading muon", "η distribution of the jets": the word between a
/// quantity and "of" names the plot, not the quantity; the quantity is of what follows.
fn spectrum_of(mut toks: Vec<Tok>) -> Vec<Tok> {
    let names_plot =
        |w: &str| matches!(w, "spectrum" | "spectra" | "distribution" | "distributions");
    let mut i = 1;
    while i + 1 < toks.len() {
        let quantity = crate::lexicon::prop_word(&toks[i - 1].text).is_some()
            || crate::lexicon::quantity_word(&toks[i - 1].text);
        if quantity && names_plot(&toks[i].text) && toks[i + 1].text == "of" {
            toks.remove(i);
        }
        i += 1;
    }
    toks
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
        let w = typos::corrected(&r.text).unwrap_or(&r.text);
        crate::lexicon::fold_word(w, r.glued, r.span, &mut out);
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
