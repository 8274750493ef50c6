//! The streaming reader: a block buffer, the per-line parser and the event state machine.
//!
//! An event is only known to be complete when the next header (or the end of input) arrives,
//! so the reader fills one `Event` while handing out the previous one, swapping the two so
//! their object buffers are reused and the hot loop never allocates.

use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;

use super::error::{Error, ErrorKind, ReadReport, Reason};
use super::fast;
use super::layout::Layout;
use super::line::{self, LineError};
use super::row::Line;
use super::source::{self, Source};
use crate::event::{Event, Kind, Object};

mod owned;
mod refill;

pub use owned::Events;

/// Block size for reads: large enough that syscalls vanish from profiles, small enough to stay
/// in L2/L3 cache.
const BLOCK: usize = 1 << 20;
/// No LHCO line is this long; a longer one means binary or corrupt input.
const MAX_LINE: usize = 1 << 20;

/// How to treat structural errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Stop at the first structural error and return it (the default: wrong physics from a
    /// half-read file is worse than no physics).
    #[default]
    Strict,
    /// Skip broken events and stray lines, counting them by reason in the [`ReadReport`].
    Lenient,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    /// Before the first header, or after a dropped event's rows ended.
    Idle,
    /// Filling an event.
    Open,
    /// Inside an event already known to be broken (lenient mode): swallow rows until the next
    /// header, then count the event once.
    Broken(Reason),
}

/// A streaming LHCO reader. Use [`Reader::next_event`] for zero-allocation loops, or iterate
/// (`for ev in reader`) to get owned events.
pub struct Reader {
    src: Box<dyn Read + Send>,
    gzip: bool,
    name: Arc<str>,
    mode: Mode,
    buf: Vec<u8>,
    pos: usize,
    lim: usize,
    len: usize,
    eof: bool,
    finished: bool,
    line: u64,
    state: State,
    has_met: bool,
    next_index: u64,
    /// The open event's header line, for a missing-MET error: its place in `buf` until a
    /// refill moves the buffer, a copy in `header_text` after that (copying every header up
    /// front cost more than all the rest of header handling).
    header_span: (usize, usize),
    header_saved: bool,
    header_text: Vec<u8>,
    header_line: u64,
    /// Objects per type code in the open event, added to the report when it completes.
    counts: [u64; 8],
    cur: Event,
    out: Event,
    report: ReadReport,
    layout: Layout,
    pub(crate) require_events: bool,
    /// Set for parallel chunks after the first, whose absolute line numbers are unknown while
    /// they are read: events then carry `line == 0` rather than a misleading number.
    pub(crate) relative_lines: bool,
}

impl Reader {
    /// Opens a plain or gzip LHCO file.
    pub fn open(path: impl AsRef<Path>, mode: Mode) -> Result<Reader, Error> {
        let path = path.as_ref();
        let name: Arc<str> = Arc::from(path.display().to_string());
        let src = source::open(path).map_err(|e| Error {
            file: name.clone(),
            line: 0,
            kind: ErrorKind::Open(e.to_string()),
            text: String::new(),
        })?;
        Ok(Reader::from_source(name, src, mode))
    }

    /// Reads LHCO text from any byte stream (not decompressed); `name` is used in errors.
    pub fn from_reader(name: &str, read: impl Read + Send + 'static, mode: Mode) -> Reader {
        let src = Source {
            read: Box::new(read),
            gzip: false,
        };
        Reader::from_source(Arc::from(name), src, mode)
    }

    /// Reads an in-memory file, decompressing it when it starts with the gzip magic.
    pub fn from_bytes(name: &str, mut bytes: Vec<u8>, mode: Mode) -> Reader {
        let gzip = bytes.starts_with(&[0x1f, 0x8b]);
        if !gzip && bytes.starts_with(&source::BOM) {
            bytes.drain(..source::BOM.len());
        }
        let len = bytes.len();
        let cursor = io::Cursor::new(bytes);
        let read: Box<dyn Read + Send> = if gzip {
            Box::new(flate2::read::MultiGzDecoder::new(cursor))
        } else {
            Box::new(cursor)
        };
        let mut reader = Reader::from_source(Arc::from(name), Source { read, gzip }, mode);
        if !gzip {
            // Small inputs (tests, fuzzing) need no 1 MiB buffer; it grows if a line demands.
            reader.buf.truncate(BLOCK.min(len + 1024));
        }
        reader
    }

    pub(crate) fn from_source(name: Arc<str>, src: Source, mode: Mode) -> Reader {
        Reader {
            src: src.read,
            gzip: src.gzip,
            name,
            mode,
            buf: vec![0; BLOCK],
            pos: 0,
            lim: 0,
            len: 0,
            eof: false,
            finished: false,
            line: 0,
            state: State::Idle,
            has_met: false,
            next_index: 1,
            header_span: (0, 0),
            header_saved: false,
            header_text: Vec::new(),
            header_line: 0,
            counts: [0; 8],
            cur: Event::new(0, 0),
            out: Event::new(0, 0),
            report: ReadReport::default(),
            layout: Layout::default(),
            require_events: true,
            relative_lines: false,
        }
    }

