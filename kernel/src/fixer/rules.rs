//! Repairs for failing Rust cells, without a model.
//!
//! First rustc's own suggestions from its JSON diagnostics (machine-applicable
//! ones, and "maybe incorrect" ones when rustc offers a single candidate), then
//! domain rules for what rustc cannot fix: a missing import of the analysis
//! prelude, and a panic from indexing a collection that can be empty. Every
//! repair is an edit of the user's own cell text, so it can be shown as a diff.
//!
//! rustc reports positions in the crate evcxr generates around the cell. The
//! generated code contains each line of the cell verbatim, so a position is
//! carried over by finding its line's text in the cell.

use serde_json::Value;

/// The import the missing-import rule adds (for the names in `collm_analysis::PRELUDE_NAMES`).
const PRELUDE_IMPORT: &str = "use collm_analysis::prelude::*;";

/// One replacement in the cell: on 0-based `line`, characters `start..end`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit {
    line: usize,
    start: usize,
    end: usize,
    text: String,
}

/// Proposes a repaired cell for compile errors, given rustc's JSON messages
/// and the source evcxr compiled. `None` when nothing applies.
pub fn fix_compile_errors(cell: &str, generated: &str, errors: &[Value]) -> Option<String> {
    let cell_lines: Vec<&str> = cell.lines().collect();
    let gen_lines: Vec<&str> = generated.lines().collect();
    // Imports go after the evcxr commands (`:dep ...`) that open a cell.
    let top = cell_lines
        .iter()
        .take_while(|l| l.trim_start().starts_with(':'))
        .count();
    let mut edits = Vec::new();
    let mut needs_prelude = false;
    for error in errors {
        // The whole prelude beats rustc's one-name-at-a-time imports.
        if unresolved_prelude_name(error) {
            needs_prelude = true;
            continue;
        }
        for span in applicable_suggestions(error) {
            match carry_over(&span, &cell_lines, &gen_lines) {
                Some(edit) => edits.push(edit),
                None => {
                    // An insertion in generated code before the cell (an import).
                    let text = span["suggested_replacement"].as_str().unwrap_or_default();
                    if text.trim_start().starts_with("use ") {
                        let text = text.trim().to_string() + "\n";
                        edits.push(Edit {
                            line: top,
                            start: 0,
                            end: 0,
                            text,
                        });
                    }
                }
            }
        }
    }
    // Only the cell's opening lines count: generated cells also carry their
    // own text in a string, import line included.
    let imported = cell_lines
        .iter()
        .take_while(|l| {
            l.trim_start().starts_with(':')
                || l.trim_start().starts_with("use ")
                || l.trim().is_empty()
        })
        .any(|l| l.trim() == PRELUDE_IMPORT);
    if needs_prelude && !imported {
        edits.push(Edit {
            line: top,
            start: 0,
            end: 0,
            text: format!("{PRELUDE_IMPORT}\n"),
        });
    }
    apply(cell, edits)
}

/// Proposes a repaired cell for a panic from indexing past the end of a
/// collection (`index out of bounds`) at `generated_line` (1-based): a guard
/// that skips the event when the collection is too short.
pub fn fix_index_panic(
    cell: &str,
    generated: &str,
    message: &str,
    generated_line: usize,
) -> Option<String> {
    if !message.contains("index out of bounds") {
        return None;
    }
    let text = generated.lines().nth(generated_line.checked_sub(1)?)?;
    let cell_lines: Vec<&str> = cell.lines().collect();
    let line = cell_lines.iter().position(|l| *l == text)?;
    if !inside_loop(&cell_lines[..line]) {
        return None;
    }
    let mut guards: Vec<(String, usize)> = Vec::new();
    for (name, index) in indexings(text) {
        match guards.iter_mut().find(|(n, _)| *n == name) {
            Some(g) => g.1 = g.1.max(index),
            None => guards.push((name, index)),
        }
    }
    if guards.is_empty() {
        return None;
    }
    let indent: String = text.chars().take_while(|c| c.is_whitespace()).collect();
    let guard: String = guards
        .iter()
        .map(|(name, i)| format!("{indent}if {name}.len() <= {i} {{ continue; }}\n"))
        .collect();
    apply(
        cell,
        vec![Edit {
            line,
            start: 0,
            end: 0,
            text: guard,
        }],
    )
}

