//! `?` at the top level of a cell fails the cell.
//!
//! evcxr runs a cell that uses `?` inside a closure returning `Result`; an `Err` that reaches
//! the top is printed on stderr and the cell still counts as a success. A physicist expects
//! what Python gives: the cell fails with the error's type, message and causes, and a headless
//! run stops there. So before a cell goes to evcxr, each `?` whose error would leave the cell
//! is wrapped in a match that reports the error (on its way out, unchanged) to the kernel, as a
//! MIME block evcxr collects like any other output. Errors of nested functions and closures
//! are theirs to handle and are left alone.

use ra_ap_syntax::ast::{self, AstNode};
use ra_ap_syntax::{Edition, SourceFile, SyntaxKind, SyntaxNode};

/// MIME type of the report a wrapped `?` prints when its error leaves the cell.
pub const ERROR_MIME: &str = "application/vnd.collm.error";

/// Items the wrapped `?`s call, defined once per session. Autoref specialisation picks the
/// richest report the error type allows: the chain of causes of a `std::error::Error` (boxed
/// or not), else its `Display`, else its type alone. The report is one line with fields split
/// by U+001F and newlines as U+001E; a stderr marker tells the kernel to drop the copy of the
/// message evcxr prints.
pub const PRELUDE: &str = r#"
#[doc(hidden)]
#[allow(dead_code)]
pub mod __collm_try {
    fn one(s: &str) -> String { s.replace('\u{1f}', " ").replace('\n', "\u{1e}") }
    fn report(type_name: &str, at: &str, message: String, causes: Vec<String>, printed: bool) {
        let mut line = format!("{}\u{1f}{}\u{1f}{}", one(type_name), one(at), one(&message));
        for c in &causes { line.push('\u{1f}'); line.push_str(&one(c)); }
        println!("EVCXR_BEGIN_CONTENT application/vnd.collm.error\n{}\nEVCXR_END_CONTENT", line);
        if printed { eprintln!("\u{1f}collm-skip {}", message.split('\n').count()); }
    }
    fn causes(mut next: Option<&(dyn std::error::Error + 'static)>) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(e) = next { out.push(e.to_string()); next = e.source(); }
        out
    }
    pub trait Chain { fn __collm_note(&self, at: &str); }
    impl<T, E: std::error::Error> Chain for &&&Result<T, E> {
        fn __collm_note(&self, at: &str) {
            if let Err(e) = &****self { report(std::any::type_name::<E>(), at, e.to_string(), causes(e.source()), true) }
        }
    }
    pub trait Boxed { fn __collm_note(&self, at: &str); }
    impl<T> Boxed for &&Result<T, Box<dyn std::error::Error>> {
        fn __collm_note(&self, at: &str) {
            if let Err(e) = &***self { report("Box<dyn Error>", at, e.to_string(), causes(e.source()), true) }
        }
    }
    impl<T> Boxed for &&Result<T, Box<dyn std::error::Error + Send + Sync>> {
        fn __collm_note(&self, at: &str) {
            if let Err(e) = &***self { report("Box<dyn Error>", at, e.to_string(), causes(e.source()), true) }
        }
    }
    pub trait Shown { fn __collm_note(&self, at: &str); }
    impl<T, E: std::fmt::Display> Shown for &Result<T, E> {
        fn __collm_note(&self, at: &str) {
            if let Err(e) = &**self { report(std::any::type_name::<E>(), at, e.to_string(), Vec::new(), true) }
        }
    }
    pub trait Opaque { fn __collm_note(&self, at: &str); }
    impl<T, E> Opaque for Result<T, E> {
        fn __collm_note(&self, at: &str) {
            if self.is_err() {
                let t = std::any::type_name::<E>();
                report(t, at, format!("an error of type {t}"), Vec::new(), false)
            }
        }
    }
    impl<T> Opaque for Option<T> {
        fn __collm_note(&self, _: &str) {}
    }
}
"#;

/// Opens the wrap of a `?` operand.
const OPEN: &str = "(match (";

/// Macros whose arguments are expressions, so a `?` inside them is the cell's.
const EXPR_MACROS: &[&str] = &[
    "print",
    "println",
    "eprint",
    "eprintln",
    "format",
    "write",
    "writeln",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "dbg",
    "vec",
    "panic",
];

/// A failed cell's error as the kernel reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reported {
    /// The error's type, short (`ParseIntError`, `io::Error`), or `Error` when the type says
    /// nothing (`&str`, `String`, a boxed trait object).
    pub ename: String,
    /// The error's `Display`.
    pub evalue: String,
    /// The message, the causes (`source()` chain) and the `?` expression it left through.
    pub traceback: Vec<String>,
}

/// The cell with every top-level `?` wrapped, or `None` when it has none.
pub fn wrap(code: &str) -> Option<String> {
    let mut sites = Vec::new();
    collect(code, 0, "fn f(){\n", "\n}", &mut sites);
    if sites.is_empty() {
        return None;
    }
    // Opens and closes at each byte offset; at a shared start the outer `?` opens first.
    let mut edits: Vec<(usize, u8, usize, String)> = Vec::new();
    for s in &sites {
        edits.push((s.start, 1, usize::MAX - s.question, OPEN.to_string()));
        let at = short(&code[s.start..s.question]);
        edits.push((s.question, 0, 0, close(&at)));
    }
    edits.sort();
    let mut out = String::with_capacity(code.len() + sites.len() * 256);
    let mut from = 0;
    for (at, _, _, text) in edits {
        out.push_str(&code[from..at]);
        out.push_str(&text);
        from = at;
    }
    out.push_str(&code[from..]);
    Some(out)
}

