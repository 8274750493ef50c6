//! Feeds arbitrary bytes (plain or gzip) to the LHCO reader in both modes. The reader must
//! never panic, and every event it accepts must survive a write/read round trip unchanged.
#![no_main]

use collm_analysis::lhco::{Format, Mode, Reader, Writer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = Reader::from_bytes("fuzz.lhco", data.to_vec(), Mode::Lenient).for_each(|_| {});
    let mut events = Vec::new();
    if Reader::from_bytes("fuzz.lhco", data.to_vec(), Mode::Strict)
        .for_each(|ev| events.push(ev.clone()))
        .is_err()
    {
        return;
    }
    let mut w = Writer::new(Vec::new(), Format::Exact);
    for ev in &events {
        w.write_event(ev).expect("writing to memory");
    }
    let bytes = w.finish().expect("writing to memory");
    let mut again = Vec::new();
    Reader::from_bytes("rt.lhco", bytes, Mode::Strict)
        .for_each(|ev| again.push(ev.clone()))
        .expect("what the writer wrote must read back");
    assert_eq!(events.len(), again.len());
    for (a, b) in events.iter().zip(&again) {
        assert!(a.rows().zip(b.rows()).all(|(x, y)| x == y));
    }
});
