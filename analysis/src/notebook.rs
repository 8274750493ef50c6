//! Rich output from inside a running cell: evcxr's content blocks (merged into the cell's
//! result) and the collm kernel's display marker (one output per call, shown at once).

use crate::text::json_string;
use std::io::Write;

/// Prints one rich-output block in the form evcxr's display protocol reads from stdout, so a
/// notebook cell shows it as `mime` instead of plain text. Binary MIME types must already be
/// base64-encoded by the caller.
pub fn evcxr_emit(mime: &str, content: &str) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // A closed stdout means nobody is looking; there is nothing useful to do with the error.
    let _ = write!(
        out,
        "EVCXR_BEGIN_CONTENT {mime}\n{content}\nEVCXR_END_CONTENT\n"
    );
    let _ = out.flush();
}

/// Shows one output at once, while the cell is still running, through the collm kernel's
/// display marker (one stdout line). Unlike [`evcxr_emit`], which evcxr merges into the cell's
/// single final result, every call becomes its own output, so a loop can show many plots.
pub fn show(mime: &str, content: &str) {
    show_bundle(&[(mime, content)]);
}

/// Like [`show`], with several representations of one output (say HTML for notebooks and
/// text for terminals); the frontend picks the richest it can render.
pub fn show_bundle(bundle: &[(&str, &str)]) {
    let data: Vec<String> = bundle
        .iter()
        .map(|(mime, content)| format!("{}:{}", json_string(mime), json_string(content)))
        .collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = writeln!(
        out,
        "COLLM_DISPLAY {{\"kind\":\"display\",\"data\":{{{}}}}}",
        data.join(",")
    );
    let _ = out.flush();
}
