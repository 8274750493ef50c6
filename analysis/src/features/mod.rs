//! Per-event feature tables for machine learning and cross-checks.
//!
//! The CSV contract: a header row, first column `event` (the LHCO event number), then the
//! requested quantities in the order given, one row per selected event in file order. Numbers
//! are written in their shortest form that parses back to the identical `f64`, so nothing is
//! lost between the analysis and a downstream fit.

#[cfg(feature = "parquet")]
pub mod parquet;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::merge::Merge;
use crate::output::{self, OutputError};
use crate::text::csv_field;

/// An in-memory feature table (about 8 bytes per value), mergeable across parallel chunks.
///
/// ```
/// use collm_analysis::prelude::*;
/// let mut f = Features::new(["mt", "mjj"]);
/// f.push(7, &[65.25, 80.1]);
/// assert_eq!(f.to_csv(), "event,mt,mjj\n7,65.25,80.1\n");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    columns: Vec<String>,
    events: Vec<u64>,
    values: Vec<f64>,
}

impl Features {
    /// A table with the given feature columns (the `event` column is implicit).
    pub fn new<S: AsRef<str>>(columns: impl IntoIterator<Item = S>) -> Features {
        Features {
            columns: columns.into_iter().map(|c| c.as_ref().to_owned()).collect(),
            events: Vec::new(),
            values: Vec::new(),
        }
    }

    /// Appends one row.
    ///
    /// # Panics
    /// If `values` does not have one value per column: a silently shifted column would corrupt
    /// every downstream use of the file.
    pub fn push(&mut self, event: u64, values: &[f64]) {
        assert_eq!(
            values.len(),
            self.columns.len(),
            "feature row has {} values but the table has {} columns ({})",
            values.len(),
            self.columns.len(),
            self.columns.join(", ")
        );
        self.events.push(event);
        self.values.extend_from_slice(values);
    }

    /// Column names, without `event`.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Whether no row was added.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Row `i` as (event number, values).
    pub fn row(&self, i: usize) -> Option<(u64, &[f64])> {
        let n = self.columns.len();
        let event = *self.events.get(i)?;
        Some((event, &self.values[i * n..(i + 1) * n]))
    }

    /// All values of one column, for histogramming after the fact.
    pub fn column(&self, name: &str) -> Option<Vec<f64>> {
        let j = self.columns.iter().position(|c| c == name)?;
        let n = self.columns.len();
        Some(self.values.iter().skip(j).step_by(n).copied().collect())
    }

    /// Writes the CSV to any sink.
    pub fn write_csv_to(&self, out: impl Write) -> io::Result<()> {
        let mut w = CsvWriter::new(out, &self.columns)?;
        for i in 0..self.len() {
            if let Some((event, values)) = self.row(i) {
                w.write_row(event, values)?;
            }
        }
        w.finish().map(|_| ())
    }

    /// Writes the CSV file, whole or not at all.
    pub fn write_csv(&self, path: impl AsRef<Path>) -> Result<(), OutputError> {
        output::write_atomic(path, |w| self.write_csv_to(w))
    }

    /// The CSV as a string (small tables, tests, notebook previews).
    pub fn to_csv(&self) -> String {
        let mut buf = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = self.write_csv_to(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    }
}

/// Rows of the later part follow this one's, so file order is kept.
///
/// # Panics
/// If the columns differ.
impl Merge for Features {
    fn merge(&mut self, mut later: Features) {
        assert_eq!(
            self.columns, later.columns,
            "cannot merge feature tables with different columns"
        );
        self.events.append(&mut later.events);
        self.values.append(&mut later.values);
    }
}

/// A streaming CSV writer with the same format, for tables too large to keep in memory.
pub struct CsvWriter<W: Write> {
    out: W,
    columns: usize,
    ryu: ryu::Buffer,
}

impl CsvWriter<BufWriter<File>> {
    /// Creates the file and writes the header.
    pub fn create<S: AsRef<str>>(path: impl AsRef<Path>, columns: &[S]) -> io::Result<Self> {
        CsvWriter::new(BufWriter::new(File::create(path)?), columns)
    }
}

impl<W: Write> CsvWriter<W> {
    /// Wraps a sink and writes the header row `event,<columns...>`.
    pub fn new<S: AsRef<str>>(mut out: W, columns: &[S]) -> io::Result<Self> {
        out.write_all(b"event")?;
        for c in columns {
            out.write_all(b",")?;
            out.write_all(csv_field(c.as_ref()).as_bytes())?;
        }
        out.write_all(b"\n")?;
        Ok(CsvWriter {
            out,
            columns: columns.len(),
            ryu: ryu::Buffer::new(),
        })
    }

    /// Writes one row; fails (rather than writing a ragged file) on a wrong value count.
    pub fn write_row(&mut self, event: u64, values: &[f64]) -> io::Result<()> {
        if values.len() != self.columns {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("row has {} values, expected {}", values.len(), self.columns),
            ));
        }
        write!(self.out, "{event}")?;
        for &v in values {
            self.out.write_all(b",")?;
            let text = if v == 0.0 {
                // Both zeros print as `0.0`: a `-0.0` in a table reads as a bug.
                "0.0"
            } else if v.is_finite() {
                self.ryu.format_finite(v)
            } else if v.is_nan() {
                "nan"
            } else if v > 0.0 {
                "inf"
            } else {
                "-inf"
            };
            self.out.write_all(text.as_bytes())?;
        }
        self.out.write_all(b"\n")
    }

    /// Flushes and returns the sink.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}
