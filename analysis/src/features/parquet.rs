//! Parquet export of feature tables (cargo feature `parquet`).
//!
//! Written with the `parquet` crate's own column writers rather than through Arrow, which
//! would multiply the build of a crate that notebook cells compile. Columns are plain and
//! uncompressed: feature tables are small next to the LHCO files they come from, and every
//! Parquet reader understands the result.

use std::fs::File;
use std::io::{self, BufWriter};
use std::path::Path;
use std::sync::Arc;

use parquet::basic::{Repetition, Type as Physical};
use parquet::data_type::{DoubleType, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use super::Features;

/// Rows per row group: bounds the per-column copy made while writing.
const ROW_GROUP: usize = 1 << 20;

/// A Parquet error as the `io::Error` that writers here return.
pub fn to_io(e: ParquetError) -> io::Error {
    io::Error::other(e)
}

impl Features {
    /// Writes the table as Parquet: column `event` (INT64), then each feature (DOUBLE) in
    /// order, all required. Pandas, polars and ROOT's RDataFrame read it directly.
    ///
    /// Fails with `InvalidData` if an event number does not fit in a signed 64-bit integer
    /// (Parquet has no unsigned 64-bit physical type).
    pub fn write_parquet(&self, path: impl AsRef<Path>) -> io::Result<()> {
        let mut fields = vec![Arc::new(column("event", Physical::INT64)?)];
        for name in &self.columns {
            fields.push(Arc::new(column(name, Physical::DOUBLE)?));
        }
        let schema = Type::group_type_builder("features")
            .with_fields(fields)
            .build()
            .map_err(to_io)?;
        let props = Arc::new(WriterProperties::builder().build());
        let file = BufWriter::new(File::create(path)?);
        let mut writer = SerializedFileWriter::new(file, Arc::new(schema), props).map_err(to_io)?;
        let n = self.columns.len();
        // An empty table gives a file with the schema and no row group, which readers accept.
        for start in (0..self.len()).step_by(ROW_GROUP) {
            let end = (start + ROW_GROUP).min(self.len());
            let events = self.events[start..end]
                .iter()
                .map(|&e| {
                    i64::try_from(e).map_err(|_| {
                        io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("event number {e} does not fit Parquet's INT64"),
                        )
                    })
                })
                .collect::<io::Result<Vec<i64>>>()?;
            let rows = &self.values[start * n..end * n];
            let mut group = writer.next_row_group().map_err(to_io)?;
            let mut k = 0;
            while let Some(mut col) = group.next_column().map_err(to_io)? {
                if k == 0 {
                    col.typed::<Int64Type>()
                        .write_batch(&events, None, None)
                        .map_err(to_io)?;
                } else {
                    let values: Vec<f64> = rows.iter().skip(k - 1).step_by(n).copied().collect();
                    col.typed::<DoubleType>()
                        .write_batch(&values, None, None)
                        .map_err(to_io)?;
                }
                col.close().map_err(to_io)?;
                k += 1;
            }
            group.close().map_err(to_io)?;
        }
        writer.close().map_err(to_io)?;
        Ok(())
    }
}

/// A required (never null) column of `physical` type: every column collm writes has a value in
/// every row.
pub fn column(name: &str, physical: Physical) -> io::Result<Type> {
    Type::primitive_type_builder(name, physical)
        .with_repetition(Repetition::REQUIRED)
        .build()
        .map_err(to_io)
}