/// Closes the wrap of a `?` operand: report an `Err` on its way out, then pass it on.
fn close(at: &str) -> String {
    format!(
        ") {{ __collm_r => {{ #[allow(unused_imports)] use crate::__collm_try::{{Chain as _, \
         Boxed as _, Shown as _, Opaque as _}}; (&&&&__collm_r).__collm_note({at:?}); \
         __collm_r }} }})"
    )
}

/// The `?` expression as the traceback quotes it: one line, at most 80 characters.
fn short(expr: &str) -> String {
    let one: String = expr.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= 80 {
        format!("{one}?")
    } else {
        format!("{}…?", one.chars().take(77).collect::<String>())
    }
}

/// A `?` whose error leaves the cell: its operand starts at `start`, the `?` is at `question`
/// (byte offsets in the cell).
struct Site {
    start: usize,
    question: usize,
}

/// Finds the top-level `?`s of `text` (at `base` in the cell), parsed between `head` and
/// `tail` so that it reads as a function body or as call arguments.
fn collect(text: &str, base: usize, head: &str, tail: &str, out: &mut Vec<Site>) {
    let source = format!("{head}{text}{tail}");
    let file = SourceFile::parse(&source, Edition::Edition2024);
    if head != "fn f(){\n" && !file.errors().is_empty() {
        return;
    }
    let at = |offset: usize| base + offset - head.len();
    for node in file.tree().syntax().descendants() {
        if let Some(t) = ast::TryExpr::cast(node.clone()) {
            let (Some(expr), Some(q)) = (t.expr(), t.question_mark_token()) else {
                continue;
            };
            if leaves_the_cell(&node) {
                out.push(Site {
                    start: at(usize::from(expr.syntax().text_range().start())),
                    question: at(usize::from(q.text_range().start())),
                });
            }
        } else if let Some(call) = ast::MacroCall::cast(node.clone()) {
            let Some(args) = expression_macro_args(&call) else {
                continue;
            };
            if leaves_the_cell(&node) {
                let (offset, inner) = args;
                collect(&inner, at(offset), "fn f(){ g(", "); }", out);
            }
        }
    }
}

/// The arguments of a call to one of [`EXPR_MACROS`]: where they start and their text.
fn expression_macro_args(call: &ast::MacroCall) -> Option<(usize, String)> {
    let name = call.path()?.segment()?.name_ref()?.text().to_string();
    if !EXPR_MACROS.contains(&name.as_str()) {
        return None;
    }
    let tree = call.token_tree()?;
    let range = tree.syntax().text_range();
    let text = tree.syntax().text().to_string();
    let inner = text.get(1..text.len().checked_sub(1)?)?.to_string();
    Some((usize::from(range.start()) + 1, inner))
}

/// Whether an error through this node's `?` returns from the cell itself: no closure,
/// function, item, or async/try/const block lies between it and the cell's body.
fn leaves_the_cell(node: &SyntaxNode) -> bool {
    for a in node.ancestors().skip(1) {
        match a.kind() {
            SyntaxKind::FN => return a.parent().map(|p| p.kind()) == Some(SyntaxKind::SOURCE_FILE),
            SyntaxKind::CLOSURE_EXPR
            | SyntaxKind::IMPL
            | SyntaxKind::TRAIT
            | SyntaxKind::MODULE
            | SyntaxKind::CONST
            | SyntaxKind::STATIC => return false,
            SyntaxKind::BLOCK_EXPR => {
                let own_exit = ast::BlockExpr::cast(a).is_some_and(|b| {
                    b.async_token().is_some()
                        || b.try_block_modifier().is_some()
                        || b.const_token().is_some()
                        || b.gen_token().is_some()
                });
                if own_exit {
                    return false;
                }
            }
            _ => {}
        }
    }
    false
}

/// Reads the report a wrapped `?` printed.
pub fn reported(report: &str) -> Reported {
    let first = report.lines().next().unwrap_or_default();
    let mut fields = first.split('\u{1f}').map(|f| f.replace('\u{1e}', "\n"));
    let type_name = fields.next().unwrap_or_default();
    let at = fields.next().unwrap_or_default();
    let evalue = fields.next().unwrap_or_default();
    let ename = error_name(&type_name);
    let mut traceback = vec![format!("{ename}: {evalue}")];
    traceback.extend(fields.map(|cause| format!("  caused by: {cause}")));
    if !at.is_empty() {
        traceback.push(format!("  returned by `{at}` at the top of the cell"));
    }
    Reported {
        ename,
        evalue,
        traceback,
    }
}

/// A short name for an error type: the last path segment, with its module when the type is
/// itself called `Error` (`io::Error`); `Error` for strings and boxed trait objects.
fn error_name(type_name: &str) -> String {
    let plain = type_name.split('<').next().unwrap_or_default().trim();
    if plain.is_empty()
        || plain.starts_with('&')
        || plain.starts_with("Box")
        || plain.ends_with("::Box")
        || matches!(plain, "str" | "alloc::string::String" | "String")
    {
        return "Error".to_string();
    }
    let segments: Vec<&str> = plain.split("::").collect();
    let last = segments.last().copied().unwrap_or("Error");
    if last != "Error" {
        return last.to_string();
    }
    segments
        .iter()
        .rev()
        .skip(1)
        .find(|s| !matches!(**s, "error" | "errors" | "err"))
        .map_or_else(|| "Error".to_string(), |module| format!("{module}::Error"))
}

#[cfg(test)]
mod tests;
