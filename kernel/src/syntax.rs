//! `is_complete_request`: is a cell ready to run, by bracket and string
//! balance? Consoles use this to decide whether Enter runs the code or opens
//! a new line.

/// The answer for one piece of code.
#[derive(Debug, PartialEq, Eq)]
pub enum Completeness {
    /// Balanced: run it.
    Complete,
    /// Open brackets, strings or comments: wait for more, indented by this.
    Incomplete(String),
    /// A closing bracket that does not match: it can never become valid.
    Invalid,
}

/// Scans Rust code (magic lines are skipped) for balance.
pub fn completeness(code: &str) -> Completeness {
    if code.trim_start().starts_with("%%") {
        return Completeness::Complete;
    }
    let rust: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with('%'))
        .collect::<Vec<_>>()
        .join("\n");
    scan(&rust)
}

fn scan(code: &str) -> Completeness {
    let chars: Vec<char> = code.chars().collect();
    let mut stack: Vec<char> = Vec::new();
    let mut i = 0;
    let incomplete = |depth: usize| Completeness::Incomplete("    ".repeat(depth));
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if next == Some('*') => match skip_block_comment(&chars, i) {
                Some(end) => {
                    i = end;
                    continue;
                }
                None => return incomplete(stack.len()),
            },
            'r' | 'b' if is_raw_string_start(&chars, i) => match skip_raw_string(&chars, i) {
                Some(end) => {
                    i = end;
                    continue;
                }
                None => return incomplete(stack.len()),
            },
            '"' => match skip_string(&chars, i + 1) {
                Some(end) => {
                    i = end;
                    continue;
                }
                None => return incomplete(stack.len()),
            },
            '\'' => {
                if let Some(end) = skip_char_literal(&chars, i) {
                    i = end;
                    continue;
                }
            }
            '(' | '[' | '{' => stack.push(c),
            ')' | ']' | '}' => {
                let open = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if stack.pop() != Some(open) {
                    return Completeness::Invalid;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if stack.is_empty() {
        Completeness::Complete
    } else {
        incomplete(stack.len())
    }
}

/// Returns the index after the end of a (nestable) block comment starting at `i`, or
/// `None` when it is never closed.
fn skip_block_comment(chars: &[char], i: usize) -> Option<usize> {
    let mut depth = 1;
    let mut i = i + 2;
    while depth > 0 {
        match (chars.get(i)?, chars.get(i + 1)) {
            ('/', Some('*')) => {
                depth += 1;
                i += 1;
            }
            ('*', Some('/')) => {
                depth -= 1;
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    Some(i)
}

/// Returns the index after a char literal (`'x'` or `'\..'`) starting at `i`, or `None`
/// when the quote starts a lifetime.
fn skip_char_literal(chars: &[char], i: usize) -> Option<usize> {
    if chars.get(i + 1) == Some(&'\\') {
        let mut j = i + 2;
        while j < chars.len() && chars[j] != '\'' {
            j += 1;
        }
        return Some(j + 1);
    }
    (chars.get(i + 2) == Some(&'\'')).then_some(i + 3)
}

fn is_raw_string_start(chars: &[char], i: usize) -> bool {
    let prev_ident = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
    if prev_ident {
        return false;
    }
    let mut j = i;
    if chars[j] == 'b' {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return false;
    }
    j += 1;
    while chars.get(j) == Some(&'#') {
        j += 1;
    }
    chars.get(j) == Some(&'"')
}

/// Returns the index after the closing quote of a raw string starting at `i`.
fn skip_raw_string(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    if chars[j] == 'b' {
        j += 1;
    }
    j += 1;
    let mut hashes = 0;
    while chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    j += 1;
    while j < chars.len() {
        if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    None
}

/// Returns the index after the closing quote of a string whose body starts at `i`.
fn skip_string(chars: &[char], mut i: usize) -> Option<usize> {
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balanced_code_is_complete() {
        for code in [
            "1+1",
            "let x = 1;",
            "fn f() { let v = vec![1, 2]; }",
            "let s = \"}\";",
            "let c = '}';",
            "fn f<'a>(x: &'a str) -> &'a str { x }",
            "let r = r#\"{ \"# ;",
            "// { not code\n1",
            "/* { */ 2",
            "%%time\nfn f() {",
            "%pwd",
        ] {
            assert_eq!(completeness(code), Completeness::Complete, "{code}");
        }
    }

    #[test]
    fn open_constructs_are_incomplete_with_indent() {
        assert_eq!(
            completeness("fn f() {"),
            Completeness::Incomplete("    ".into())
        );
        assert_eq!(
            completeness("fn f() {\n  if x {"),
            Completeness::Incomplete("        ".into())
        );
        for code in ["let s = \"abc", "vec![1,", "/* open", "let r = r#\"x"] {
            assert!(
                matches!(completeness(code), Completeness::Incomplete(_)),
                "{code}"
            );
        }
    }

    #[test]
    fn mismatched_closers_are_invalid() {
        for code in ["fn f() }", ")", "let x = (1];"] {
            assert_eq!(completeness(code), Completeness::Invalid, "{code}");
        }
    }
}
