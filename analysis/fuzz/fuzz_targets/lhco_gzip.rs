//! The gzip path: the fuzz input is compressed and read back, and must give exactly what the
//! plain read gives (events or the first error); every truncation of the stream must fail
//! cleanly or read a prefix, never panic.
#![no_main]

use std::io::Write;

use collm_analysis::lhco::{Mode, Reader};
use collm_analysis::Event;
use flate2::write::GzEncoder;
use flate2::Compression;
use libfuzzer_sys::fuzz_target;

fn read(bytes: Vec<u8>, mode: Mode) -> Result<Vec<Event>, String> {
    let mut events = Vec::new();
    Reader::from_bytes("fuzz.lhco", bytes, mode)
        .for_each(|ev| events.push(ev.clone()))
        .map(|_| events)
        .map_err(|e| e.to_string())
}

fuzz_target!(|data: &[u8]| {
    // Inputs that already start with the gzip magic are the other target's business.
    if data.starts_with(&[0x1f, 0x8b]) {
        return;
    }
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(data).expect("compressing in memory");
    let compressed = gz.finish().expect("compressing in memory");
    for mode in [Mode::Strict, Mode::Lenient] {
        assert_eq!(read(compressed.clone(), mode), read(data.to_vec(), mode));
    }
    let cut = compressed.len() / 2;
    let _ = read(compressed[..cut].to_vec(), Mode::Lenient);
});
