//! Facts about the Rust toolchain that cells compile with.

use std::sync::OnceLock;

static RUSTC_VERSION: OnceLock<String> = OnceLock::new();

/// Looks the rustc version up in the background, so that `kernel_info` never
/// waits for a process to start.
pub fn probe_in_background() {
    std::thread::spawn(|| {
        let version = std::process::Command::new("rustc")
            .arg("--version")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.split_whitespace().nth(1).map(str::to_string))
            .unwrap_or_default();
        let _ = RUSTC_VERSION.set(version);
    });
}

/// The rustc version (`1.95.0`), or empty until the probe has answered.
pub fn rustc_version() -> &'static str {
    RUSTC_VERSION.get().map(String::as_str).unwrap_or("")
}

/// The directory holding the toolchain's libstd (`rustc --print target-libdir`).
pub fn target_libdir() -> Option<std::path::PathBuf> {
    let out = std::process::Command::new("rustc")
        .args(["--print", "target-libdir"])
        .output()
        .ok()?;
    let dir = String::from_utf8(out.stdout).ok()?;
    let dir = std::path::PathBuf::from(dir.trim());
    dir.is_dir().then_some(dir)
}
