//! Streaming Parquet output (cargo feature `parquet`): one row per LHCO row, MET included, plus
//! the generator-truth columns. Columns are buffered for one row group at a time, so memory is
//! bounded by [`ROW_GROUP`] rows whatever the number of events.

use std::fs::File;
use std::io::{self, BufWriter};
use std::path::Path;
use std::sync::Arc;

use parquet::basic::Type as Physical;
use parquet::data_type::{DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use collm_analysis::features::parquet::{column, to_io};

use crate::detector::GenEvent;
use crate::sink::Sink;

/// Rows per row group.
pub const ROW_GROUP: usize = 1 << 16;

/// The DOUBLE columns, in schema order after `event`, `index` and `type`.
const DOUBLES: [&str; 7] = ["eta", "phi", "pt", "jmass", "ntrk", "btag", "had_em"];

/// Writes generated events as Parquet; see the crate docs for the layout.
pub struct ParquetSink {
    writer: Option<SerializedFileWriter<BufWriter<File>>>,
    event: Vec<i64>,
    index: Vec<i32>,
    kind: Vec<i32>,
    doubles: [Vec<f64>; 7],
    truth_id: Vec<i32>,
    lxy: Vec<f64>,
}

impl ParquetSink {
    /// Creates (truncates) the file and writes the schema.
    pub fn create(path: impl AsRef<Path>) -> io::Result<ParquetSink> {
        let mut fields = vec![
            column("event", Physical::INT64)?,
            column("index", Physical::INT32)?,
            column("type", Physical::INT32)?,
        ];
        for name in DOUBLES {
            fields.push(column(name, Physical::DOUBLE)?);
        }
        fields.push(column("truth_id", Physical::INT32)?);
        fields.push(column("lxy_mm", Physical::DOUBLE)?);
        let schema = Type::group_type_builder("objects")
            .with_fields(fields.into_iter().map(Arc::new).collect())
            .build()
            .map_err(to_io)?;
        let props = Arc::new(WriterProperties::builder().build());
        let file = BufWriter::with_capacity(1 << 20, File::create(path)?);
        let writer = SerializedFileWriter::new(file, Arc::new(schema), props).map_err(to_io)?;
        Ok(ParquetSink {
            writer: Some(writer),
            event: Vec::with_capacity(ROW_GROUP),
            index: Vec::with_capacity(ROW_GROUP),
            kind: Vec::with_capacity(ROW_GROUP),
            doubles: std::array::from_fn(|_| Vec::with_capacity(ROW_GROUP)),
            truth_id: Vec::with_capacity(ROW_GROUP),
            lxy: Vec::with_capacity(ROW_GROUP),
        })
    }

    fn flush_group(&mut self) -> io::Result<()> {
        if self.event.is_empty() {
            return Ok(());
        }
        let writer = self
            .writer
            .as_mut()
            .ok_or_else(|| io::Error::other("sink already finished"))?;
        let mut group = writer.next_row_group().map_err(to_io)?;
        let mut k = 0;
        while let Some(mut col) = group.next_column().map_err(to_io)? {
            match k {
                0 => col
                    .typed::<Int64Type>()
                    .write_batch(&self.event, None, None),
                1 => col
                    .typed::<Int32Type>()
                    .write_batch(&self.index, None, None),
                2 => col.typed::<Int32Type>().write_batch(&self.kind, None, None),
                3..=9 => col
                    .typed::<DoubleType>()
                    .write_batch(&self.doubles[k - 3], None, None),
                10 => col
                    .typed::<Int32Type>()
                    .write_batch(&self.truth_id, None, None),
                _ => col.typed::<DoubleType>().write_batch(&self.lxy, None, None),
            }
            .map_err(to_io)?;
            col.close().map_err(to_io)?;
            k += 1;
        }
        group.close().map_err(to_io)?;
        self.event.clear();
        self.index.clear();
        self.kind.clear();
        self.doubles.iter_mut().for_each(Vec::clear);
        self.truth_id.clear();
        self.lxy.clear();
        Ok(())
    }
}

impl Sink for ParquetSink {
    fn write(&mut self, ev: &GenEvent) -> io::Result<()> {
        let number = i64::try_from(ev.event.number)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "event number above INT64"))?;
        // Labels follow objects(); the MET row (label 0) sits wherever rows() puts it.
        let mut labels = ev.truth.iter();
        for (i, o) in ev.event.rows().enumerate() {
            let (id, lxy) = if o.kind == collm_analysis::Kind::Met {
                (0, 0.0)
            } else {
                labels.next().map_or((0, 0.0), |t| (t.id, t.lxy_mm))
            };
            self.event.push(number);
            self.index.push(i32::try_from(i + 1).unwrap_or(i32::MAX));
            self.kind.push(i32::from(o.kind.code()));
            let vals = [o.eta, o.phi, o.pt, o.jmass, o.ntrk, o.btag, o.had_em];
            for (col, v) in self.doubles.iter_mut().zip(vals) {
                col.push(v);
            }
            self.truth_id.push(id);
            self.lxy.push(lxy);
        }
        if self.event.len() >= ROW_GROUP {
            self.flush_group()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.writer.is_none() {
            return Ok(());
        }
        self.flush_group()?;
        if let Some(w) = self.writer.take() {
            w.close().map_err(to_io)?;
        }
        Ok(())
    }
}
