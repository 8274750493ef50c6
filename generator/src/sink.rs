//! Where generated events go. Sinks see one event at a time, so memory stays flat however many
//! events are generated.

use std::io;
use std::path::Path;

use collm_analysis::lhco::{FileOut, Format, Writer};

use crate::detector::GenEvent;

/// A destination for generated events.
pub trait Sink {
    /// Consumes one event.
    fn write(&mut self, event: &GenEvent) -> io::Result<()>;
    /// Flushes and closes; errors from the final write surface here, so always call it.
    fn finish(&mut self) -> io::Result<()>;
}

/// LHCO in Delphes `root2lhco` formatting, through the analysis crate's writer (so what it
/// writes is exactly what `%lhco` reads back). A `.gz` path is gzip-compressed.
pub struct LhcoSink {
    writer: Option<Writer<FileOut>>,
}

impl LhcoSink {
    /// Creates (truncates) the file.
    pub fn create(path: impl AsRef<Path>) -> io::Result<LhcoSink> {
        Ok(LhcoSink {
            writer: Some(Writer::create(path, Format::Delphes)?),
        })
    }
}

fn closed() -> io::Error {
    io::Error::other("sink already finished")
}

impl Sink for LhcoSink {
    fn write(&mut self, event: &GenEvent) -> io::Result<()> {
        self.writer
            .as_mut()
            .ok_or_else(closed)?
            .write_event(&event.event)
    }

    fn finish(&mut self) -> io::Result<()> {
        match self.writer.take() {
            Some(w) => w.close(),
            None => Ok(()),
        }
    }
}

/// Both sinks of a pair get every event (LHCO and Parquet from one generation pass).
impl<A: Sink, B: Sink> Sink for (A, B) {
    fn write(&mut self, event: &GenEvent) -> io::Result<()> {
        self.0.write(event)?;
        self.1.write(event)
    }

    fn finish(&mut self) -> io::Result<()> {
        let a = self.0.finish();
        let b = self.1.finish();
        a.and(b)
    }
}

/// Any boxed sink, so callers can choose outputs at run time.
impl Sink for Box<dyn Sink + Send> {
    fn write(&mut self, event: &GenEvent) -> io::Result<()> {
        (**self).write(event)
    }
    fn finish(&mut self) -> io::Result<()> {
        (**self).finish()
    }
}

/// A list of sinks chosen at run time.
impl Sink for Vec<Box<dyn Sink + Send>> {
    fn write(&mut self, event: &GenEvent) -> io::Result<()> {
        self.iter_mut().try_for_each(|s| s.write(event))
    }
    fn finish(&mut self) -> io::Result<()> {
        let mut first = Ok(());
        for s in self.iter_mut() {
            let r = s.finish();
            if first.is_ok() {
                first = r;
            }
        }
        first
    }
}
