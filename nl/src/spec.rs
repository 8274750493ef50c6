//! The spec reader: CoLLM sections (`[SELECTION_CUTS]`, `[PLOTS_FOR_VALIDATION]`,
//! `[OUTPUT_STRUCTURE]`, and `[OBJECTS]`, `[DESCRIPTION]`), bullets and numbered items, terse
//! one-line statements, and prose paragraphs whose sentences run over several lines. Every
//! item keeps where each piece of its text came from, so an error can point at line and
//! column.

use crate::read::Section;

/// One bullet, numbered item, line or sentence of the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// 1-based line in the spec where the item starts.
    pub line: usize,
    /// The text without its bullet or number; continuation lines joined with a space.
    pub text: String,
    pub section: Section,
    /// The spec's first item, not a bullet, with no comparison or unit: if it does not read,
    /// it is the analysis's title ("all-hadronic tt̄, 6j2b", "We select fully hadronic ttbar
    /// events.") and is echoed as description.
    pub title: bool,
    /// Where each piece of `text` came from: (byte offset in `text`, line, column of its
    /// first character, 1-based in characters).
    pieces: Vec<(usize, usize, usize)>,
}

impl Item {
    /// The line and column (1-based, in characters) of a byte offset of `text`.
    pub fn position(&self, byte: usize) -> (usize, usize) {
        let (start, line, col) = self
            .pieces
            .iter()
            .rev()
            .find(|(s, _, _)| *s <= byte)
            .copied()
            .unwrap_or((0, self.line, 1));
        let chars = self.text.get(start..byte).map_or(0, |s| s.chars().count());
        (line, col + chars)
    }

    fn push(&mut self, text: &str, line: usize, col: usize) {
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        self.pieces.push((self.text.len(), line, col));
        self.text.push_str(text);
    }
}

/// Splits a spec into items.
pub fn items(spec: &str) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    let mut section = Section::Cuts;
    let mut list_no = 0usize;
    // The item being built and whether it is a paragraph (split into sentences at the end).
    let mut cur: Option<(Item, bool)> = None;
    // Whether the first item stood alone on its line, followed by a blank line: a title.
    let mut first_alone: Option<bool> = None;
    for (i, raw) in spec.lines().enumerate() {
        let line = i + 1;
        let t = raw.trim();
        let indent = raw.chars().take_while(|c| c.is_whitespace()).count();
        if t.is_empty() || t.starts_with('#') || t.starts_with("%%") {
            if t.is_empty() && first_alone.is_none() && out.is_empty() {
                first_alone = cur.as_ref().map(|(item, _)| item.pieces.len() == 1);
            }
            flush(&mut cur, &mut out);
            continue;
        }
        if t.starts_with('[') && t.ends_with(']') && !t[1..].contains('[') {
            if first_alone.is_none() && out.is_empty() {
                first_alone = cur.as_ref().map(|(item, _)| item.pieces.len() == 1);
            }
            flush(&mut cur, &mut out);
            section = section_of(&t[1..t.len() - 1]);
            list_no = 0;
            continue;
        }
        let (bullet, body) = strip_bullet(t, &mut list_no);
        let col = indent + 1 + t[..t.len() - body.len()].chars().count();
        if !bullet {
            if let Some((item, _)) = cur.as_mut() {
                if continues(item, body, indent > 0) {
                    item.push(body, line, col);
                    continue;
                }
            }
        }
        flush(&mut cur, &mut out);
        let mut item = Item {
            line,
            text: String::new(),
            section,
            title: out.is_empty() && cur.is_none() && !bullet,
            pieces: Vec::new(),
        };
        item.push(body, line, col);
        cur = Some((item, !bullet));
    }
    flush(&mut cur, &mut out);
    title(&mut out, first_alone == Some(true));
    out
}

