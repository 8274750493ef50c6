//! Splitting a cell into code and magic invocations.
//!
//! IPython's rules: `%%name args` on the first line makes the whole cell a
//! cell magic; otherwise any line that starts with `%name` is a line magic,
//! run in order with the code between them. `%name?`, `?%name` and a lone `?`
//! ask for help instead of running anything.

/// One piece of a cell, in execution order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Ordinary Rust code for the interpreter.
    Code(String),
    /// `%name args`.
    Line {
        /// Magic name without `%`.
        name: String,
        /// The rest of the line.
        args: String,
    },
    /// `%%name args` followed by the body.
    Cell {
        /// Magic name without `%%`.
        name: String,
        /// The rest of the first line.
        args: String,
        /// Everything after the first line.
        body: String,
    },
    /// A request for help (`%name?`, `?`).
    Help(HelpRequest),
}

/// What the user asked help about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpRequest {
    /// A lone `?`: general help.
    General,
    /// Help on one magic.
    Magic(String),
}

/// Splits a cell into segments. Never fails: anything that is not a magic is
/// code, and unknown magic names are reported when they run.
pub fn split_cell(code: &str) -> Vec<Segment> {
    let trimmed = code.trim_start_matches(['\n', '\r']);
    if let Some(rest) = trimmed.strip_prefix("%%") {
        let (first, body) = rest.split_once('\n').unwrap_or((rest, ""));
        let (name, args) = split_name(first);
        if let Some(help) = help_for(name, args) {
            return vec![Segment::Help(help)];
        }
        return vec![Segment::Cell {
            name: name.to_string(),
            args: args.trim().to_string(),
            body: body.to_string(),
        }];
    }
    let mut segments = Vec::new();
    let mut code_buf = String::new();
    for line in code.split_inclusive('\n') {
        let stripped = line.trim();
        if let Some(help) = line_help(stripped) {
            flush_code(&mut code_buf, &mut segments);
            segments.push(Segment::Help(help));
        } else if let Some(rest) = stripped.strip_prefix('%').filter(|r| !r.starts_with('%')) {
            flush_code(&mut code_buf, &mut segments);
            let (name, args) = split_name(rest);
            segments.push(Segment::Line {
                name: name.to_string(),
                args: args.trim().to_string(),
            });
        } else {
            code_buf.push_str(line);
        }
    }
    flush_code(&mut code_buf, &mut segments);
    segments
}

fn flush_code(buf: &mut String, segments: &mut Vec<Segment>) {
    if !buf.trim().is_empty() {
        segments.push(Segment::Code(std::mem::take(buf)));
    }
    buf.clear();
}

fn split_name(text: &str) -> (&str, &str) {
    let end = text.find(|c: char| c.is_whitespace()).unwrap_or(text.len());
    (&text[..end], &text[end..])
}

fn help_for(name: &str, args: &str) -> Option<HelpRequest> {
    let bare = name.trim_end_matches('?');
    (name.ends_with('?') && args.trim().is_empty()).then(|| HelpRequest::Magic(bare.to_string()))
}

fn line_help(line: &str) -> Option<HelpRequest> {
    if line == "?" || line == "??" {
        return Some(HelpRequest::General);
    }
    let inner = line
        .strip_prefix('?')
        .or_else(|| line.strip_suffix('?'))?
        .trim_end_matches('?');
    let name = inner.trim_start_matches('%');
    let is_magic = inner.starts_with('%')
        && !name.is_empty()
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    is_magic.then(|| HelpRequest::Magic(name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_code_is_one_segment() {
        let cell = "let x = 1;\nx + 1";
        assert_eq!(split_cell(cell), vec![Segment::Code(cell.to_string())]);
    }

    #[test]
    fn cell_magic_takes_the_body() {
        let segs = split_cell("%%time --x 1\nlet a = 2;\na");
        assert_eq!(
            segs,
            vec![Segment::Cell {
                name: "time".into(),
                args: "--x 1".into(),
                body: "let a = 2;\na".into()
            }]
        );
    }

    #[test]
    fn line_magics_interleave_with_code_in_order() {
        let segs = split_cell("%env A=1\nlet a = 1;\n  %pwd\na");
        assert_eq!(
            segs,
            vec![
                Segment::Line {
                    name: "env".into(),
                    args: "A=1".into()
                },
                Segment::Code("let a = 1;\n".into()),
                Segment::Line {
                    name: "pwd".into(),
                    args: "".into()
                },
                Segment::Code("a".into()),
            ]
        );
    }

    #[test]
    fn help_forms_are_recognised() {
        assert_eq!(
            split_cell("%lsmagic?"),
            vec![Segment::Help(HelpRequest::Magic("lsmagic".into()))]
        );
        assert_eq!(
            split_cell("?%time"),
            vec![Segment::Help(HelpRequest::Magic("time".into()))]
        );
        assert_eq!(
            split_cell("%%time?"),
            vec![Segment::Help(HelpRequest::Magic("time".into()))]
        );
        assert_eq!(split_cell("?"), vec![Segment::Help(HelpRequest::General)]);
    }

    #[test]
    fn rust_question_mark_is_not_help() {
        let cell = "let v: i32 = \"3\".parse()?;";
        assert_eq!(split_cell(cell), vec![Segment::Code(cell.into())]);
    }
}