    /// The name used in error messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the input is being decompressed.
    pub fn is_gzip(&self) -> bool {
        self.gzip
    }

    /// Counts so far; complete once `next_event` has returned `Ok(None)`.
    pub fn report(&self) -> &ReadReport {
        &self.report
    }

    /// Consumes the reader, keeping only its report.
    pub fn into_report(self) -> ReadReport {
        self.report
    }

    /// The next complete event, borrowed until the following call; `Ok(None)` at the end.
    /// After an error, further calls return `Ok(None)`.
    pub fn next_event(&mut self) -> Result<Option<&Event>, Error> {
        if self.finished {
            return Ok(None);
        }
        loop {
            if self.pos >= self.lim {
                if !self.fill()? {
                    return self.finish();
                }
                continue;
            }
            if self.state == State::Open && self.layout.is_learned() {
                self.rows();
                if self.pos >= self.lim {
                    continue;
                }
            }
            if self.next_line()? {
                return Ok(Some(&self.out));
            }
        }
    }

    /// Parses the line at `pos` and feeds it to the event state machine, moving past it.
    /// Returns whether it completed an event (now in `out`).
    #[inline(always)]
    fn next_line(&mut self) -> Result<bool, Error> {
        let start = self.pos;
        // The fast path may look past `lim` (never past the first `\n`, which is before it).
        let parsed = match fast::parse_line(&self.buf, start) {
            Some(line) => Ok(line),
            None => line::parse_line(&self.buf[..self.lim], start),
        };
        match parsed {
            Ok((Line::Row { index, object }, end)) => {
                self.advance(end);
                self.row(index, object, start)?;
                Ok(false)
            }
            Ok((
                Line::Header {
                    number,
                    trigger,
                    weight,
                },
                end,
            )) => {
                self.advance(end);
                let done = self.close_event()?;
                self.start_event(number, trigger, weight, start, end);
                Ok(done)
            }
            Ok((kind, end)) => {
                self.advance(end);
                match kind {
                    Line::Comment => self.report.comment_lines += 1,
                    Line::Marker => self.report.marker_lines += 1,
                    _ => {}
                }
                Ok(false)
            }
            Err(e) => {
                let end = line::line_end(&self.buf[..self.lim], start);
                self.advance(end);
                Ok(self.line_error(e, start)? == Some(true))
            }
        }
    }

    /// Moves past the line that ends at `end`.
    #[inline(always)]
    fn advance(&mut self, end: usize) {
        self.pos = end + 1;
        self.line += 1;
    }

    /// An object row from the general path: added to the open event when it is the next in
    /// sequence and not a second MET, a structural error otherwise.
    #[inline(always)]
    fn row(&mut self, index: u64, object: Object, start: usize) -> Result<(), Error> {
        if self.state == State::Open {
            if let Some(w) = fast::window(&self.buf, start) {
                self.layout.learn(w);
            }
        }
        match self.state {
            State::Open if index == self.next_index => {
                self.next_index += 1;
                if object.kind == Kind::Met {
                    if self.has_met {
                        self.fail(Reason::DuplicateMet, String::new(), start)?;
                    } else {
                        self.has_met = true;
                        self.cur.met = object;
                        self.cur.met_row = self.cur.objects.len();
                    }
                } else {
                    self.counts[usize::from(object.kind.code() & 7)] += 1;
                    self.cur.objects.push(object);
                }
            }
            State::Open => {
                let detail = format!("expected {}, found {index}", self.next_index);
                self.fail(Reason::IndexOutOfSequence, detail, start)?;
            }
            State::Broken(_) => {}
            State::Idle => {
                self.fail(Reason::ObjectBeforeHeader, String::new(), start)?;
            }
        }
        Ok(())
    }

    /// Takes the object rows that follow in the learned layout straight into the open event,
    /// stopping (without consuming it) at the first line that is anything else, including a
    /// row with an error, which the general path then reports.
    #[inline(always)]
    fn rows(&mut self) {
        let mut v = [0.0f64; 10];
        let (mut pos, mut line, mut next_index) = (self.pos, self.line, self.next_index);
        let step = self.layout.nl() + 1;
        while pos < self.lim {
            let Some(w) = fast::window(&self.buf, pos) else {
                break;
            };
            let Some((index, kind)) = self.layout.row(w, &mut v) else {
                break;
            };
            let [eta, phi, pt, jmass, ntrk, btag, had_em, dum1, dum2, _] = v;
            let values = [eta, phi, pt, jmass, ntrk, btag, had_em, dum1, dum2];
            if index != next_index {
                break;
            }
            let Some(object) = super::row::object(kind, values) else {
                break;
            };
            if kind == Kind::Met {
                if self.has_met {
                    break;
                }
                self.has_met = true;
                self.cur.met = object;
                self.cur.met_row = self.cur.objects.len();
            } else {
                self.counts[usize::from(kind.code() & 7)] += 1;
                self.cur.objects.push(object);
            }
            next_index += 1;
            line += 1;
            pos += step;
        }
        (self.pos, self.line, self.next_index) = (pos, line, next_index);
    }

