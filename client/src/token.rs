//! Finding the user's Hugging Face token, in the order the contract gives: `HF_TOKEN`,
//! `HUGGING_FACE_HUB_TOKEN`, then the token file (`$HF_HOME/token`, by default
//! `~/.cache/huggingface/token`).

use std::fmt;
use std::path::PathBuf;

/// A bearer token. Its `Debug` and `Display` never show it, so it cannot leak into a log or a
/// notebook output by formatting.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token, trimmed of surrounding whitespace (token files end with a newline).
    pub fn new(raw: &str) -> Option<Token> {
        let t = raw.trim();
        (!t.is_empty()).then(|| Token(t.to_owned()))
    }

    /// The secret itself, for the `Authorization` header only.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("hf_…")
    }
}

/// `text` with every token-shaped run masked: the local backend's (`collm_…`) and Hugging
/// Face's (`hf_…`) tokens, and whatever follows `Bearer `. For logs, as a last line of defence
/// behind [`Token`]'s formatting: a message that quotes a header or a body cannot carry a
/// token out.
pub fn redact(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let run_end = |from: usize, ok: &dyn Fn(u8) -> bool| {
        from + b[from..].iter().take_while(|&&c| ok(c)).count()
    };
    // The byte ranges to mask.
    let mut spans = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts_word = i == 0 || !word(b[i - 1]);
        let prefix = ["collm_", "hf_"]
            .into_iter()
            .find(|p| starts_word && b[i..].starts_with(p.as_bytes()));
        if let Some(p) = prefix {
            let end = run_end(i + p.len(), &word);
            if end - i - p.len() >= 16 {
                spans.push((i, end));
                i = end;
                continue;
            }
        }
        if b.len() - i > 7 && b[i..i + 7].eq_ignore_ascii_case(b"bearer ") && starts_word {
            let from = i + 7;
            let end = run_end(from, &|c: u8| !c.is_ascii_whitespace());
            if end > from {
                spans.push((from, end));
                i = end;
                continue;
            }
        }
        i += 1;
    }
    if spans.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (from, to) in spans {
        out.push_str(&text[at..from]);
        out.push_str("[redacted]");
        at = to;
    }
    out.push_str(&text[at..]);
    std::borrow::Cow::Owned(out)
}

/// Where a token was found, to tell the user without showing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// An environment variable, by name.
    Env(&'static str),
    /// A token file.
    File(PathBuf),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Env(v) => write!(f, "${v}"),
            Source::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// The Hugging Face token file: `$HF_HOME/token`, else `~/.cache/huggingface/token`
/// (`$XDG_CACHE_HOME` is honoured as huggingface_hub does).
pub fn token_file() -> PathBuf {
    if let Some(home) = std::env::var_os("HF_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(home).join("token");
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"));
    cache.join("huggingface").join("token")
}

/// The token and where it came from, or `None` if the user has none.
pub fn lookup() -> Option<(Token, Source)> {
    for var in ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"] {
        if let Some(t) = std::env::var(var).ok().as_deref().and_then(Token::new) {
            return Some((t, Source::Env(var)));
        }
    }
    let path = token_file();
    let text = std::fs::read_to_string(&path).ok()?;
    Token::new(&text).map(|t| (t, Source::File(path)))
}

/// Stores a token where huggingface_hub keeps it (the token file, mode 0600), so the Python
/// package and this kernel share one login.
pub fn store(token: &Token) -> std::io::Result<PathBuf> {
    let path = token_file();
    write_private(&path, token.secret())?;
    Ok(path)
}

/// Removes the token file; `Ok(false)` if there was none.
pub fn forget() -> std::io::Result<bool> {
    match std::fs::remove_file(token_file()) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Writes `text` to a file only its owner can read, in a folder only its owner can enter.
/// The text goes to a fresh, randomly named file created with mode 0600 that is then renamed
/// over `path`, so the secret is never briefly readable by others, and a file an attacker
/// planted under a predictable temporary name (a link, say) is never written through.
pub fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    // A bare file name lives in the working directory, which is the user's, not ours to tighten.
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => {
            std::fs::create_dir_all(d)?;
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700))?;
            d
        }
        _ => std::path::Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.as_file()
        .set_permissions(std::fs::Permissions::from_mode(0o600))?;
    file.write_all(text.as_bytes())?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_shaped_words_are_masked_in_log_text() {
        let local = format!("collm_{}", "ab12".repeat(16));
        let line = format!("GET /v1/me from 127.0.0.1 token={local}, header Bearer xyz.123\nhf_abcdefghijklmnopqrstu end");
        let out = redact(&line);
        assert!(!out.contains(&local) && !out.contains("xyz.123"), "{out}");
        assert!(!out.contains("hf_abcdefghijklmnopqrstu"), "{out}");
        assert_eq!(out.matches("[redacted]").count(), 3, "{out}");
        assert!(
            out.starts_with("GET /v1/me from 127.0.0.1 ") && out.ends_with(" end"),
            "{out}"
        );
        let plain = "hf_whoami answered 401 for user collm_test";
        assert!(
            matches!(redact(plain), std::borrow::Cow::Borrowed(_)),
            "short names stay"
        );
    }

    #[test]
    fn tokens_never_format() {
        let t = Token::new(" hf_secret123\n").expect("token");
        assert_eq!(t.secret(), "hf_secret123");
        assert!(!format!("{t:?} {t}").contains("secret"));
        assert!(Token::new("  \n").is_none());
    }

    fn mode(path: &std::path::Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).expect("stat").permissions().mode() & 0o777
    }

    #[test]
    fn private_files_are_0600_in_a_0700_folder_and_never_written_through_a_planted_link() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join("hf");
        std::fs::create_dir(&dir).expect("dir");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let path = dir.join("token");
        std::fs::write(&path, "old").expect("old token");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let elsewhere = root.path().join("attacker-reads-this");
        std::fs::write(&elsewhere, "").expect("bait");
        std::os::unix::fs::symlink(&elsewhere, dir.join("token.tmp")).expect("planted link");

        write_private(&path, "hf_new_secret").expect("write");

        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "hf_new_secret"
        );
        assert_eq!(mode(&path), 0o600, "the token file is private");
        assert_eq!(mode(&dir), 0o700, "an existing folder is tightened");
        assert_eq!(std::fs::read_to_string(&elsewhere).expect("bait"), "");
        let left: Vec<_> = std::fs::read_dir(&dir)
            .expect("ls")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 2, "no temporary file is left behind: {left:?}");
    }
}
