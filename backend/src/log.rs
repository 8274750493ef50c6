//! The backend's log: `tracing` events, one line each, to a file (0600, appended) and to
//! stderr, with every token-shaped word masked on the way out.
//!
//! The embedded backend's stderr is already redirected to that same file by the client that
//! starts it; writing both would double every line, so stderr is skipped when it is the log
//! file itself.

use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::Path;
use std::sync::{Arc, Mutex};
use tracing_subscriber::fmt::MakeWriter;

/// Installs the log. `COLLM_LOG` sets the filter (`info` by default: one line per request).
pub fn init(file: &Path) -> anyhow::Result<()> {
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("creating {} for the log: {e}", dir.display()))?;
    }
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(file)
        .map_err(|e| anyhow::anyhow!("opening the log {}: {e}", file.display()))?;
    let to_stderr = !same_file(&log, &io::stderr());
    let writer = Redacting {
        file: Arc::new(Mutex::new(log)),
        to_stderr,
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("COLLM_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Another subscriber already installed (a test harness) keeps its place.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(writer)
        .try_init();
    Ok(())
}

/// Whether `file` and the stream are the same open file (same device and inode).
fn same_file(file: &std::fs::File, stream: &impl std::os::fd::AsFd) -> bool {
    let Ok(theirs) = stream.as_fd().try_clone_to_owned().map(std::fs::File::from) else {
        return false;
    };
    match (file.metadata(), theirs.metadata()) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Hands out [`Line`] writers for the log file and, unless it is the same file, stderr.
#[derive(Clone)]
struct Redacting {
    file: Arc<Mutex<std::fs::File>>,
    to_stderr: bool,
}

impl<'a> MakeWriter<'a> for Redacting {
    type Writer = Line;

    fn make_writer(&'a self) -> Line {
        Line {
            buf: Vec::new(),
            sink: self.clone(),
        }
    }
}

/// One event's text, gathered and written (redacted) when the event is done, so a token split
/// across two writes is still masked.
struct Line {
    buf: Vec<u8>,
    sink: Redacting,
}

impl Write for Line {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.buf);
        let clean = collm_client::token::redact(&text);
        let mut file = self.sink.file.lock().unwrap_or_else(|p| p.into_inner());
        // A log that cannot be written must not take the server down.
        let _ = file.write_all(clean.as_bytes());
        if self.sink.to_stderr {
            let _ = io::stderr().write_all(clean.as_bytes());
        }
    }
}
