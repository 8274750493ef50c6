//! A failed cell in the protocol's error shape, built from what evcxr reports:
//! compile errors with carets, panics, `?` errors and crashes of the child.

use crate::question_mark;
use std::collections::BTreeMap;

/// A failed cell, in the protocol's error shape.
#[derive(Debug, Clone)]
pub struct CellError {
    /// Error name (`CompileError`, `Panic`, `Interrupted`, ...).
    pub ename: String,
    /// One-line description.
    pub evalue: String,
    /// Plain-text lines, no ANSI codes.
    pub traceback: Vec<String>,
    /// The cell with repairs applied, when a repair rule knows one.
    pub fix: Option<String>,
}

impl CellError {
    /// An error with a one-line traceback.
    pub fn new(ename: &str, evalue: impl Into<String>) -> CellError {
        let evalue = evalue.into();
        CellError {
            ename: ename.to_string(),
            traceback: vec![format!("{ename}: {evalue}")],
            evalue,
            fix: None,
        }
    }
}

fn lost_line(lost: &[String]) -> Option<String> {
    (!lost.is_empty()).then(|| format!("Variables lost: {}", lost.join(", ")))
}

/// An `Err` that left the cell through `?`: the cell fails with the error's own name.
pub(super) fn question_error(report: &str, lost: &[String]) -> CellError {
    let r = question_mark::reported(report);
    let mut traceback = r.traceback;
    traceback.extend(lost_line(lost));
    CellError {
        ename: r.ename,
        evalue: r.evalue,
        traceback,
        fix: None,
    }
}

pub(super) fn panic_error(report: &str, lost: &[String]) -> CellError {
    let first = report.lines().next().unwrap_or_default();
    let mut fields = first.splitn(3, '\u{1f}');
    let thread = fields.next().unwrap_or("<unnamed>");
    let place = fields.next().unwrap_or_default();
    let message = fields.next().unwrap_or_default().replace('\u{1e}', "\n");
    let mut traceback = vec![if thread == "<unnamed>" || thread == "main" {
        format!("panicked: {message}")
    } else {
        format!("thread '{thread}' panicked: {message}")
    }];
    // Locations inside the generated cell crate mean nothing to the user.
    if !place.is_empty() && !place.starts_with("src/lib.rs") {
        traceback.push(format!("  at {place}"));
    }
    traceback.extend(lost_line(lost));
    CellError {
        ename: "Panic".to_string(),
        evalue: message,
        traceback,
        fix: None,
    }
}

pub(super) fn crash_error(
    message: &str,
    tail: &[String],
    lost: &[String],
    interrupted: bool,
) -> CellError {
    let joined = tail.join("\n");
    let (ename, evalue) = if interrupted {
        ("Interrupted", "the cell was interrupted".to_string())
    } else if joined.contains("overflowed its stack") || joined.contains("stack overflow") {
        (
            "StackOverflow",
            "the cell overflowed its stack (unbounded recursion?)".to_string(),
        )
    } else if joined.contains("Segmentation fault") {
        ("Crash", "segmentation fault in the cell".to_string())
    } else if message.contains("SIGSEGV") {
        // evcxr's SIGSEGV handler reports and aborts; dying of SIGSEGV itself
        // means the handler had no stack left to run on: a stack overflow.
        (
            "StackOverflow",
            "the cell overflowed its stack (unbounded recursion?)".to_string(),
        )
    } else if message.contains("SIGABRT") {
        (
            "Abort",
            "the cell aborted the process (std::process::abort or a fatal runtime error)"
                .to_string(),
        )
    } else {
        ("Crash", "the process running the cell exited".to_string())
    };
    let mut traceback = vec![format!("{ename}: {evalue}")];
    let status = message.lines().last().unwrap_or_default();
    if !interrupted && !status.is_empty() {
        traceback.push(status.to_string());
    }
    traceback.push("The Rust session was restarted.".to_string());
    traceback.extend(lost_line(lost));
    CellError {
        ename: ename.to_string(),
        evalue,
        traceback,
        fix: None,
    }
}

pub(super) fn compile_error(errors: &[evcxr::CompilationError]) -> CellError {
    let mut traceback = Vec::new();
    for e in errors {
        let head = match e.code() {
            Some(code) => format!("{}[{code}]: {}", e.level(), e.message()),
            None => format!("{}: {}", e.level(), e.message()),
        };
        traceback.push(head);
        let marks: Vec<Mark> = e
            .spanned_messages()
            .iter()
            .map(|m| Mark {
                span: m
                    .span
                    .map(|s| (s.start_line, s.start_column, s.end_line, s.end_column)),
                lines: m.lines.clone(),
                label: m.label.clone(),
            })
            .collect();
        traceback.extend(annotate(&marks));
        for help in e.help() {
            traceback.push(format!("  = help: {help}"));
        }
    }
    let evalue = errors
        .first()
        .map(|e| e.message())
        .unwrap_or_else(|| "compilation failed".to_string());
    CellError {
        ename: "CompileError".to_string(),
        evalue,
        traceback,
        fix: None,
    }
}

/// One labelled span of a compile error: (start line, start column, end
/// line, end column), 1-based, in the user's cell.
struct Mark {
    span: Option<(usize, usize, usize, usize)>,
    lines: Vec<String>,
    label: String,
}

/// Source lines with carets under each labelled span, each line shown once,
/// in the style of rustc but without colour codes.
fn annotate(messages: &[Mark]) -> Vec<String> {
    let mut out = Vec::new();
    // line number -> (source text, carets as (column, width, label))
    type Carets = Vec<(usize, usize, String)>;
    let mut by_line: BTreeMap<usize, (String, Carets)> = BTreeMap::new();
    for m in messages {
        match &m.span {
            &Some((line, start, end_line, end)) if line == end_line && !m.lines.is_empty() => {
                let entry = by_line
                    .entry(line)
                    .or_insert_with(|| (m.lines[0].clone(), Vec::new()));
                let width = end.saturating_sub(start).max(1);
                entry
                    .1
                    .push((start.saturating_sub(1), width, m.label.clone()));
            }
            &Some((line, ..)) => {
                for (i, text) in m.lines.iter().enumerate() {
                    out.push(format!("  {} | {text}", line + i));
                }
                if !m.label.is_empty() {
                    out.push(format!("  = {}", m.label));
                }
            }
            None if !m.label.is_empty() => out.push(format!("  = {}", m.label)),
            None => {}
        }
    }
    let width = by_line.keys().last().map_or(1, |n| n.to_string().len());
    for (line_no, (text, marks)) in by_line {
        out.push(format!("  {line_no:>width$} | {text}"));
        for (col, len, label) in marks {
            out.push(format!(
                "  {:width$} | {}{} {label}",
                "",
                " ".repeat(col),
                "^".repeat(len)
            ));
        }
    }
    out
}
