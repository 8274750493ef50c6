//! `analysis.rs` is the code that ran.
//!
//! A `%%collm` analysis's output contract includes its code. The cell that finally runs may
//! differ from the one generated: the fixer repairs it, and a physicist edits the inserted
//! cell and runs it again. So the kernel, not the cell, writes `analysis.rs`, from the exact
//! text of a generated analysis cell that ran to the end, into the folder the cell itself
//! names (`let out = std::path::Path::new("…");` in its book section).

use ra_ap_syntax::{ast, AstToken, Edition, SourceFile};
use std::path::PathBuf;

/// The line that marks the end section of a generated analysis cell.
const FINALIZE: &str = "// ---- finalize ----";
/// How the book section names the output folder.
const OUT_DECL: &str = "let out = std::path::Path::new(";

/// The output folder of a generated analysis cell, or `None` for any other code.
pub fn output_dir(code: &str) -> Option<PathBuf> {
    if !code.lines().any(|l| l.trim() == FINALIZE) {
        return None;
    }
    let decl = code
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with(OUT_DECL))?;
    let literal = decl.strip_prefix(OUT_DECL)?.strip_suffix(");")?;
    string_value(literal).map(PathBuf::from)
}

/// The value of a Rust string literal (escapes and raw strings included).
fn string_value(literal: &str) -> Option<String> {
    let file = SourceFile::parse(&format!("const S: &str = {literal};"), Edition::Edition2024);
    if !file.errors().is_empty() {
        return None;
    }
    let token = file
        .syntax_node()
        .descendants_with_tokens()
        .filter_map(|t| t.into_token())
        .find_map(ast::String::cast)?;
    token.value().ok().map(|v| v.into_owned())
}

/// Writes `analysis.rs` for a generated analysis cell that ran; other code is left alone.
/// Returns the file written.
pub fn record(code: &str) -> Result<Option<PathBuf>, collm_analysis::OutputError> {
    let Some(dir) = output_dir(code) else {
        return Ok(None);
    };
    let path = dir.join("analysis.rs");
    collm_analysis::output::write_bytes(&path, code.as_bytes())?;
    Ok(Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CELL: &str = ":dep collm-analysis\nuse collm_analysis::prelude::*;\n\n{\n    // ---- book ----\n    let data = [\"a.lhco\"];\n    let out = std::path::Path::new(\"runs/ww \\\"v2\\\"\");\n\n    // ---- finalize ----\n    cutflow.show();\n}\n";

    #[test]
    fn generated_cells_name_their_output_folder() {
        assert_eq!(output_dir(CELL), Some(PathBuf::from("runs/ww \"v2\"")));
        let raw = CELL.replace("\"runs/ww \\\"v2\\\"\"", "r\"C:\\out\"");
        assert_eq!(output_dir(&raw), Some(PathBuf::from("C:\\out")));
    }

    #[test]
    fn other_code_is_not_an_analysis() {
        assert_eq!(output_dir("let out = std::path::Path::new(\"x\");"), None);
        assert_eq!(output_dir(&CELL.replace("// ---- finalize ----", "")), None);
        let computed = CELL.replace("\"runs/ww \\\"v2\\\"\"", "&dir");
        assert_eq!(output_dir(&computed), None);
    }

    #[test]
    fn record_writes_the_code_as_it_ran() {
        let dir = std::env::temp_dir().join(format!("collm-ran-{}", std::process::id()));
        let code = CELL.replace("runs/ww \\\"v2\\\"", &dir.display().to_string());
        std::fs::create_dir_all(&dir).expect("dir");
        let written = record(&code).expect("writes").expect("an analysis");
        assert_eq!(std::fs::read_to_string(written).expect("read"), code);
        assert_eq!(record("1 + 1").expect("nothing to write"), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