/// `name[3]` occurrences on a line: (name, 3).
fn indexings(line: &str) -> Vec<(String, usize)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if c != '[' || i == 0 {
            continue;
        }
        let mut s = i;
        while s > 0
            && (chars[s - 1].is_alphanumeric() || chars[s - 1] == '_' || chars[s - 1] == '.')
        {
            s -= 1;
        }
        let name: String = chars[s..i].iter().collect();
        let close = chars[i + 1..]
            .iter()
            .position(|&c| c == ']')
            .map(|p| i + 1 + p);
        let index = close.and_then(|e| {
            chars[i + 1..e]
                .iter()
                .collect::<String>()
                .trim()
                .parse::<usize>()
                .ok()
        });
        if let (false, Some(index)) = (name.is_empty() || name.starts_with('.'), index) {
            out.push((name, index));
        }
    }
    out
}

/// Whether the code before a line leaves a `for`/`while`/`loop` open.
fn inside_loop(before: &[&str]) -> bool {
    let mut open_loops: Vec<i64> = Vec::new();
    let mut depth: i64 = 0;
    for line in before {
        let t = line.trim_start();
        let starts_loop = t.starts_with("for ") || t.starts_with("while ") || t.starts_with("loop");
        for c in line.chars() {
            match c {
                '{' => {
                    if starts_loop && open_loops.last() != Some(&depth) {
                        open_loops.push(depth);
                    }
                    depth += 1;
                }
                '}' => {
                    depth -= 1;
                    if open_loops.last() == Some(&depth) {
                        open_loops.pop();
                    }
                }
                _ => {}
            }
        }
    }
    !open_loops.is_empty()
}

/// The suggestion spans worth applying for one error.
fn applicable_suggestions(error: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for child in error["children"].as_array().into_iter().flatten() {
        let spans: Vec<&Value> = child["spans"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| s["suggested_replacement"].is_string())
            .collect();
        let sure = |s: &&Value| s["suggestion_applicability"] == "MachineApplicable";
        let single = spans.len() == 1 && spans[0]["suggestion_applicability"] == "MaybeIncorrect";
        if spans.iter().all(sure) || single {
            out.extend(spans.into_iter().cloned());
        }
        if !out.is_empty() {
            break;
        }
    }
    out
}

/// Whether an error is an unresolved name that the analysis prelude provides.
fn unresolved_prelude_name(error: &Value) -> bool {
    let message = error["message"].as_str().unwrap_or_default();
    let unresolved = message.starts_with("cannot find")
        || message.starts_with("failed to resolve")
        || message.contains("undeclared");
    unresolved
        && collm_analysis::PRELUDE_NAMES
            .iter()
            .any(|name| message.contains(&format!("`{name}`")))
}

/// Maps a span of the generated crate onto the cell, by its line's text.
fn carry_over(span: &Value, cell: &[&str], generated: &[&str]) -> Option<Edit> {
    let line_no = span["line_start"].as_u64()? as usize;
    if span["line_end"].as_u64()? as usize != line_no {
        return None;
    }
    let text = *generated.get(line_no.checked_sub(1)?)?;
    let candidates: Vec<usize> = (0..cell.len()).filter(|&i| cell[i] == text).collect();
    let [line] = candidates.as_slice() else {
        return None;
    };
    Some(Edit {
        line: *line,
        start: span["column_start"].as_u64()? as usize - 1,
        end: span["column_end"].as_u64()? as usize - 1,
        text: span["suggested_replacement"].as_str()?.to_string(),
    })
}

