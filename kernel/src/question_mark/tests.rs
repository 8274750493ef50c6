use super::*;

/// Whether the code parses as a function body without syntax errors.
fn parses(code: &str) -> bool {
    SourceFile::parse(&format!("fn f(){{\n{code}\n}}"), Edition::Edition2024)
        .errors()
        .is_empty()
}

fn wrapped_count(code: &str) -> usize {
    wrap(code).map_or(0, |w| w.matches("__collm_note(").count())
}

#[test]
fn top_level_question_marks_are_wrapped_and_the_cell_still_parses() {
    let cells = [
        ("let x: i32 = s.parse()?;", 1),
        ("r?;", 1),
        ("std::fs::read_to_string(\"missing.txt\")?", 1),
        ("let n = a()?.b()?.len();", 2),
        (
            "for ev in lhco::read(path)? { let ev = ev?; n += ev.len(); }",
            2,
        ),
        ("if ok { f()?; } else { loop { g()?; break; } }", 2),
        ("let v = Foo { a: 1 }.check()?;", 1),
        ("println!(\"{}\", f()?);", 1),
        ("assert_eq!(f()?, 3, \"three\");", 1),
        ("let w = -x()? * 2;", 1),
        ("{ let data = [1]; for p in &data { h(p)?; } }", 1),
    ];
    for (code, n) in cells {
        let w = wrap(code).unwrap_or_else(|| panic!("no wrap for {code}"));
        assert!(parses(&w), "wrapped cell does not parse:\n{code}\n=>\n{w}");
        assert_eq!(wrapped_count(code), n, "{code}");
    }
}

#[test]
fn question_marks_with_their_own_exit_are_left_alone() {
    for code in [
        "let f = |x: &str| -> Result<i32, std::num::ParseIntError> { Ok(x.parse::<i32>()?) };",
        "fn load(p: &str) -> std::io::Result<String> { let s = std::fs::read_to_string(p)?; Ok(s) }",
        "impl Foo { fn g(&self) -> Option<u8> { self.x? ; None } }",
        "let fut = async { f().await? };",
        "let m = (|| { let j1 = j1?; Some(j1) })();",
        "let v = vec![x?; 3];",
        "my_macro!(a? b);",
        "let x = 1 + 2;",
    ] {
        assert_eq!(wrapped_count(code), 0, "{code}");
    }
}

#[test]
fn the_report_names_the_operand_and_keeps_the_code_around_it() {
    let w = wrap("let t = std::fs::read_to_string(\"a.txt\")?;\nt.len()").expect("wraps");
    assert!(w.starts_with("let t = (match (std::fs::read_to_string(\"a.txt\")) {"));
    assert!(w.contains("__collm_note(\"std::fs::read_to_string(\\\"a.txt\\\")?\")"));
    assert!(w.ends_with("})?;\nt.len()"));
    let long = format!("f({})?;", "x + ".repeat(40) + "1");
    let w = wrap(&long).expect("wraps");
    assert!(w.contains("…?\")"), "long operands are cut: {w}");
}

#[test]
fn reports_become_protocol_errors_with_causes() {
    let r = reported(
        "t::Wrapped\u{1f}load()?\u{1f}could not load\u{1e}the file\u{1f}invalid digit\u{1f}deeper",
    );
    assert_eq!(r.ename, "Wrapped");
    assert_eq!(r.evalue, "could not load\nthe file");
    assert_eq!(
        r.traceback,
        vec![
            "Wrapped: could not load\nthe file",
            "  caused by: invalid digit",
            "  caused by: deeper",
            "  returned by `load()?` at the top of the cell",
        ]
    );
}

#[test]
fn error_types_get_short_names() {
    for (t, name) in [
        ("core::num::error::ParseIntError", "ParseIntError"),
        ("std::io::error::Error", "io::Error"),
        ("collm_analysis::lhco::error::Error", "lhco::Error"),
        ("&str", "Error"),
        ("alloc::string::String", "Error"),
        ("Box<dyn Error>", "Error"),
        ("alloc::boxed::Box<dyn core::error::Error>", "Error"),
        ("anyhow::Error", "anyhow::Error"),
        ("i32", "i32"),
        ("mycrate::MyError<u8>", "MyError"),
    ] {
        assert_eq!(error_name(t), name, "{t}");
    }
}
