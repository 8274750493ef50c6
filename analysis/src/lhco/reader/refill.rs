//! Refilling the reader's block buffer from its source.

use std::io;

use super::{Reader, BLOCK, MAX_LINE};
use crate::lhco::error::{Error, ErrorKind, Reason};

impl Reader {
    /// Refills the buffer so that `buf[pos..lim]` holds at least one complete line. Returns
    /// false at the end of input. A final line without `\n` gets one appended.
    pub(super) fn fill(&mut self) -> Result<bool, Error> {
        if self.pos > 0 {
            if !self.header_saved {
                let (start, end) = self.header_span;
                self.header_text.clear();
                self.header_text.extend_from_slice(&self.buf[start..end]);
                self.header_saved = true;
            }
            self.buf.copy_within(self.pos..self.len, 0);
            self.len -= self.pos;
            self.pos = 0;
            self.lim = 0;
        }
        loop {
            if self.eof {
                if self.len == 0 {
                    return Ok(false);
                }
                if self.len == self.buf.len() {
                    self.buf.push(b'\n');
                } else {
                    self.buf[self.len] = b'\n';
                }
                self.len += 1;
                self.lim = self.len;
                return Ok(true);
            }
            if self.len == self.buf.len() {
                if self.buf.len() >= MAX_LINE + BLOCK {
                    self.finished = true;
                    return Err(self.stream_error(ErrorKind::Format {
                        reason: Reason::LineTooLong,
                        detail: format!("no line break in {} bytes", self.len),
                    }));
                }
                self.buf.resize(self.buf.len() + BLOCK, 0);
            }
            let old = self.len;
            let n = match self.src.read(&mut self.buf[old..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.finished = true;
                    let kind = if self.gzip {
                        ErrorKind::Gzip(e.to_string())
                    } else {
                        ErrorKind::Io(e.to_string())
                    };
                    return Err(self.stream_error(kind));
                }
            };
            if n == 0 {
                self.eof = true;
                continue;
            }
            self.len += n;
            self.report.bytes += n as u64;
            if let Some(p) = self.buf[old..self.len].iter().rposition(|&b| b == b'\n') {
                self.lim = old + p + 1;
                return Ok(true);
            }
        }
    }

    /// An error not tied to a complete line: reported at the line being read.
    fn stream_error(&self, kind: ErrorKind) -> Error {
        Error {
            file: self.name.clone(),
            line: self.line + 1,
            kind,
            text: String::new(),
        }
    }
}
