//! Reader errors and the per-file report.
//!
//! Every structural problem carries the file name, the 1-based line and the text of that line,
//! because the person fixing a broken file needs to find the line, not a byte offset.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::event::Kind;

/// Why a line or event was rejected. Fieldless so lenient mode can count by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    /// An object row appeared before the first event header.
    ObjectBeforeHeader,
    /// A row with a numeric id has fewer than the 9 LHCO columns.
    TooFewColumns,
    /// A column that must be a number is not one.
    InvalidNumber,
    /// A number is NaN or infinite.
    NonFinite,
    /// A row id, type code, event number or trigger word is not an integer.
    NotInteger,
    /// A negative row id, event number or trigger word.
    Negative,
    /// The `typ` column is not one of 0, 1, 2, 3, 4, 6.
    UnknownType,
    /// Row ids within an event must count 1, 2, 3, ...; a gap means lost or merged lines.
    IndexOutOfSequence,
    /// φ outside both accepted conventions.
    PhiOutOfRange,
    /// Negative transverse momentum.
    NegativePt,
    /// An event header with the wrong number of columns.
    BadHeader,
    /// An event without its MET row.
    MissingMet,
    /// A second MET row in one event.
    DuplicateMet,
    /// A line too long to be LHCO (protects memory on binary input).
    LineTooLong,
}

impl Reason {
    /// Short description used in error messages and lenient reports.
    pub fn describe(self) -> &'static str {
        match self {
            Reason::ObjectBeforeHeader => "object row before any event header",
            Reason::TooFewColumns => "too few columns",
            Reason::InvalidNumber => "invalid number",
            Reason::NonFinite => "non-finite number",
            Reason::NotInteger => "not an integer",
            Reason::Negative => "negative id or count",
            Reason::UnknownType => "unknown object type",
            Reason::IndexOutOfSequence => "row index out of sequence",
            Reason::PhiOutOfRange => "phi out of range",
            Reason::NegativePt => "negative pT",
            Reason::BadHeader => "malformed event header",
            Reason::MissingMet => "missing MET row",
            Reason::DuplicateMet => "more than one MET row",
            Reason::LineTooLong => "line too long",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// What went wrong, with the detail a person needs (which column, which token).
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorKind {
    /// A structural problem in the LHCO text.
    Format {
        /// The category, as counted in lenient mode.
        reason: Reason,
        /// Specifics such as the column name and offending token.
        detail: String,
    },
    /// The input ended without a single event: silently returning nothing would hide a wrong
    /// path, a wrong format or a lenient run that skipped everything.
    NoEvents {
        /// What was seen instead (lines, skipped items).
        detail: String,
    },
    /// The file could not be opened.
    Open(String),
    /// Reading failed; for gzip input this is usually a corrupt or truncated stream.
    Io(String),
    /// The gzip stream is corrupt or truncated.
    Gzip(String),
}

/// A reader error. `Display` gives `file:line: reason: text of the line`, the form compilers
/// use, so editors and terminals can jump to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// The file as given to the reader.
    pub file: Arc<str>,
    /// 1-based line number (0 when the file could not be opened).
    pub line: u64,
    /// What went wrong.
    pub kind: ErrorKind,
    /// The offending line, trimmed; empty when no single line is to blame.
    pub text: String,
}

impl Error {
    /// The countable category of a format error, `None` for I/O and empty-file errors.
    pub fn reason(&self) -> Option<Reason> {
        match self.kind {
            ErrorKind::Format { reason, .. } => Some(reason),
            _ => None,
        }
    }

    /// The reason and detail without location, e.g. `missing MET row: event 12`.
    pub fn message(&self) -> String {
        match &self.kind {
            ErrorKind::Format { reason, detail } if detail.is_empty() => reason.to_string(),
            ErrorKind::Format { reason, detail } => format!("{reason} ({detail})"),
            ErrorKind::NoEvents { detail } => format!("no events ({detail})"),
            ErrorKind::Open(e) => format!("cannot open file ({e})"),
            ErrorKind::Io(e) => format!("read error ({e})"),
            ErrorKind::Gzip(e) => format!("corrupt gzip stream ({e})"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message())?;
        if !self.text.is_empty() {
            write!(f, ": {}", self.text)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Bytes of the input as they go into a message: trimmed, at most `max` characters, and with
/// tabs as spaces, other control characters and invalid UTF-8 shown as `\u{..}` escapes or `�`, so that a binary
/// file gives a readable one-line message instead of terminal garbage.
pub(crate) fn printable(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(max + 8);
    let mut shown = 0;
    for c in text.trim().chars() {
        let piece: String = match c {
            '\t' => " ".into(),
            c if c.is_control() => c.escape_unicode().collect(),
            c => c.into(),
        };
        shown += piece.chars().count();
        if shown > max {
            out.push('…');
            break;
        }
        out.push_str(&piece);
    }
    out
}

/// What a read saw: events, lines, objects per type and (in lenient mode) what was skipped.
/// Printing it gives a one-paragraph summary suitable for a notebook.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadReport {
    /// Events delivered to the caller.
    pub events: u64,
    /// Lines read.
    pub lines: u64,
    /// Bytes of (decompressed) text read.
    pub bytes: u64,
    /// `#` comment lines.
    pub comment_lines: u64,
    /// Lines whose first token is not a number (MG5 `BeginEvent` markers and the like), plus
    /// bare `0` lines.
    pub marker_lines: u64,
    /// Objects in delivered events, indexed by the LHCO type code (index 5 is always 0).
    pub objects: [u64; 7],
    /// Events or stray lines skipped in lenient mode, by reason.
    pub skipped: BTreeMap<Reason, u64>,
}

impl ReadReport {
    /// Objects of one type in the delivered events.
    pub fn count(&self, kind: Kind) -> u64 {
        self.objects[kind.code() as usize]
    }

    /// Total number of skipped events and stray lines.
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }

    /// Adds another report (from a parallel chunk) to this one.
    pub fn absorb(&mut self, other: &ReadReport) {
        self.events += other.events;
        self.lines += other.lines;
        self.bytes += other.bytes;
        self.comment_lines += other.comment_lines;
        self.marker_lines += other.marker_lines;
        for (a, b) in self.objects.iter_mut().zip(other.objects) {
            *a += b;
        }
        for (r, n) in &other.skipped {
            *self.skipped.entry(*r).or_insert(0) += n;
        }
    }

    /// "missing MET row ×2, invalid number ×1", or "nothing" when clean.
    pub fn skipped_summary(&self) -> String {
        if self.skipped.is_empty() {
            return "nothing".to_owned();
        }
        let parts: Vec<String> = self
            .skipped
            .iter()
            .map(|(r, n)| format!("{r} ×{n}"))
            .collect();
        parts.join(", ")
    }
}

impl fmt::Display for ReadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} events from {} lines", self.events, self.lines)?;
        let kinds: Vec<String> = Kind::ALL
            .iter()
            .map(|k| format!("{} {}", k.name(), self.count(*k)))
            .collect();
        write!(f, "; objects: {}", kinds.join(", "))?;
        write!(
            f,
            "; {} comment and {} marker lines ignored; skipped: {}",
            self.comment_lines,
            self.marker_lines,
            self.skipped_summary()
        )
    }
}