/// The first line of a spec naming the process ("W(→μν) + ≥2 jets", "H → ZZ* → 4ℓ") is a
/// title: its numbers restate the selection below.
fn title(out: &mut [Item], alone: bool) {
    if let Some(first) = out.first_mut() {
        // A bullet is never the title.
        let plain = first.title;
        let t = &first.text;
        let lower = t.to_lowercase();
        let measured = t.contains(['<', '>', '=', '≤', '≥', '±'])
            || lower.contains("gev")
            || lower.contains("tev");
        let counted = t.contains(|c: char| c.is_ascii_digit())
            || lower.split(|c: char| !c.is_alphabetic()).any(|w| {
                crate::lexicon::word_number(w).is_some()
                    && !matches!(w, "a" | "an" | "one" | "single")
            });
        first.title &= !measured && (!counted || first.pieces.len() == 1);
        let one_line = first.pieces.len() == 1;
        let arrow = alone || first.text.contains('→') || first.text.contains("->");
        let verb = first
            .text
            .split(|c: char| !c.is_alphabetic())
            .any(|w| crate::lexicon::is_cut_word(&w.to_lowercase()));
        if plain && one_line && arrow && !verb && first.text.chars().count() < 80 {
            first.section = Section::Description;
        }
    }
}

fn section_of(name: &str) -> Section {
    let name = name.trim().to_ascii_uppercase();
    if name.contains("PLOT") || name.contains("HIST") {
        Section::Plots
    } else if name.contains("OUTPUT")
        || name.contains("CSV")
        || name.contains("SAVE")
        || name.contains("FEATURE")
    {
        Section::Output
    } else if name.contains("DESCRIPTION")
        || name.contains("PROCESS")
        || name.contains("NOTE")
        || name.contains("COMMENT")
    {
        Section::Description
    } else {
        Section::Cuts
    }
}

/// Whether a plain line continues the item before it: an indented line, a line after one
/// that ends mid-sentence ("... and", "... the", a trailing comma), or a wrapped prose line
/// (the one before is long and has no final punctuation).
fn continues(item: &Item, line: &str, indented: bool) -> bool {
    let last_start = item.pieces.last().map_or(0, |p| p.0);
    let last_line_len = item.text[last_start..].chars().count();
    let prev = item.text.trim_end();
    if prev.ends_with(['.', '!', '?', ':', ';']) {
        return indented && !prev.ends_with(':');
    }
    if indented {
        return true;
    }
    let last_word = prev.rsplit(' ').next().unwrap_or("").to_ascii_lowercase();
    let dangling = prev.ends_with([',', '(', '-', '=', '<', '>', '+', '/', '*'])
        || matches!(
            last_word.as_str(),
            "and"
                | "or"
                | "of"
                | "the"
                | "a"
                | "an"
                | "with"
                | "to"
                | "in"
                | "than"
                | "by"
                | "from"
                | "for"
                | "between"
                | "within"
                | "are"
                | "is"
                | "be"
                | "must"
                | "that"
                | "which"
                | "at"
                | "on"
                | "as"
                | "its"
                | "their"
                | "both"
                | "each"
                | "any"
                | "no"
                | "we"
        );
    let wrapped = last_line_len >= 60;
    // A wrapped prose line starts with a lowercase word; a terse line starts with a symbol
    // ("j: pT>30", "ℓ_W = ...", "hist A 0..1").
    let first = line.split_whitespace().next().unwrap_or("");
    let word = first.len() >= 3 && first.chars().all(|c| c.is_ascii_lowercase() || c == ',');
    let prose = item.text[last_start..].split_whitespace().count() >= 8
        && !item.text[last_start..].contains(';');
    let lower = word && prose && last_line_len >= 40;
    dangling || wrapped || lower
}

/// Ends the item being built: a paragraph becomes one item per sentence.
fn flush(cur: &mut Option<(Item, bool)>, out: &mut Vec<Item>) {
    let Some((item, paragraph)) = cur.take() else {
        return;
    };
    if !paragraph {
        out.push(item);
        return;
    }
    let first = out.len();
    for (a, b) in sentences(&item.text) {
        let text = item.text[a..b].trim();
        if text.is_empty() {
            continue;
        }
        let lead = item.text[a..b].len() - item.text[a..b].trim_start().len();
        let start = a + lead;
        let mut pieces: Vec<(usize, usize, usize)> = Vec::new();
        for &(s, line, col) in &item.pieces {
            let piece_end = item
                .pieces
                .iter()
                .find(|p| p.0 > s)
                .map_or(item.text.len(), |p| p.0);
            if piece_end <= start || s >= b {
                continue;
            }
            if s <= start {
                let chars = item.text[s..start].chars().count();
                pieces.push((0, line, col + chars));
            } else {
                pieces.push((s - start, line, col));
            }
        }
        let line = pieces.first().map_or(item.line, |p| p.1);
        out.push(Item {
            line,
            text: text.to_owned(),
            section: item.section,
            title: item.title && out.len() == first,
            pieces,
        });
    }
}

