//! The echo: how every bullet was read, and the error for bullets that could not be read,
//! with the nearest canonical readings as suggestions.

use std::fmt::{self, Write as _};

use crate::ir::Stmt;

/// One bullet and its reading.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Reading {
    pub line: usize,
    pub text: String,
    /// Canonical one-line form; reads back to `stmts`.
    pub canonical: String,
    pub stmts: Vec<Stmt>,
    /// Read by the language model rather than the grammar: the echo flags it, because a
    /// model's reading deserves a second look before the numbers are trusted.
    pub by_model: bool,
    /// The conventions the reading relied on where the words allow two readings
    /// ("leptons are electrons and muons; taus only when named").
    pub conventions: Vec<&'static str>,
    /// Words read as the key word they misspell, so that a typo never changes a reading
    /// unseen.
    pub respelled: Vec<(String, &'static str)>,
    /// Other readings the language model found nearly as likely, best first: a model's
    /// reading is a guess, and the right line is often one choice away from it.
    pub alternatives: Vec<String>,
}

impl Reading {
    /// An item's reading, with its canonical form and the conventions it relied on.
    pub fn of(line: usize, text: String, stmts: Vec<Stmt>, by_model: bool) -> Reading {
        Reading {
            line,
            canonical: crate::canon::stmts(&stmts),
            conventions: crate::conventions::applied(&text, &stmts),
            respelled: crate::lex::corrections(&text),
            text,
            stmts,
            by_model,
            alternatives: Vec::new(),
        }
    }
}

/// A bullet the reader could not account for.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Unread {
    pub line: usize,
    pub text: String,
    /// The words no reading used: (line, column, word), and their byte ranges in `text`
    /// for marking.
    pub leftover: Vec<Mark>,
    /// Up to three nearest canonical readings, best first.
    pub suggestions: Vec<String>,
    /// What the configured language model made of it, when it could not help either.
    pub model_note: Option<String>,
}

/// A word of a bullet that no reading used.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Mark {
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub word: String,
    /// Byte range in the bullet's text.
    pub start: usize,
    pub end: usize,
}

/// Every bullet that could not be read; nothing is generated when this is returned.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SpecError {
    pub unread: Vec<Unread>,
    /// A problem with the spec as a whole (empty, or nothing to select, plot or save), so the
    /// user is told why nothing runs even when every bullet was read.
    pub problem: Option<String>,
    /// The bullets that were read, so the echo can still be shown.
    pub read: Vec<Reading>,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.problem {
            writeln!(f, "{p}")?;
        }
        for u in &self.unread {
            writeln!(f, "line {}: cannot read \"{}\"", u.line, u.text)?;
            if !u.leftover.is_empty() {
                let words: Vec<String> = u
                    .leftover
                    .iter()
                    .map(|m| format!("\"{}\" (line {}, column {})", m.word, m.line, m.column))
                    .collect();
                writeln!(f, "  not used by any reading: {}", words.join(", "))?;
                writeln!(f, "    {}", u.text)?;
                writeln!(f, "    {}", carets(&u.text, &u.leftover))?;
            }
            if let Some(n) = &u.model_note {
                writeln!(f, "  {n}")?;
            }
            if !u.suggestions.is_empty() {
                writeln!(f, "  did you mean:")?;
                for s in &u.suggestions {
                    writeln!(f, "    {s}")?;
                }
            }
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}

/// A line of `^` under the marked words of `text`.
pub fn carets(text: &str, marks: &[Mark]) -> String {
    let mut s = String::new();
    for (i, _) in text.char_indices() {
        let on = marks.iter().any(|m| m.start <= i && i < m.end);
        s.push(if on { '^' } else { ' ' });
    }
    s.trim_end().to_owned()
}

