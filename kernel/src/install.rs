//! Installing and removing the kernelspec.

use anyhow::{bail, Context};
use serde_json::json;
use std::path::{Path, PathBuf};

/// The kernel's directory name under `kernels/`.
pub const KERNEL_NAME: &str = "collm";

const LOGO_32: &[u8] = include_bytes!("../assets/logo-32x32.png");
const LOGO_64: &[u8] = include_bytes!("../assets/logo-64x64.png");

/// Where a kernelspec goes.
#[derive(Debug, Clone)]
pub enum Target {
    /// The user's Jupyter data directory.
    User,
    /// The active Python environment (`$VIRTUAL_ENV` or `$CONDA_PREFIX`).
    SysPrefix,
    /// `<prefix>/share/jupyter/kernels`.
    Prefix(PathBuf),
}

/// The `kernels/` directory for a target.
pub fn kernels_dir(target: &Target) -> anyhow::Result<PathBuf> {
    Ok(match target {
        Target::User => {
            let data = match std::env::var_os("JUPYTER_DATA_DIR") {
                Some(d) => PathBuf::from(d),
                None => dirs::data_dir()
                    .context("cannot find the user data directory (is $HOME set?)")?
                    .join("jupyter"),
            };
            data.join("kernels")
        }
        Target::SysPrefix => {
            let prefix = std::env::var_os("VIRTUAL_ENV")
                .or_else(|| std::env::var_os("CONDA_PREFIX"))
                .context("--sys-prefix needs an active Python environment ($VIRTUAL_ENV or $CONDA_PREFIX)")?;
            Path::new(&prefix).join("share/jupyter/kernels")
        }
        Target::Prefix(p) => p.join("share/jupyter/kernels"),
    })
}

/// The kernel.json content for this binary.
pub fn kernelspec(exe: &Path) -> serde_json::Value {
    json!({
        "argv": [exe.to_string_lossy(), "kernel", "-f", "{connection_file}"],
        "display_name": "Rust · collm",
        "language": "rust",
        "interrupt_mode": "message",
        "metadata": {"debugger": false},
    })
}

/// Writes kernel.json and the logos; returns the kernelspec directory.
pub fn install(target: &Target) -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .context("cannot find the path of the collm binary")?;
    let dir = kernels_dir(target)?.join(KERNEL_NAME);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let spec = serde_json::to_string_pretty(&kernelspec(&exe))?;
    for (name, bytes) in [
        ("kernel.json", spec.as_bytes()),
        ("logo-32x32.png", LOGO_32),
        ("logo-64x64.png", LOGO_64),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(dir)
}

/// Removes the kernelspec directory; an absent one is an error worth naming.
pub fn uninstall(target: &Target) -> anyhow::Result<PathBuf> {
    let dir = kernels_dir(target)?.join(KERNEL_NAME);
    if !dir.join("kernel.json").exists() {
        bail!("no collm kernelspec at {}", dir.display());
    }
    std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_uses_absolute_argv_and_message_interrupts() {
        let spec = kernelspec(Path::new("/opt/bin/collm"));
        assert_eq!(spec["argv"][0], "/opt/bin/collm");
        assert_eq!(spec["argv"][3], "{connection_file}");
        assert_eq!(spec["interrupt_mode"], "message");
        assert_eq!(spec["language"], "rust");
        assert_eq!(spec["display_name"], "Rust · collm");
    }

    #[test]
    fn prefix_layout() {
        let dir = kernels_dir(&Target::Prefix("/p".into())).unwrap();
        assert_eq!(dir, PathBuf::from("/p/share/jupyter/kernels"));
    }

    #[test]
    fn install_then_uninstall_round_trip() {
        let tmp = std::env::temp_dir().join(format!("collm-spec-{}", std::process::id()));
        let target = Target::Prefix(tmp.clone());
        let dir = install(&target).unwrap();
        let spec: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("kernel.json")).unwrap()).unwrap();
        assert!(Path::new(spec["argv"][0].as_str().unwrap()).is_absolute());
        assert!(dir.join("logo-64x64.png").exists());
        uninstall(&target).unwrap();
        assert!(!dir.exists());
        assert!(uninstall(&target)
            .unwrap_err()
            .to_string()
            .contains("no collm kernelspec"));
        let _ = std::fs::remove_dir_all(tmp);
    }
}
