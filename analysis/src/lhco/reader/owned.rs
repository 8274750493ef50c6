//! Owned events, for callers who would rather use iterator adapters than the borrowing loop.

use super::Reader;
use crate::event::Event;
use crate::lhco::error::{Error, ReadReport};

/// Owned-event iterator over a [`Reader`]; each item clones the event (one allocation), which
/// is what lets `for ev in lhco::read(path)?` work with ordinary iterator adapters.
pub struct Events {
    reader: Reader,
}

impl Events {
    /// Counts and skipped lines so far (complete after the loop ends).
    pub fn report(&self) -> &ReadReport {
        self.reader.report()
    }
}

impl Iterator for Events {
    type Item = Result<Event, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        match self.reader.next_event() {
            Ok(Some(ev)) => Some(Ok(ev.clone())),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

impl IntoIterator for Reader {
    type Item = Result<Event, Error>;
    type IntoIter = Events;
    fn into_iter(self) -> Events {
        Events { reader: self }
    }
}
