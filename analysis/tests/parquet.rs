//! Parquet export: the file reads back with the declared schema and bit-identical values.
//! Run with `cargo test -p collm-analysis --features parquet --test parquet`.
#![cfg(feature = "parquet")]

use std::fs::File;

use collm_analysis::Features;
use parquet::basic::Type as Physical;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::RowAccessor;

/// Column names and types, then rows as (event, features).
type Table = (Vec<(String, Physical)>, Vec<(i64, Vec<f64>)>);

fn read_back(path: &std::path::Path) -> Table {
    let reader = SerializedFileReader::new(File::open(path).expect("open")).expect("parquet");
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let columns: Vec<(String, Physical)> = schema
        .columns()
        .iter()
        .map(|c| (c.name().to_owned(), c.physical_type()))
        .collect();
    let n = columns.len();
    let rows = reader
        .get_row_iter(None)
        .expect("rows")
        .map(|row| {
            let row = row.expect("row");
            let event = row.get_long(0).expect("event");
            let values = (1..n).map(|i| row.get_double(i).expect("double")).collect();
            (event, values)
        })
        .collect();
    (columns, rows)
}

#[test]
fn writes_event_then_features_exactly() {
    let dir = std::env::temp_dir().join(format!("collm-parquet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("features.parquet");
    let mut f = Features::new(["mt", "m_jj", "weird name, with comma"]);
    let tricky = [
        0.1,
        -0.0,
        f64::MIN_POSITIVE,
        1e300,
        f64::INFINITY,
        f64::NAN,
        80.377,
        -2.5e-7,
        123456.789,
    ];
    for (i, chunk) in tricky.chunks(3).enumerate() {
        f.push(i as u64 * 1_000_000_007, chunk);
    }
    f.push(i64::MAX as u64, &[1.0, 2.0, 3.0]);
    f.write_parquet(&path).expect("write");

    let (columns, rows) = read_back(&path);
    assert_eq!(
        columns,
        vec![
            ("event".to_owned(), Physical::INT64),
            ("mt".to_owned(), Physical::DOUBLE),
            ("m_jj".to_owned(), Physical::DOUBLE),
            ("weird name, with comma".to_owned(), Physical::DOUBLE),
        ]
    );
    assert_eq!(rows.len(), f.len());
    for (i, (event, values)) in rows.iter().enumerate() {
        let (want_event, want) = f.row(i).expect("row");
        assert_eq!(*event as u64, want_event);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(values), bits(want), "row {i}");
    }

    // An empty table still has its schema.
    let empty = dir.join("empty.parquet");
    Features::new(["x"])
        .write_parquet(&empty)
        .expect("write empty");
    let (columns, rows) = read_back(&empty);
    assert_eq!(columns.len(), 2);
    assert!(rows.is_empty());

    // Event numbers beyond INT64 are refused, not wrapped.
    let mut big = Features::new(["x"]);
    big.push(u64::MAX, &[1.0]);
    let err = big
        .write_parquet(dir.join("big.parquet"))
        .expect_err("u64::MAX");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    std::fs::remove_dir_all(&dir).ok();
}
