//! Property tests: symmetries of the physics and the reader/writer round trip.

use std::f64::consts::PI;

use collm_analysis::lhco::{Format, Mode, Reader, Writer};
use collm_analysis::prelude::*;
use proptest::prelude::*;

fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(vec![
        Kind::Photon,
        Kind::Electron,
        Kind::Muon,
        Kind::Tau,
        Kind::Jet,
    ])
}

fn object() -> impl Strategy<Value = Object> {
    (
        kind(),
        0.0..500.0f64,
        -4.0..4.0f64,
        -PI..PI,
        0.0..50.0f64,
        -20.0..20.0f64,
        0.0..4.0f64,
    )
        .prop_map(|(k, pt, eta, phi, m, ntrk, btag)| {
            let mut o = Object::new(k, pt, eta, phi, m);
            o.ntrk = ntrk;
            o.btag = btag;
            o.had_em = m / 7.0;
            o
        })
}

fn event() -> impl Strategy<Value = Event> {
    (
        any::<u32>(),
        any::<u16>(),
        prop::option::of(0.0..10.0f64),
        prop::collection::vec(object(), 0..8),
        0.0..300.0f64,
        -PI..PI,
        0usize..8,
    )
        .prop_map(|(n, trig, weight, objects, met, met_phi, met_at)| {
            let mut ev = Event::new(u64::from(n), u64::from(trig));
            ev.weight = weight;
            let len = objects.len();
            let at = met_at.min(len);
            for (i, o) in objects.into_iter().enumerate() {
                if i == at {
                    ev.set_met(met, met_phi);
                }
                ev.push(o);
            }
            if at == len {
                ev.set_met(met, met_phi);
            }
            ev
        })
}

fn write(events: &[Event], format: Format) -> Vec<u8> {
    let mut w = Writer::new(Vec::new(), format);
    for ev in events {
        w.write_event(ev).unwrap();
    }
    w.finish().unwrap()
}

fn read(bytes: Vec<u8>) -> Vec<Event> {
    let mut out = Vec::new();
    Reader::from_bytes("rt.lhco", bytes, Mode::Strict)
        .for_each(|ev| out.push(ev.clone()))
        .unwrap();
    out
}

proptest! {
    #[test]
    fn mass_is_invariant_under_phi_rotation(objs in prop::collection::vec(object(), 2..5), shift in -10.0..10.0f64) {
        let rotated: Vec<Object> = objs.iter().map(|o| Object { phi: wrap_phi(o.phi + shift), ..*o }).collect();
        let (m1, m2) = (mass_of(&objs), mass_of(&rotated));
        prop_assert!((m1 - m2).abs() <= 1e-9 * (1.0 + m1.abs()) + 1e-6, "{m1} vs {m2}");
    }

    #[test]
    fn delta_r_is_symmetric_and_delta_phi_bounded(a in object(), b in object()) {
        prop_assert!((delta_r(&a, &b) - delta_r(&b, &a)).abs() < 1e-12);
        let dphi = delta_phi(&a, &b);
        prop_assert!((0.0..=PI).contains(&dphi));
        prop_assert!((dphi - delta_phi(&b, &a)).abs() < 1e-12);
    }

    #[test]
    fn mt_is_bounded_by_twice_the_geometric_mean(a in object(), met in 0.0..300.0f64, phi in -PI..PI) {
        let m = Object::new(Kind::Met, met, 0.0, phi, 0.0);
        let v = mt(&a, &m);
        prop_assert!(v >= 0.0 && v <= 2.0 * (a.pt * met).sqrt() + 1e-9);
    }

    #[test]
    fn exact_format_round_trips_bit_for_bit(events in prop::collection::vec(event(), 1..6)) {
        let back = read(write(&events, Format::Exact));
        prop_assert_eq!(back.len(), events.len());
        for (a, b) in events.iter().zip(&back) {
            prop_assert_eq!(a.number, b.number);
            prop_assert_eq!(a.weight.map(f64::to_bits), b.weight.map(f64::to_bits));
            prop_assert_eq!(a.rows().count(), b.rows().count());
            for (x, y) in a.rows().zip(b.rows()) {
                prop_assert_eq!(x, y);
            }
        }
    }

    #[test]
    fn delphes_format_round_trips_to_printed_precision(events in prop::collection::vec(event(), 1..6)) {
        let once = write(&events, Format::Delphes);
        let back = read(once.clone());
        prop_assert_eq!(back.len(), events.len());
        for (a, b) in events.iter().zip(&back) {
            for (x, y) in a.rows().zip(b.rows()) {
                prop_assert_eq!(x.kind, y.kind);
                prop_assert!((x.eta - y.eta).abs() <= 5.1e-4);
                prop_assert!(delta_phi_angles(x.phi, y.phi) <= 5.1e-4);
                prop_assert!((x.pt - y.pt).abs() <= 5.1e-3);
            }
        }
        // Writing what was read reproduces the file byte for byte.
        prop_assert!(write(&back, Format::Delphes) == once);
    }

    #[test]
    fn parsed_numbers_equal_std_parse(int in 0u64..100_000_000, frac in 0u64..1_000_000, digits in 0usize..7, neg in any::<bool>()) {
        let text = if digits == 0 {
            format!("{}{int}", if neg { "-" } else { "" })
        } else {
            format!("{}{int}.{:0width$}", if neg { "-" } else { "" }, frac % 10u64.pow(digits as u32), width = digits)
        };
        let line = format!("  0 1 0\n  1 4 {text} 0.5 1.0 0 0 0 0\n  2 6 0 0 0 0 0 0 0\n");
        let evs = read(line.into_bytes());
        let want: f64 = text.parse().unwrap();
        prop_assert_eq!(evs[0].objects()[0].eta.to_bits(), want.to_bits(), "{}", text);
    }

    #[test]
    fn reader_never_panics_on_garbage(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        for mode in [Mode::Strict, Mode::Lenient] {
            let _ = Reader::from_bytes("junk.lhco", bytes.clone(), mode).for_each(|_| {});
        }
    }
}