/// Applies edits (last first, so positions stay valid); `None` if there are
/// none or they change nothing.
fn apply(cell: &str, mut edits: Vec<Edit>) -> Option<String> {
    edits.sort_by_key(|e| std::cmp::Reverse((e.line, e.start)));
    edits.dedup();
    if edits.is_empty() {
        return None;
    }
    let mut lines: Vec<String> = cell.lines().map(str::to_string).collect();
    for e in edits {
        if e.line == lines.len() {
            lines.push(String::new());
        }
        let line = lines.get_mut(e.line)?;
        let chars: Vec<char> = line.chars().collect();
        if e.end > chars.len() || e.start > e.end {
            return None;
        }
        let before: String = chars[..e.start].iter().collect();
        let after: String = chars[e.end..].iter().collect();
        *line = format!("{before}{}{after}", e.text);
    }
    let mut out = lines.join("\n");
    if cell.ends_with('\n') {
        out.push('\n');
    }
    let out = out.replace("\n\n\n", "\n\n");
    (out != cell).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn suggestion(line: u64, start: u64, end: u64, text: &str, applicability: &str) -> Value {
        json!({
            "message": "mismatched types",
            "children": [{"message": "help", "spans": [{
                "line_start": line, "line_end": line, "column_start": start, "column_end": end,
                "suggested_replacement": text, "suggestion_applicability": applicability,
            }]}],
        })
    }

    #[test]
    fn machine_applicable_suggestion_lands_on_the_cell_line() {
        let cell = "let met = 40.0;\nif met > 30 { println!(\"pass\"); }";
        let generated = "#![allow(unused)]\nfn run() {\nlet met = 40.0;\nif met > 30 { println!(\"pass\"); }\n}";
        let fixed = fix_compile_errors(
            cell,
            generated,
            &[suggestion(4, 12, 12, ".0", "MachineApplicable")],
        );
        assert_eq!(
            fixed.unwrap(),
            "let met = 40.0;\nif met > 30.0 { println!(\"pass\"); }"
        );
    }

    #[test]
    fn single_maybe_incorrect_candidate_is_taken_but_not_several() {
        let cell = "let x = o.abs_eat();";
        let generated = "fn f() {\nlet x = o.abs_eat();\n}";
        let one = suggestion(2, 11, 18, "abs_eta", "MaybeIncorrect");
        assert_eq!(
            fix_compile_errors(cell, generated, &[one]).unwrap(),
            "let x = o.abs_eta();"
        );
        let mut two = suggestion(2, 11, 18, "abs_eta", "MaybeIncorrect");
        let extra = two["children"][0]["spans"][0].clone();
        two["children"][0]["spans"]
            .as_array_mut()
            .unwrap()
            .push(extra);
        assert_eq!(fix_compile_errors(cell, generated, &[two]), None);
    }

    #[test]
    fn missing_prelude_import_is_added_after_dep_lines() {
        let cell = ":dep collm-analysis\nlet c = Cutflow::new();";
        let error = json!({"message": "failed to resolve: use of undeclared type `Cutflow`", "children": []});
        let fixed = fix_compile_errors(cell, "", &[error]).unwrap();
        assert_eq!(
            fixed,
            ":dep collm-analysis\nuse collm_analysis::prelude::*;\nlet c = Cutflow::new();"
        );
    }

    #[test]
    fn index_panic_inside_a_loop_gets_a_guard() {
        let cell =
            "for ev in events {\n    let (j1, j2) = (jets[0], jets[1]);\n    total += j1 + j2;\n}";
        let generated = format!("fn f() {{\n{cell}\n}}");
        let fixed = fix_index_panic(
            cell,
            &generated,
            "index out of bounds: the len is 1 but the index is 1",
            3,
        )
        .unwrap();
        assert_eq!(
            fixed,
            "for ev in events {\n    if jets.len() <= 1 { continue; }\n    let (j1, j2) = (jets[0], jets[1]);\n    total += j1 + j2;\n}"
        );
        assert_eq!(
            fix_index_panic("let a = v[0];", "let a = v[0];", "index out of bounds", 1),
            None,
            "no loop to skip in"
        );
    }

    #[test]
    fn ambiguous_lines_are_left_alone() {
        let cell = "x > 3\nx > 3";
        let generated = "x > 3";
        assert_eq!(
            fix_compile_errors(
                cell,
                generated,
                &[suggestion(1, 5, 5, ".0", "MachineApplicable")]
            ),
            None
        );
    }
}