/// `bullet | reading` as aligned text.
pub fn table_text(readings: &[Reading]) -> String {
    let w = readings
        .iter()
        .map(|r| r.text.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    let mut s = format!("{:>4}  {:<w$}  reading\n", "line", "bullet");
    for r in readings {
        let mark = if r.by_model {
            "  (read by the model: check it)"
        } else {
            ""
        };
        let _ = writeln!(s, "{:>4}  {:<w$}  {}{mark}", r.line, r.text, r.canonical);
        for c in &r.conventions {
            let _ = writeln!(s, "{:>4}  {:<w$}    convention: {c}", "", "");
        }
        for (typed, read) in &r.respelled {
            let _ = writeln!(s, "{:>4}  {:<w$}    read {typed:?} as {read:?}", "", "");
        }
        for a in &r.alternatives {
            let _ = writeln!(s, "{:>4}  {:<w$}    or perhaps: {a}", "", "");
        }
    }
    s
}

/// `bullet | reading` as an HTML table.
pub fn table_html(readings: &[Reading]) -> String {
    let mut s = String::from("<table class=\"collm-echo\">\n<thead><tr><th>line</th><th style=\"text-align:left\">bullet</th><th style=\"text-align:left\">reading</th></tr></thead>\n<tbody>\n");
    for r in readings {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td style=\"text-align:left\">{}</td><td style=\"text-align:left\"><code>{}</code>{}</td></tr>",
            r.line,
            esc(&r.text),
            esc(&r.canonical),
            if r.by_model {
                " <em title=\"not read by the grammar: check that this is what you meant\">(read by the model: check it)</em>"
            } else {
                ""
            }
        );
        for c in &r.conventions {
            let _ = writeln!(
                s,
                "<tr class=\"collm-convention\"><td></td><td></td><td style=\"text-align:left\"><small>convention: {}</small></td></tr>",
                esc(c)
            );
        }
        for (typed, read) in &r.respelled {
            let _ = writeln!(
                s,
                "<tr class=\"collm-convention\"><td></td><td></td><td style=\"text-align:left\"><small>read &quot;{}&quot; as &quot;{}&quot;</small></td></tr>",
                esc(typed),
                read
            );
        }
        for a in &r.alternatives {
            let _ = writeln!(
                s,
                "<tr class=\"collm-convention\"><td></td><td></td><td style=\"text-align:left\"><small>or perhaps: <code>{}</code></small></td></tr>",
                esc(a)
            );
        }
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

/// The error as HTML: each unread bullet quoted with its suggestions.
pub fn error_html(e: &SpecError) -> String {
    let mut s = String::from("<div class=\"collm-error\">\n");
    if let Some(p) = &e.problem {
        let _ = writeln!(s, "<p>{}</p>", esc(p));
    }
    for u in &e.unread {
        let _ = writeln!(
            s,
            "<p>line {}: cannot read <q>{}</q></p>",
            u.line,
            marked_html(&u.text, &u.leftover)
        );
        if let Some(n) = &u.model_note {
            let _ = writeln!(s, "<p>{}</p>", esc(n));
        }
        if !u.suggestions.is_empty() {
            s.push_str("<p>did you mean:</p><ul>\n");
            for g in &u.suggestions {
                let _ = writeln!(s, "<li><code>{}</code></li>", esc(g));
            }
            s.push_str("</ul>\n");
        }
    }
    s.push_str("</div>\n");
    s
}

/// The bullet with the unused words marked; words apart only by spaces share one mark, so
/// "flux capacitor" reads as the phrase it is.
fn marked_html(text: &str, marks: &[Mark]) -> String {
    let mut sorted: Vec<(usize, usize)> = marks
        .iter()
        .filter(|m| m.start <= m.end && m.end <= text.len())
        .map(|m| (m.start, m.end))
        .collect();
    sorted.sort_unstable();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (start, end) in sorted {
        match runs.last_mut() {
            Some(last) if start >= last.1 && text[last.1..start].trim().is_empty() => {
                last.1 = end;
            }
            Some(last) if start < last.1 => last.1 = last.1.max(end),
            _ => runs.push((start, end)),
        }
    }
    let mut out = String::new();
    let mut at = 0;
    for (start, end) in runs {
        out += &esc(&text[at..start]);
        out += &format!(
            "<mark title=\"not used by any reading\">{}</mark>",
            esc(&text[start..end])
        );
        at = end;
    }
    out += &esc(&text[at..]);
    out
}

fn esc(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Canonical forms of the patterns the grammar knows; `#` stands for a number taken from the
/// bullet, in order.
const PATTERNS: &[&str] = &[
    "electrons: pT > # GeV, |eta| < #",
    "muons: pT > # GeV, |eta| < #",
    "jets: pT > # GeV, |eta| < #",
    "photons: pT > # GeV, |eta| < #, not # < |eta| < #",
    "taus: pT > # GeV, |eta| < #",
    "require exactly # lepton",
    "require >= # jets",
    "require <= # jets",
    "require no b-jets",
    "require >= # b-jets",
    "require MET > # GeV",
    "require HT > # GeV",
    "require pT(j1) > # GeV",
    "require # < MT(l1, MET) < # GeV",
    "require # < m(j1 + j2) < # GeV",
    "require dR(j1, j2) < #",
    "require dPhi(j1, MET) > #",
    "require dEta(j1, j2) > #",
    "require |m(Z(ll)) - 91.1876| < # GeV",
    "require OS(l1, l2)",
    "require SFOS(l1, l2)",
    "require >= # SFOS lepton pairs",
    "require MET / HT > #",
    "remove jets within dR < # of leptons",
    "plot MET in # to # GeV, # bins",
    "plot m(j1 + j2) in # to # GeV",
    "plot pT(l1)",
    "feature MT(l1, MET)",
    "feature m(j1 + j2)",
    "each histogram # bins",
    "all histograms normalised",
];

/// The three patterns nearest to the bullet by meaning, as the sentence encoder sees it, with
/// the bullet's numbers filled in. Falls back to [`suggest`] if the encoder fails.
pub fn suggest_with(text: &str, embedder: &mut crate::model::Embedder) -> Vec<String> {
    let nums = numbers(text);
    let filled: Vec<String> = PATTERNS.iter().map(|p| fill(p, &nums)).collect();
    match embedder.rank(text, &filled) {
        Ok(ranked) => ranked
            .into_iter()
            .take(3)
            .map(|(_, i)| filled[i].clone())
            .collect(),
        Err(_) => suggest(text),
    }
}

fn numbers(text: &str) -> Vec<String> {
    crate::lex::tokenize(text)
        .into_iter()
        .filter(|t| t.num.is_some())
        .map(|t| t.text)
        .collect()
}

/// The three patterns nearest to the bullet (character-trigram similarity on lowercased
/// text), with the bullet's numbers filled in.
pub fn suggest(text: &str) -> Vec<String> {
    let nums = numbers(text);
    let key = trigrams(&normal(text));
    let mut scored: Vec<(f64, String)> = PATTERNS
        .iter()
        .map(|p| {
            let filled = fill(p, &nums);
            (dice(&key, &trigrams(&normal(&filled))), filled)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(3).map(|(_, s)| s).collect()
}

fn fill(p: &str, nums: &[String]) -> String {
    let mut out = String::new();
    let mut k = 0;
    for ch in p.chars() {
        if ch == '#' {
            out.push_str(nums.get(k).map_or("X", String::as_str));
            k += 1;
        } else {
            out.push(ch);
        }
    }
    out
}

fn normal(t: &str) -> String {
    crate::lex::tokenize(t)
        .into_iter()
        .map(|t| t.text)
        .collect::<Vec<_>>()
        .join(" ")
}

fn trigrams(s: &str) -> Vec<[char; 3]> {
    let c: Vec<char> = format!("  {s} ").chars().collect();
    let mut v: Vec<[char; 3]> = c.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    v.sort_unstable();
    v
}

fn dice(a: &[[char; 3]], b: &[[char; 3]]) -> f64 {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (a.len() + b.len()).max(1) as f64
}
