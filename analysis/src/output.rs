//! Writing an analysis's output files so that a file on disk is always a whole one.
//!
//! A run that fails half-way (a full disk, a killed process, a malformed event) must not
//! leave a `features.csv` that could pass for the result of a complete run. Each file is
//! written under a temporary name in the same folder and renamed into place once complete,
//! and [`clear`] removes the files a previous run left before a new run starts.

use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// An output file that could not be written, with the path, so the message says which.
#[derive(Debug)]
pub struct OutputError {
    /// The file (or folder) that could not be written.
    pub path: PathBuf,
    /// What the operating system said.
    pub source: io::Error,
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not write {}: {}",
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Lets `?` carry an output failure out of functions that return `io::Result`.
impl From<OutputError> for io::Error {
    fn from(e: OutputError) -> io::Error {
        io::Error::new(e.source.kind(), e.to_string())
    }
}

/// Writes `path` whole or not at all: `write` fills a buffered temporary file next to it,
/// which replaces `path` only after everything was written and flushed.
pub fn write_atomic(
    path: impl AsRef<Path>,
    write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> Result<(), OutputError> {
    let path = path.as_ref();
    let failed = |source: io::Error| OutputError {
        path: path.to_path_buf(),
        source,
    };
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    let part = PathBuf::from(part);
    let result = File::create(&part).and_then(|file| {
        let mut out = BufWriter::new(file);
        write(&mut out)?;
        out.flush()?;
        out.get_ref().sync_data()
    });
    match result.and_then(|()| std::fs::rename(&part, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            Err(failed(e))
        }
    }
}

/// Writes bytes to `path` with [`write_atomic`].
pub fn write_bytes(path: impl AsRef<Path>, bytes: &[u8]) -> Result<(), OutputError> {
    write_atomic(path, |w| w.write_all(bytes))
}

/// Makes the output folder and removes the named files a previous run left in it, so that
/// after a failed run the folder holds no result that is not this run's.
pub fn clear(dir: impl AsRef<Path>, files: &[&str]) -> Result<(), OutputError> {
    let dir = dir.as_ref();
    std::fs::create_dir_all(dir).map_err(|source| OutputError {
        path: dir.to_path_buf(),
        source,
    })?;
    for name in files {
        let path = dir.join(name);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(OutputError { path, source }),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_neither_file_nor_part() {
        let dir = std::env::temp_dir().join(format!("collm-output-{}", std::process::id()));
        clear(&dir, &[]).expect("folder");
        let path = dir.join("features.csv");
        write_bytes(&path, b"event,x\n1,2\n").expect("first write");
        let e = write_atomic(&path, |w| {
            w.write_all(b"event,x\n")?;
            Err(io::Error::other("disk full"))
        })
        .expect_err("the write fails");
        assert_eq!(e.path, path);
        assert!(e.to_string().contains("features.csv: disk full"), "{e}");
        assert_eq!(
            std::fs::read_to_string(&path).expect("old file"),
            "event,x\n1,2\n",
            "the complete earlier file stays until a complete new one replaces it"
        );
        assert!(!dir.join("features.csv.part").exists());
        clear(&dir, &["features.csv", "absent.png"]).expect("clear");
        assert!(!path.exists());
        let blocked = write_bytes(dir.join("no-such-dir").join("a.csv"), b"x");
        assert!(blocked.is_err_and(|e| e.to_string().contains("no-such-dir")));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
