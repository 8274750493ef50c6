//! LHCO input and output.
//!
//! # Reading rules
//! - Blank lines, `#` lines and lines whose first token is not a number (MG5/pythia-pgs markers
//!   such as `BeginEvent`) are skipped; so is a bare `0` line (the stdhep particle count).
//! - `0 <event> <trigger> [weight]` starts an event. Other first tokens that *are* numbers but
//!   not non-negative integers (`0.7`, `-1`) are errors: that is how the AEACuS extended
//!   format, with fractional row ids and `+INF`, is recognised instead of silently read as
//!   nothing.
//! - Object rows have at least 9 numeric columns `index type eta phi pt jmass ntrk btag had/em`
//!   (two dummy columns usually follow and are kept). Row indices count 1, 2, 3, ... within an
//!   event; types are 0, 1, 2, 3, 4 or 6; every number must be finite; pT ≥ 0.
//! - φ may be in [0, 2π] (PGS) or [−π, π] (Delphes). Values above π + 0.01 have 2π
//!   subtracted, so stored φ lies in [−π − 0.01, π + 0.01]; the slack keeps Delphes' printed
//!   ±3.142 unchanged. All formulas treat φ modulo 2π.
//! - Every event has exactly one MET row (type 6).
//! - Input is gzip when it starts with the gzip magic bytes or its name ends in `.gz`.
//!
//! Strict mode (the default) returns the first violation as an [`Error`] displayed as
//! `file:line: reason (detail): text of the line`. Lenient mode skips the broken event (or
//! stray line) and counts it by [`Reason`] in the [`ReadReport`]. A file that yields no event
//! at all is an error in both modes.
//!
//! ```no_run
//! use collm_analysis::prelude::*;
//! for ev in lhco::read("events.lhco")? {
//!     let ev = ev?;
//!     let muons: Objects = ev.muons().filter(|m| m.pt() > 20.0 && m.abs_eta() < 2.4).collect();
//!     println!("event {}: {} muons, MET {:.1}", ev.number, muons.len(), ev.met_pt());
//! }
//! # Ok::<(), collm_analysis::lhco::Error>(())
//! ```

mod error;
mod fast;
mod layout;
mod line;
mod parallel;
mod reader;
mod row;
mod source;
mod writer;

use std::path::Path;

pub use error::{Error, ErrorKind, ReadReport, Reason};
pub use parallel::par_fold;
pub use reader::{Events, Mode, Reader};
pub use writer::{FileOut, Format, Writer, DELPHES_HEADER};

/// Opens a file for owned-event iteration in strict mode: `for ev in lhco::read(path)? {}`.
pub fn read(path: impl AsRef<Path>) -> Result<Events, Error> {
    Ok(Reader::open(path, Mode::Strict)?.into_iter())
}

/// Like [`read`] but skipping broken events; check `events.report()` afterwards.
pub fn read_lenient(path: impl AsRef<Path>) -> Result<Events, Error> {
    Ok(Reader::open(path, Mode::Lenient)?.into_iter())
}

/// Opens a strict reader for the zero-allocation loop
/// `while let Some(ev) = reader.next_event()? {}`.
pub fn open(path: impl AsRef<Path>) -> Result<Reader, Error> {
    Reader::open(path, Mode::Strict)
}

/// Reads a whole file into memory. Convenient for small files and tests; analyses of large
/// files should stream instead.
pub fn read_all(
    path: impl AsRef<Path>,
    mode: Mode,
) -> Result<(Vec<crate::Event>, ReadReport), Error> {
    let mut events = Vec::new();
    let report = Reader::open(path, mode)?.for_each(|ev| events.push(ev.clone()))?;
    Ok((events, report))
}
