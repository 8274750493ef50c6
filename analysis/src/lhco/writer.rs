//! Writing LHCO, so selected or generated events can be handed to any other LHCO tool.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::event::Event;

/// The column header Delphes' `root2lhco` writes; other readers key on it only as a comment.
pub const DELPHES_HEADER: &str =
    "   #  typ      eta      phi      pt    jmas   ntrk   btag  had/em   dum1   dum2";

/// Number formatting of the written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Byte-for-byte Delphes `root2lhco` layout (`%4d %4d %8.3f %8.3f %7.2f ...`): what other
    /// tools expect; values are rounded to the printed precision.
    #[default]
    Delphes,
    /// Same columns, but every number in its shortest exact form, so reading the file back
    /// gives bit-identical events.
    Exact,
}

/// Writes events one at a time (streaming, like the reader).
pub struct Writer<W: Write> {
    out: W,
    format: Format,
    header_written: bool,
    ryu: ryu::Buffer,
}

/// An LHCO file being written, plain or gzip. [`FileOut::close`] finishes it and reports the
/// errors that dropping would swallow: a gzip stream is only complete once its trailer is
/// written, and a full disk often shows only at that last write.
pub enum FileOut {
    /// A plain text file.
    Plain(BufWriter<File>),
    /// A gzip-compressed file.
    Gzip(GzEncoder<BufWriter<File>>),
}

impl Write for FileOut {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            FileOut::Plain(f) => f.write(buf),
            FileOut::Gzip(z) => z.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            FileOut::Plain(f) => f.flush(),
            FileOut::Gzip(z) => z.flush(),
        }
    }
}

impl FileOut {
    /// Writes what is buffered (and the gzip trailer) and syncs the file.
    pub fn close(self) -> io::Result<()> {
        let file = match self {
            FileOut::Plain(f) => f,
            FileOut::Gzip(z) => z.finish()?,
        };
        file.into_inner().map_err(|e| e.into_error())?.sync_data()
    }
}

impl Writer<FileOut> {
    /// Creates a file, gzip-compressed when the name ends in `.gz`. End with
    /// [`Writer::close`], which reports the errors of the last writes.
    pub fn create(path: impl AsRef<Path>, format: Format) -> io::Result<Self> {
        let path = path.as_ref();
        let file = BufWriter::with_capacity(1 << 20, File::create(path)?);
        let gz = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
        let out = if gz {
            FileOut::Gzip(GzEncoder::new(file, Compression::default()))
        } else {
            FileOut::Plain(file)
        };
        Ok(Writer::new(out, format))
    }

    /// Finishes the file: every error of the final writes is returned here.
    pub fn close(self) -> io::Result<()> {
        self.finish()?.close()
    }
}

impl<W: Write> Writer<W> {
    /// Wraps any byte sink. Pass a buffered sink: rows are written in small pieces.
    pub fn new(out: W, format: Format) -> Self {
        Writer {
            out,
            format,
            header_written: false,
            ryu: ryu::Buffer::new(),
        }
    }

    /// Writes one event: header line, then its rows numbered from 1 with MET in its original
    /// position. The column header comment is written before the first event.
    pub fn write_event(&mut self, ev: &Event) -> io::Result<()> {
        if !self.header_written {
            writeln!(self.out, "{DELPHES_HEADER}")?;
            self.header_written = true;
        }
        write!(self.out, "{:4} {:13} {:8}", 0, ev.number, ev.trigger)?;
        if let Some(w) = ev.weight {
            write!(self.out, " {}", self.ryu.format(w))?;
        }
        self.out.write_all(b"\n")?;
        for (i, o) in ev.rows().enumerate() {
            let code = o.kind.code();
            match self.format {
                Format::Delphes => writeln!(
                    self.out,
                    "{:4} {:4} {:8.3} {:8.3} {:7.2} {:7.2} {:6.1} {:6.1} {:7.2} {:6.1} {:6.1}",
                    i + 1,
                    code,
                    o.eta,
                    o.phi,
                    o.pt,
                    o.jmass,
                    o.ntrk,
                    o.btag,
                    o.had_em,
                    o.dum1,
                    o.dum2
                )?,
                Format::Exact => {
                    write!(self.out, "{:4} {:4}", i + 1, code)?;
                    let cols = [
                        o.eta, o.phi, o.pt, o.jmass, o.ntrk, o.btag, o.had_em, o.dum1, o.dum2,
                    ];
                    for v in cols {
                        write!(self.out, " {:>8}", self.ryu.format(v))?;
                    }
                    self.out.write_all(b"\n")?;
                }
            }
        }
        Ok(())
    }

    /// Flushes and returns the sink (a file made by [`Writer::create`] is finished with
    /// [`Writer::close`] instead).
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}
