//! One model that may be absent, waiting to be loaded, loaded, or failed to load.

use super::ModelError;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Where a model stands. A failed load is kept, so it is reported once and not retried on
/// every bullet.
#[derive(Default)]
pub(super) enum Slot<T> {
    /// No model.
    #[default]
    Empty,
    /// Installed in this directory, not loaded yet.
    Pending(PathBuf),
    /// Loaded, with what the load cost when it happened on first use.
    Loaded(T, Option<Cost>),
    /// The load failed: the directory and why.
    Failed(PathBuf, String),
}

/// What loading a model on first use cost.
pub(super) struct Cost {
    dir: PathBuf,
    seconds: f64,
    /// Growth of the resident set, in bytes, when the platform reports it.
    resident: Option<u64>,
}

impl std::fmt::Display for Cost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, loaded in {:.1} s", self.dir.display(), self.seconds)?;
        if let Some(b) = self.resident {
            write!(f, ", {:.0} MB of memory", b as f64 / 1e6)?;
        }
        Ok(())
    }
}

impl<T> Slot<T> {
    /// A model loaded now; its load error is the caller's.
    pub(super) fn loaded(
        dir: &Path,
        load: impl FnOnce(&Path) -> Result<T, ModelError>,
    ) -> Result<Self, ModelError> {
        Ok(Slot::Loaded(load(dir)?, None))
    }

    /// A model to load from `dir` on first use, if `collm models install` put one there.
    pub(super) fn installed(dir: PathBuf) -> Self {
        if dir.join("model.onnx").is_file() {
            Slot::Pending(dir)
        } else {
            Slot::Empty
        }
    }

    /// The model, loading it first if it is pending; the load's cost or failure is added to
    /// `notices`.
    pub(super) fn get(
        &mut self,
        what: &str,
        notices: &mut Vec<String>,
        load: impl FnOnce(&Path) -> Result<T, ModelError>,
    ) -> Option<&mut T> {
        if let Slot::Pending(dir) = self {
            let dir = std::mem::take(dir);
            let (t0, before) = (Instant::now(), resident_bytes());
            *self = match load(&dir) {
                Ok(model) => {
                    let cost = Cost {
                        seconds: t0.elapsed().as_secs_f64(),
                        resident: before
                            .zip(resident_bytes())
                            .map(|(a, b)| b.saturating_sub(a)),
                        dir,
                    };
                    notices.push(format!("Loaded the {what} on first use: {cost}."));
                    Slot::Loaded(model, Some(cost))
                }
                Err(e) => {
                    notices.push(format!(
                        "The installed {what} could not be loaded, so it is not used: {e}"
                    ));
                    Slot::Failed(dir, e.to_string())
                }
            };
        }
        self.as_mut()
    }

    /// The model if it is loaded; nothing is loaded here.
    pub(super) fn as_mut(&mut self) -> Option<&mut T> {
        match self {
            Slot::Loaded(model, _) => Some(model),
            _ => None,
        }
    }

    /// Whether there is a model, loaded or to be loaded.
    pub(super) fn is_some(&self) -> bool {
        matches!(self, Slot::Pending(_) | Slot::Loaded(..))
    }
}

impl<T: Located> Slot<T> {
    /// A line for `%collm_model`, or `None` when there is no model.
    pub(super) fn describe(&self) -> Option<String> {
        match self {
            Slot::Empty => None,
            Slot::Pending(dir) => {
                Some(format!("{} (installed; loads on first use)", dir.display()))
            }
            Slot::Loaded(_, Some(cost)) => Some(cost.to_string()),
            Slot::Loaded(model, None) => Some(model.dir().display().to_string()),
            Slot::Failed(dir, why) => Some(format!("{} (not loaded: {why})", dir.display())),
        }
    }
}

/// A loaded model that knows its directory.
pub(super) trait Located {
    /// The directory it was loaded from.
    fn dir(&self) -> &Path;
}

impl Located for super::Lm {
    fn dir(&self) -> &Path {
        super::Lm::dir(self)
    }
}

impl Located for super::Embedder {
    fn dir(&self) -> &Path {
        super::Embedder::dir(self)
    }
}

/// The process's resident set size (Linux `/proc/self/status`, `VmRSS`).
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