    /// Calls `f` for every event and returns the report; the convenient zero-allocation loop.
    pub fn for_each(mut self, mut f: impl FnMut(&Event)) -> Result<ReadReport, Error> {
        while let Some(ev) = self.next_event()? {
            f(ev);
        }
        Ok(self.report)
    }

    fn start_event(
        &mut self,
        number: u64,
        trigger: u64,
        weight: Option<f64>,
        start: usize,
        end: usize,
    ) {
        self.cur.clear();
        self.cur.number = number;
        self.cur.trigger = trigger;
        self.cur.weight = weight;
        self.cur.line = if self.relative_lines { 0 } else { self.line };
        self.header_line = self.line;
        self.header_span = (start, end);
        self.header_saved = false;
        self.counts = [0; 8];
        self.counts[usize::from(Kind::Met.code())] = 1;
        self.state = State::Open;
        self.has_met = false;
        self.next_index = 1;
    }

    /// Ends the event being filled. Returns whether a complete event is now in `out`.
    fn close_event(&mut self) -> Result<bool, Error> {
        match self.state {
            State::Idle => Ok(false),
            State::Broken(reason) => {
                *self.report.skipped.entry(reason).or_insert(0) += 1;
                self.state = State::Idle;
                Ok(false)
            }
            State::Open if !self.has_met => {
                self.state = State::Idle;
                if self.mode == Mode::Strict {
                    self.finished = true;
                    return Err(Error {
                        file: self.name.clone(),
                        line: self.header_line,
                        kind: ErrorKind::Format {
                            reason: Reason::MissingMet,
                            detail: format!("event {}", self.cur.number),
                        },
                        text: text_of(if self.header_saved {
                            &self.header_text
                        } else {
                            &self.buf[self.header_span.0..self.header_span.1]
                        }),
                    });
                }
                *self.report.skipped.entry(Reason::MissingMet).or_insert(0) += 1;
                Ok(false)
            }
            State::Open => {
                self.state = State::Idle;
                std::mem::swap(&mut self.cur, &mut self.out);
                self.report.events += 1;
                for (total, n) in self.report.objects.iter_mut().zip(self.counts) {
                    *total += n;
                }
                Ok(true)
            }
        }
    }

    /// Handles a line the parser rejected. In lenient mode a bad header still ends the previous
    /// event (returning whether that produced an event) and opens a broken one.
    fn line_error(&mut self, e: LineError, start: usize) -> Result<Option<bool>, Error> {
        if e.in_header && self.mode == Mode::Lenient {
            let done = self.close_event()?;
            self.state = State::Broken(e.reason);
            return Ok(Some(done));
        }
        self.fail(e.reason, e.detail, start)?;
        Ok(None)
    }

    /// Reports a structural error on the current line: fatal in strict mode; in lenient mode
    /// it breaks the open event or, outside an event, counts the stray line.
    fn fail(&mut self, reason: Reason, detail: String, start: usize) -> Result<(), Error> {
        if self.mode == Mode::Strict {
            self.finished = true;
            let end = line::line_end(&self.buf[..self.lim], start);
            return Err(Error {
                file: self.name.clone(),
                line: self.line,
                kind: ErrorKind::Format { reason, detail },
                text: text_of(&self.buf[start..end]),
            });
        }
        match self.state {
            State::Open => self.state = State::Broken(reason),
            State::Broken(_) => {}
            State::Idle => *self.report.skipped.entry(reason).or_insert(0) += 1,
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<Option<&Event>, Error> {
        self.finished = true;
        self.report.lines = self.line;
        if self.close_event()? {
            return Ok(Some(&self.out));
        }
        if self.require_events && self.report.events == 0 {
            return Err(no_events(self.name.clone(), &self.report));
        }
        Ok(None)
    }
}

/// The error for an input without a single event; says what was seen instead.
pub(crate) fn no_events(file: Arc<str>, report: &ReadReport) -> Error {
    let detail = if report.skipped.is_empty() {
        format!(
            "{} lines read, none is an event header `0 <event> <trigger>`",
            report.lines
        )
    } else {
        format!("skipped {}", report.skipped_summary())
    };
    Error {
        file,
        line: report.lines,
        kind: ErrorKind::NoEvents { detail },
        text: String::new(),
    }
}

fn text_of(bytes: &[u8]) -> String {
    super::error::printable(bytes, 160)
}