/// Sentence ranges of a paragraph: split after `.`, `!` or `?` followed by a space, unless
/// the word before is an abbreviation ("i.e.", "e.g.", "vs.").
fn sentences(t: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = t.as_bytes();
    for (i, c) in t.char_indices() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let next = bytes.get(i + 1).copied();
        if next.is_some_and(|n| n != b' ') {
            continue;
        }
        let word = t[start..i]
            .rsplit(' ')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if matches!(
            word.as_str(),
            "i.e"
                | "e.g"
                | "vs"
                | "cf"
                | "approx"
                | "etc"
                | "ie"
                | "eg"
                | "resp"
                | "fig"
                | "eq"
                | "ref"
                | "al"
        ) {
            continue;
        }
        out.push((start, i));
        start = i + 1;
    }
    if start < t.len() {
        out.push((start, t.len()));
    }
    out
}

/// Removes `-`, `*`, `•`, `–`, `1.`, `1)`, `1-`, `1:` and "1 " list numbers. A count at the
/// start of a line ("3 leptons with pT > 10 GeV") is not a list number.
fn strip_bullet<'a>(t: &'a str, list_no: &mut usize) -> (bool, &'a str) {
    for b in ["- ", "* ", "• ", "– ", "· ", "-\t", "*\t"] {
        if let Some(rest) = t.strip_prefix(b) {
            return (true, rest.trim());
        }
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return (false, t);
    }
    let n: usize = t[..digits].parse().unwrap_or(0);
    let rest = &t[digits..];
    for sep in [". ", ") ", "- ", ": ", ".\t", ")\t"] {
        if let Some(r) = rest.strip_prefix(sep) {
            *list_no = n;
            return (true, r.trim());
        }
    }
    if let Some(r) = rest.strip_prefix(' ') {
        let first = r.split_whitespace().next().unwrap_or("");
        let capital = first.starts_with(|c: char| c.is_uppercase());
        let lower = first.to_ascii_lowercase();
        let counted = crate::lexicon::kind_word(lower.trim_end_matches([',', '.'])).is_some()
            || matches!(
                lower.as_str(),
                "os" | "ss"
                    | "sfos"
                    | "sf"
                    | "ossf"
                    | "b-jets"
                    | "b-jet"
                    | "b-tagged"
                    | "jets"
                    | "leptons"
            )
            || lower.starts_with("b-");
        if capital && !counted && (n == *list_no + 1 || n == 1) {
            *list_no = n;
            return (true, r.trim());
        }
    }
    (false, t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_bullets_and_numbers() {
        let spec = "# Physics Process: p p > W+ W-\n[SELECTION_CUTS]\n- Select MET > 30 GeV\n[PLOTS_FOR_VALIDATION]\n1 Plot the MET\n[OUTPUT_STRUCTURE]\n1- MET\n";
        let v = items(spec);
        assert_eq!(v.len(), 3);
        assert_eq!(
            (v[0].line, v[0].text.as_str(), v[0].section),
            (3, "Select MET > 30 GeV", Section::Cuts)
        );
        assert_eq!(
            (v[1].text.as_str(), v[1].section),
            ("Plot the MET", Section::Plots)
        );
        assert_eq!((v[2].text.as_str(), v[2].section), ("MET", Section::Output));
    }

    #[test]
    fn prose_sentences_over_lines() {
        let v = items("Require MET > 30.5 GeV. Plot the MET, i.e. the missing energy, with\n40 bins. Save it.\n");
        let texts: Vec<&str> = v.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Require MET > 30.5 GeV",
                "Plot the MET, i.e. the missing energy, with 40 bins",
                "Save it"
            ]
        );
        assert_eq!(v[1].line, 1);
        let at = v[1].text.find("40").unwrap();
        assert_eq!(v[1].position(at), (2, 1));
    }

    #[test]
    fn terse_lines_stay_apart_and_counts_are_not_list_numbers() {
        let v = items("monojet\nj: pT>30, |η|<2.8\n3 leptons with pT > 10 GeV\n2 OS muons\n");
        let texts: Vec<&str> = v.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "monojet",
                "j: pT>30, |η|<2.8",
                "3 leptons with pT > 10 GeV",
                "2 OS muons"
            ]
        );
    }
}
