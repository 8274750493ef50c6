//! No silent drops: on every corpus spec, changing one number or deleting one comparison
//! either changes what the reader understood or makes it refuse the spec. A mutation that
//! leaves the reading as it was means some words of the spec were never used.

use collm_nl::ir::{Note, Stmt};
use collm_nl::{spec, understand};

fn corpus() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/collm-corpus");
    let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("the corpus directory")
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "txt").then(|| {
                let name = p.file_stem()?.to_string_lossy().into_owned();
                Some((name, std::fs::read_to_string(&p).ok()?))
            })?
        })
        .collect();
    v.sort();
    v
}

/// What the reader made of a spec: every statement of every item, or that it refused.
fn reading(text: &str) -> Option<Vec<Vec<Stmt>>> {
    understand(text)
        .ok()
        .map(|u| u.readings.into_iter().map(|r| r.stmts).collect())
}

/// Lines whose item is read as description (titles, remarks): their numbers make no cut.
fn description_lines(text: &str, read: &[Vec<Stmt>]) -> Vec<usize> {
    let mut lines = Vec::new();
    for (item, stmts) in spec::items(text).iter().zip(read) {
        if stmts
            .iter()
            .all(|s| matches!(s, Stmt::Note(Note::Description)))
        {
            let last = item.position(item.text.len().saturating_sub(1)).0;
            lines.extend(item.line..=last);
        }
    }
    lines
}

/// Numeric literals standing as numbers (not inside `j1`, `m_4ℓ`, `2e2μ` or a list marker):
/// (byte range, line).
fn numbers(text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if line.trim_start().starts_with('#') {
            line_start += line.len();
            continue;
        }
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if !bytes[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_digit()
                    || (bytes[i] == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
            {
                i += 1;
            }
            let before = line[..start].chars().next_back();
            let after = line[i..].chars().next();
            let glued = before
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '^' || c == '{')
                || after.is_some_and(|c| {
                    c.is_alphabetic()
                        && !line[i..].starts_with("GeV")
                        && !line[i..].starts_with("TeV")
                });
            let marker = line[..start].trim().is_empty()
                && after.is_some_and(|c| matches!(c, '.' | '-' | ')' | ' '));
            let list_marker = marker && line[i..].starts_with(['.', '-', ')']);
            if !glued && !list_marker {
                out.push((line_start + start..line_start + i, n + 1));
            }
        }
        line_start += line.len();
    }
    out
}

/// The number with its last digit changed: 25 → 26, 2.5 → 2.6, 19 → 18.
fn nudge(s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    if let Some(last) = chars.last_mut() {
        *last = if *last == '9' {
            '8'
        } else {
            char::from(*last as u8 + 1)
        };
    }
    chars.into_iter().collect()
}

/// Comparison symbols and words, each deleted in turn: (byte ranges, line). A comparison
/// said twice is deleted whole: "within ΔR < 0.4" loses both "within" and "<". "exactly"
/// before a count is left alone, since "one muon" already means exactly one.
fn comparisons(text: &str) -> Vec<(Vec<std::ops::Range<usize>>, usize)> {
    const OPS: &[&str] = &[
        ">=",
        "<=",
        "≥",
        "≤",
        ">",
        "<",
        " above ",
        " below ",
        " exceed ",
        " exceeds ",
        " at least ",
        " at most ",
        " more than ",
        " less than ",
        " larger than ",
        " greater than ",
        " between ",
    ];
    let mut out = Vec::new();
    let mut line_start = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if line.trim_start().starts_with('#') {
            line_start += line.len();
            continue;
        }
        let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
        for op in OPS {
            for (at, _) in line.match_indices(op) {
                let r = at..at + op.len();
                // "Δφ between them" is a preposition; "between 40 and 120" a range.
                let range = line[r.end..]
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_digit() || c == '$');
                if taken.iter().any(|t| t.start < r.end && r.start < t.end)
                    || (*op == " between " && !range)
                {
                    continue;
                }
                taken.push(r.clone());
                let mut ranges = Vec::with_capacity(2);
                ranges.push(line_start + r.start..line_start + r.end);
                // "within ΔR < 0.4", "within |m − mZ| < 10": the word that says it too.
                if let Some(w) = line[..r.start]
                    .rfind(" within ")
                    .filter(|w| r.start - w < 24)
                {
                    ranges.push(line_start + w..line_start + w + " within ".len());
                }
                out.push((ranges, n + 1));
            }
        }
        line_start += line.len();
    }
    out
}

#[test]
fn every_number_and_comparison_is_used() {
    let mut silent = Vec::new();
    let mut tried = 0;
    for (name, text) in corpus() {
        let Some(base) = reading(&text) else {
            panic!("{name}: the corpus spec does not read");
        };
        let skip = description_lines(&text, &base);
        let mut check =
            |mut ranges: Vec<(std::ops::Range<usize>, String)>, line: usize, what: &str| {
                if skip.contains(&line) {
                    return;
                }
                ranges.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
                let mut mutated = text.clone();
                for (r, with) in &ranges {
                    mutated.replace_range(r.clone(), with);
                }
                tried += 1;
                if reading(&mutated).as_ref() == Some(&base) {
                    let words: Vec<&str> = ranges.iter().map(|(r, _)| &text[r.clone()]).collect();
                    silent.push(format!("{name}:{line}: {what} {words:?} changed nothing"));
                }
            };
        for (r, line) in numbers(&text) {
            let to = nudge(&text[r.clone()]);
            check(vec![(r, to)], line, "changing");
        }
        for (rs, line) in comparisons(&text) {
            let rs = rs
                .into_iter()
                .map(|r| {
                    let keep = if text[r.clone()].starts_with(' ') {
                        " "
                    } else {
                        ""
                    };
                    (r, keep.to_owned())
                })
                .collect();
            check(rs, line, "deleting");
        }
    }
    eprintln!(
        "mutation: {tried} mutations, {} read as before",
        silent.len()
    );
    assert!(tried > 3000, "only {tried} mutations were tried");
    assert!(
        silent.is_empty(),
        "{} mutations were silent:\n{}",
        silent.len(),
        silent.join("\n")
    );
}
