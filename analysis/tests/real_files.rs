//! The third-party LHCO files in `../shared/data/lhco` (beside the repository): exact event and
//! object counts from their README, and the AEACuS extended file rejected with its line.
//! Skips, saying why, when that directory is absent.

use std::path::PathBuf;

use collm_analysis::lhco::{self, Format, Mode, Reader, Reason, Writer};
use collm_analysis::{BTag, Kind};

fn data_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/lhco");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "skipping: real LHCO files not found at {} (the shared/ directory beside the repo)",
            dir.display()
        );
        None
    }
}

/// (events, photons, electrons, muons, taus, jets) per the data README.
fn check_counts(file: &str, want: [u64; 6]) {
    let Some(dir) = data_dir() else { return };
    let path = dir.join(file);
    for threads in [1, 2] {
        let (_, report) = lhco::par_fold(&path, Mode::Strict, threads, || (), |_, _| {})
            .unwrap_or_else(|e| panic!("{e}"));
        let got = [
            report.events,
            report.count(Kind::Photon),
            report.count(Kind::Electron),
            report.count(Kind::Muon),
            report.count(Kind::Tau),
            report.count(Kind::Jet),
        ];
        assert_eq!(got, want, "{file} with {threads} threads");
        assert_eq!(report.count(Kind::Met), want[0], "one MET per event");
        assert_eq!(report.skipped_total(), 0);
    }
}

#[test]
fn pgs_uncleaned_counts() {
    check_counts(
        "aeacus/pgs_uncleaned_events.lhco",
        [805, 41, 166, 410, 135, 5287],
    );
}

#[test]
fn lmnw_gzip_with_mg5_markers() {
    // Object counts measured independently with awk over the decompressed file.
    check_counts(
        "aeacus/LMNW_pgs_events_run_01_0.lhco.gz",
        [797, 43, 167, 164, 126, 5158],
    );
    let Some(dir) = data_dir() else { return };
    let mut r = lhco::open(dir.join("aeacus/LMNW_pgs_events_run_01_0.lhco.gz")).unwrap();
    assert!(r.is_gzip());
    let first = r.next_event().unwrap().unwrap();
    assert_eq!((first.number, first.trigger), (1, 3585));
    assert_eq!(first.jets().count(), 6);
    while r.next_event().unwrap().is_some() {}
    // 797 events × (BeginEvent, BeginStdhep, bare 0, EndStdhep, BeginReco, EndReco, EndEvent).
    assert_eq!(r.report().marker_lines, 797 * 7);
}

#[test]
fn ntgc_sm_counts() {
    check_counts(
        "cutexperiment/nTGC_sm.lhco",
        [10000, 5259, 44, 41, 247, 21385],
    );
}

#[test]
fn ntgc_np_counts() {
    check_counts("cutexperiment/nTGC_np.lhco", [100, 93, 1, 0, 6, 267]);
}

#[test]
fn ttbar_jetfilm_rejected_with_line() {
    let Some(dir) = data_dir() else { return };
    let path = dir.join("aeacus/TTBar-HT1600.lhco");
    let err = lhco::open(&path)
        .and_then(|r| r.for_each(|_| {}))
        .expect_err("extended AEACuS format must be rejected");
    assert_eq!(err.line, 8);
    assert_eq!(err.reason(), Some(Reason::NotInteger));
    let shown = err.to_string();
    assert!(
        shown.contains("TTBar-HT1600.lhco:8: not an integer (row id `0.7`): 0.7"),
        "{shown}"
    );
    // Lenient mode skips every line and must still not return zero events silently.
    let lenient = Reader::open(&path, Mode::Lenient).and_then(|r| r.for_each(|_| {}));
    let err = lenient.expect_err("zero events is an error");
    assert!(err.to_string().contains("no events"), "{err}");
}

#[test]
fn pgs_conventions_kept_raw() {
    let Some(dir) = data_dir() else { return };
    let (events, _) =
        lhco::read_all(dir.join("aeacus/pgs_uncleaned_events.lhco"), Mode::Strict).unwrap();
    let first = &events[0];
    assert_eq!((first.number, first.trigger, first.line), (1, 3587, 2));
    // PGS φ in [0, 2π]: 3.105 (below π) is kept, 4.997 is stored as 4.997 − 2π.
    let phis: Vec<f64> = first.jets().map(|j| j.phi).collect();
    assert_eq!(phis[0], 3.105);
    assert!((phis[1] - (4.997 - std::f64::consts::TAU)).abs() < 1e-12);
    let btags: Vec<f64> = first.jets().map(|j| j.btag).collect();
    assert_eq!(btags, vec![0.0, 0.0, 2.5, 1.0, 0.0]);
    let jets = events.iter().flat_map(|e| e.jets());
    let (loose, eq_one) = jets.fold((0, 0), |(l, e), j| {
        (
            l + usize::from(j.is_btagged_at(BTag::Loose)),
            e + usize::from(j.btag == 1.0),
        )
    });
    assert!(
        loose > 2 * eq_one,
        "btag >= 1 finds {loose}, == 1.0 only {eq_one}"
    );
    let tau_ntrk: Vec<f64> = events
        .iter()
        .flat_map(|e| e.taus())
        .map(|t| t.ntrk.abs())
        .collect();
    assert!(tau_ntrk.iter().all(|n| *n == 1.0 || *n == 3.0));
}

#[test]
fn delphes_file_rewritten_byte_for_byte() {
    let Some(dir) = data_dir() else { return };
    for file in ["cutexperiment/nTGC_np.lhco", "cutexperiment/nTGC_sm.lhco"] {
        let path = dir.join(file);
        let original = std::fs::read(&path).unwrap();
        let mut w = Writer::new(Vec::new(), Format::Delphes);
        lhco::open(&path)
            .unwrap()
            .for_each(|ev| w.write_event(ev).unwrap())
            .unwrap();
        let written = w.finish().unwrap();
        assert!(written == original, "{file} differs after read + write");
    }
}
