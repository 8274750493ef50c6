//! Rust code the kernel installs in every evcxr session: the panic hook and the
//! `collm` module cells use for rich output.

/// evcxr content type our panic hook reports on.
pub const PANIC_MIME: &str = "application/vnd.collm.panic";

/// Installed in the child after every start. Fields are separated by U+001F
/// and newlines in the message by U+001E, so the report is one line.
pub const PANIC_HOOK: &str = r#"std::panic::set_hook(Box::new(|info| {
    let payload = info.payload();
    let msg = if let Some(s) = payload.downcast_ref::<&str>() { (*s).to_string() }
        else if let Some(s) = payload.downcast_ref::<String>() { s.clone() }
        else { String::from("Box<dyn Any>") };
    let place = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
    let thread = std::thread::current().name().unwrap_or("<unnamed>").to_string();
    println!("EVCXR_BEGIN_CONTENT application/vnd.collm.panic");
    println!("{}\u{1f}{}\u{1f}{}", thread, place, msg.replace('\n', "\u{1e}"));
    println!("EVCXR_END_CONTENT");
}));"#;

/// Rich output for Rust cells: `collm::display("text/html", "<b>hi</b>")`.
/// It prints our display marker, which the kernel turns into display messages
/// while the cell is still running.
pub const CELL_PRELUDE: &str = r#"
/// Rich output from Rust cells (displays, updates, clearing the output).
#[allow(dead_code)]
pub mod collm {
    fn esc(s: &str) -> String {
        let mut o = String::with_capacity(s.len() + 2);
        o.push('"');
        for c in s.chars() {
            match c {
                '"' => o.push_str("\\\""),
                '\\' => o.push_str("\\\\"),
                '\n' => o.push_str("\\n"),
                '\r' => o.push_str("\\r"),
                '\t' => o.push_str("\\t"),
                c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
                c => o.push(c),
            }
        }
        o.push('"');
        o
    }
    fn emit(kind: &str, mime: &str, content: &str, id: Option<&str>) {
        let id = id.map(|i| format!(",\"display_id\":{}", esc(i))).unwrap_or_default();
        println!("COLLM_DISPLAY {{\"kind\":\"{}\",\"data\":{{{}:{}}}{}}}", kind, esc(mime), esc(content), id);
    }
    /// Shows `content` with MIME type `mime` (base64 for images).
    pub fn display(mime: &str, content: &str) { emit("display", mime, content, None) }
    /// Shows content that can later be replaced with `update_display`.
    pub fn display_with_id(mime: &str, content: &str, id: &str) { emit("display", mime, content, Some(id)) }
    /// Replaces the display created with the same id.
    pub fn update_display(mime: &str, content: &str, id: &str) { emit("update", mime, content, Some(id)) }
    fn ask(prompt: &str, password: bool) -> String {
        let kind = if password { "EVCXR_INPUT_REQUEST_PASSWORD" } else { "EVCXR_INPUT_REQUEST" };
        println!("{}:{}", kind, prompt.replace(':', "\u{2236}"));
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
        line.trim_end_matches(['\n', '\r']).to_string()
    }
    /// Asks the user for a line of text in the notebook.
    pub fn input(prompt: &str) -> String { ask(prompt, false) }
    /// Asks for a secret; the notebook hides what is typed.
    pub fn password(prompt: &str) -> String { ask(prompt, true) }
    /// Clears the cell output (with `wait`, when new output arrives).
    pub fn clear_output(wait: bool) { println!("COLLM_DISPLAY {{\"kind\":\"clear\",\"wait\":{}}}", wait) }
    /// Shows a cell's final value with `Debug` when its type has no
    /// `evcxr_display` of its own. evcxr tries `evcxr_display` first and falls
    /// back to `Debug` with a second compile; this makes the first one succeed.
    #[doc(hidden)]
    pub trait DebugResult {
        fn evcxr_display(&self);
    }
    impl<T: std::fmt::Debug + ?Sized> DebugResult for T {
        fn evcxr_display(&self) {
            println!("EVCXR_BEGIN_CONTENT text/plain\n{:?}\nEVCXR_END_CONTENT", self);
        }
    }
}
use collm::DebugResult as _;
"#;
