//! Where evcxr builds cells, and where notebook cells find the analysis crate.
//!
//! evcxr normally compiles cells in a fresh temporary directory, so every
//! kernel start recompiles the cell crate and every dependency a notebook
//! uses. The kernel instead claims one of a few persistent build directories
//! ("slots") under the user cache, locked for as long as the kernel runs, so
//! concurrent kernels never share one and a restarted kernel finds its
//! dependencies already compiled.

use anyhow::Context;
use std::fs::File;
use std::path::{Path, PathBuf};

/// How many kernels can keep a warm build directory at once.
const SLOTS: usize = 8;

/// A claimed build directory; the lock is released when this is dropped.
pub struct Slot {
    _lock: File,
    /// The directory evcxr builds in.
    pub dir: PathBuf,
}

/// Claims the first free slot under `base`, or `None` when all are taken
/// (evcxr then uses a temporary directory, as it does by default).
pub fn claim(base: &Path) -> Option<Slot> {
    for i in 0..SLOTS {
        let dir = base.join(format!("slot-{i}"));
        if std::fs::create_dir_all(&dir).is_err() {
            return None;
        }
        let Ok(lock) = File::create(dir.join(".lock")) else {
            continue;
        };
        if lock.try_lock().is_ok() {
            return Some(Slot { _lock: lock, dir });
        }
    }
    None
}

/// The default base directory for slots.
pub fn default_base() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("collm/cells"))
}

/// The analysis crate for `:dep collm-analysis`: `$COLLM_ANALYSIS_DIR`, the
/// copy install.sh makes under the user data directory, or the source tree
/// this binary was built from.
pub fn analysis_crate() -> PathBuf {
    if let Some(dir) = std::env::var_os("COLLM_ANALYSIS_DIR") {
        return PathBuf::from(dir);
    }
    let installed = dirs::data_dir().map(|d| d.join("collm/crates/collm-analysis"));
    match installed {
        Some(dir) if dir.join("Cargo.toml").exists() => dir,
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../analysis"),
    }
}

/// The evcxr command that makes `collm_analysis` usable in cells.
pub fn analysis_dep_command() -> String {
    let path = analysis_crate();
    let path = path.canonicalize().unwrap_or(path);
    format!(
        ":dep collm-analysis = {{ path = {:?} }}",
        path.to_string_lossy()
    )
}

/// Rewrites bare `:dep collm-analysis` lines (no version or path) to the
/// installed crate, so users and generated cells need not know where it is.
pub fn rewrite_deps(code: &str) -> Option<String> {
    let mut changed = false;
    let lines: Vec<String> = code
        .lines()
        .map(|l| {
            let t = l.trim();
            if t == ":dep collm-analysis" || t == ":dep collm_analysis" {
                changed = true;
                analysis_dep_command()
            } else {
                l.to_string()
            }
        })
        .collect();
    changed.then(|| lines.join("\n"))
}

/// Gives evcxr a persistent build directory for this kernel's lifetime
/// (unless the user chose one with `EVCXR_TMPDIR`).
pub fn claim_build_slot() -> Option<Slot> {
    if std::env::var_os("EVCXR_TMPDIR").is_some() {
        return None;
    }
    let slot = default_base().and_then(|b| claim(&b))?;
    std::env::set_var("EVCXR_TMPDIR", &slot.dir);
    Some(slot)
}

/// Points evcxr at a configuration directory the kernel owns, so that a
/// user's own evcxr settings do not change how notebooks behave.
pub fn own_evcxr_config() -> anyhow::Result<()> {
    if std::env::var_os("EVCXR_CONFIG_DIR").is_some() {
        return Ok(());
    }
    let dir = dirs::data_dir()
        .context("cannot find the user data directory (is $HOME set?)")?
        .join("collm/evcxr");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    std::env::set_var("EVCXR_CONFIG_DIR", &dir);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_exclusive_while_held() {
        let base = std::env::temp_dir().join(format!("collm-slots-{}", std::process::id()));
        let a = claim(&base).unwrap();
        let b = claim(&base).unwrap();
        assert_ne!(a.dir, b.dir);
        let a_dir = a.dir.clone();
        drop(a);
        let c = claim(&base).unwrap();
        assert_eq!(c.dir, a_dir, "a released slot is reused first");
        drop((b, c));
        std::fs::remove_dir_all(base).ok();
    }

    #[test]
    fn bare_dep_lines_point_at_the_crate() {
        let out = rewrite_deps(":dep collm-analysis\nlet x = 1;").unwrap();
        let first = out.lines().next().unwrap();
        assert!(
            first.starts_with(":dep collm-analysis = { path = \""),
            "{first}"
        );
        assert!(out.ends_with("let x = 1;"));
        assert_eq!(rewrite_deps(":dep collm-analysis = \"1\"\n"), None);
        assert_eq!(rewrite_deps("let x = 1;"), None);
    }
}
