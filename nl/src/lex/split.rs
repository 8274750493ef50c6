//! Splitting text into raw tokens: numbers (`1e3`, `.5`, `-2.4`), words (`p_T^{\gamma 1}`,
//! `MT_b,min`), two-character operators and single symbols, each with its byte span.

use std::ops::Range;

/// Characters that may appear inside a word.
pub(super) fn wordy(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '^' | '{' | '}' | '\'')
}

/// Where a word starting at `i` ends. Inside LaTeX braces a space belongs to the word
/// (`p_T^{\gamma 1}`), and so does a comma glued between a subscript and a letter
/// (`MT_b,min`, `m_eff,incl`).
pub(super) fn word_end(chars: &[(char, usize)], mut i: usize) -> usize {
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
pub(super) struct Raw {
    /// The token's text, lowercased and with its replacements applied.
    pub(super) text: String,
    /// Its value, when it is a number.
    pub(super) num: Option<f64>,
    /// Whether it follows the previous token without a space.
    pub(super) glued: bool,
    /// The bytes of the original text it came from.
    pub(super) span: Range<usize>,
}

/// Splits the replaced characters into raw tokens (counted codes, numbers, words and
/// symbols), each with the byte span of the text it came from and whether a space preceded
/// it.
pub(super) fn split(chars: &[(char, usize)], len: usize) -> Vec<Raw> {
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
        let (text, num, e) = if let Some((e, text)) = counted_code_at(chars, i, &toks) {
            (text, None, e)
        } else if number_start(chars, i, &toks, glued) {
            number_at(chars, i)
        } else if wordy(c) {
            let (word, e) = word_at(chars, i);
            (word, None, e)
        } else {
            let (sym, e) = symbol_at(chars, i);
            (sym, None, e)
        };
        // (A word of braces and quotes alone is no token.)
        if !text.is_empty() {
            toks.push(Raw {
                text,
                num,
                glued,
                span: chars[i].1..end_of(e),
            });
        }
        i = e;
        glued = true;
    }
    toks
}

/// `m(2e2μ)`, `m(4ℓ)`: a counted code inside parentheses names objects; its folded text
/// and where it ends.
fn counted_code_at(chars: &[(char, usize)], i: usize, toks: &[Raw]) -> Option<(usize, String)> {
    if !(toks.last().is_some_and(|t| t.text == "(") && chars[i].0.is_ascii_digit()) {
        return None;
    }
    let e = word_end(chars, i);
    let w: String = chars[i..e].iter().map(|c| c.0).collect();
    (w.contains(char::is_alphabetic) && !w.contains(' ')).then_some(())?;
    Some((e, crate::lexicon::counted_code(&w)?))
}

/// The number starting at `i` (its text, its value, where it ends), or the ordinal word it
/// begins (`1st`, `2nd`), which has no value.
fn number_at(chars: &[(char, usize)], i: usize) -> (String, Option<f64>, usize) {
    let e = number_end(chars, i);
    if !ordinal_suffix(chars, e) {
        let text: String = chars[i..e].iter().map(|c| c.0).collect();
        return (text.clone(), text.parse().ok(), e);
    }
    let mut j = e;
    while j < chars.len() && chars[j].0.is_alphanumeric() {
        j += 1;
    }
    (chars[i..j].iter().map(|c| c.0).collect(), None, j)
}

/// The word starting at `i`, without LaTeX braces, spaces inside braces, edge quotes and
/// underscores, or a possessive `'s`; and where it ends.
fn word_at(chars: &[(char, usize)], i: usize) -> (String, usize) {
    let e = word_end(chars, i);
    let word: String = chars[i..e]
        .iter()
        .map(|c| c.0)
        .filter(|c| !matches!(c, '{' | '}') && !c.is_whitespace())
        .collect();
    let word = word.trim_matches(|c| c == '\'' || c == '_' || c == '^');
    (word.strip_suffix("'s").unwrap_or(word).to_owned(), e)
}

/// The operator or punctuation at `i`: two-character operators first (`>=`, `=>` read as
/// `>=`, `||` as "or"), else the one character; and where it ends.
fn symbol_at(chars: &[(char, usize)], i: usize) -> (String, usize) {
    let two: String = chars[i..(i + 2).min(chars.len())]
        .iter()
        .map(|c| c.0)
        .collect();
    if ![">=", "<=", "==", "!=", "=>", "=<", "..", "||"].contains(&two.as_str()) {
        return (chars[i].0.to_string(), i + 1);
    }
    let sym = match two.as_str() {
        "=>" => ">=".to_owned(),
        "=<" => "<=".to_owned(),
        "||" => "or".to_owned(),
        _ => two,
    };
    (sym, i + 2)
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
