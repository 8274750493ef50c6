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
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
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

/// Writes `text` to a file only its owner can read, created that way (never briefly
/// readable by others).
pub fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension("tmp");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    std::fs::rename(tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_never_format() {
        let t = Token::new(" hf_secret123\n").expect("token");
        assert_eq!(t.secret(), "hf_secret123");
        assert!(!format!("{t:?} {t}").contains("secret"));
        assert!(Token::new("  \n").is_none());
    }
}
