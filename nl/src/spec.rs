//! The spec reader: CoLLM sections (`[SELECTION_CUTS]`, `[PLOTS_FOR_VALIDATION]`,
//! `[OUTPUT_STRUCTURE]`) or free prose, split into items that keep their line numbers so every
//! error can point at the text it is about.

use crate::parse::Section;

/// One bullet, numbered item, line or sentence of the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// 1-based line in the spec where the item starts.
    pub line: usize,
    /// The text without its bullet or number.
    pub text: String,
    pub section: Section,
}

/// Splits a spec into items. `#` lines are comments (`# Physics Process: ...`); a line that
/// continues without a bullet, indented, belongs to the previous item.
pub fn items(spec: &str) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    let mut section = Section::Cuts;
    let mut prose = true;
    for (i, raw) in spec.lines().enumerate() {
        let line = i + 1;
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if t.starts_with('[') && t.ends_with(']') {
            let name = t[1..t.len() - 1].trim().to_ascii_uppercase();
            section = if name.contains("PLOT") {
                Section::Plots
            } else if name.contains("OUTPUT") {
                Section::Output
            } else {
                Section::Cuts
            };
            prose = false;
            continue;
        }
        let (bulleted, body) = strip_bullet(t);
        let indented = raw.starts_with([' ', '\t']);
        if !bulleted && indented {
            if let Some(last) = out.last_mut() {
                last.text.push(' ');
                last.text.push_str(body);
                continue;
            }
        }
        if !bulleted && prose {
            for s in sentences(body) {
                out.push(Item {
                    line,
                    text: s,
                    section,
                });
            }
        } else {
            out.push(Item {
                line,
                text: body.to_owned(),
                section,
            });
        }
    }
    out
}

/// Removes `-`, `*`, `•`, `1`, `1.`, `1)`, `1-` prefixes.
fn strip_bullet(t: &str) -> (bool, &str) {
    for b in ["- ", "* ", "• ", "– "] {
        if let Some(rest) = t.strip_prefix(b) {
            return (true, rest.trim());
        }
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 3 {
        let rest = &t[digits..];
        for sep in [". ", ") ", "- ", ": ", " "] {
            if let Some(r) = rest.strip_prefix(sep) {
                // "1 Plot ..." is an item; "30 GeV ..." (a number then a unit) is not.
                let first = r.split_whitespace().next().unwrap_or("");
                let unit =
                    ["gev", "tev", "<", ">", "or"].contains(&first.to_ascii_lowercase().as_str());
                if !unit {
                    return (true, r.trim());
                }
            }
        }
    }
    (false, t)
}

/// Sentences of a prose line: split at ". " and "; " unless between digits.
fn sentences(t: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = t.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let end = c == '.' && chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        if end {
            if !cur.trim().is_empty() {
                out.push(cur.trim().to_owned());
            }
            cur.clear();
        } else {
            cur.push(c);
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_owned());
    }
    out
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
    fn prose_sentences() {
        let v = items("Require MET > 30.5 GeV. Plot the MET.\n");
        assert_eq!(
            v.iter().map(|i| i.text.as_str()).collect::<Vec<_>>(),
            ["Require MET > 30.5 GeV", "Plot the MET"]
        );
    }
}
