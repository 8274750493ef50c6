//! Cutflow, histogram, feature CSV and plot outputs.

use collm_analysis::prelude::*;

#[test]
fn cutflow_counts_efficiencies_and_renderings() {
    let mut cf = Cutflow::with_steps(["MET > 30", "1 lepton, isolated"]);
    for (met, nlep) in [(10.0, 1), (40.0, 1), (50.0, 2), (60.0, 1)] {
        cf.start();
        if !cf.pass("MET > 30", met > 30.0) {
            continue;
        }
        if !cf.pass("1 lepton, isolated", nlep == 1) {
            continue;
        }
    }
    assert_eq!(cf.counts(), vec![4, 3, 2]);
    assert_eq!(cf.final_count(), 2);
    assert_eq!(cf.count("MET > 30"), Some(3));
    assert_eq!(cf.efficiency(1), 0.75);
    assert!((cf.efficiency(2) - 2.0 / 3.0).abs() < 1e-15);
    assert_eq!(cf.cumulative(2), 0.5);
    assert_eq!(
        cf.to_csv(),
        "step,cut,events\n0,all events,4\n1,MET > 30,3\n2,\"1 lepton, isolated\",2\n"
    );
    let html = cf.to_html();
    assert!(
        html.contains("<td>MET &gt; 30</td>") || html.contains(">MET &gt; 30</td>"),
        "{html}"
    );
    assert!(
        html.contains("<td>3</td><td>75.00%</td><td>75.00%</td>"),
        "{html}"
    );
    let text = cf.to_string();
    assert!(text.lines().nth(2).unwrap().contains("MET > 30"), "{text}");
    assert!(text.contains("50.00%"));
}

#[test]
fn cutflow_steps_nobody_reaches_still_show_and_merge_in_order() {
    let mut a = Cutflow::new();
    a.start();
    a.pass("A", false);
    let mut b = Cutflow::new();
    b.start();
    b.pass("A", true);
    b.pass("B", true);
    a.merge(b);
    assert_eq!(a.labels(), ["all events", "A", "B"]);
    assert_eq!(a.counts(), vec![2, 1, 1]);
    let declared = Cutflow::with_steps(["x", "y"]);
    assert_eq!(declared.counts(), vec![0, 0, 0]);
    assert_eq!(declared.efficiency(1), 0.0);
}

#[test]
fn histogram_binning_flows_and_statistics() {
    let mut h = Hist1D::new(4, 0.0, 4.0);
    for x in [-1.0, 0.0, 0.5, 1.0, 3.999, 4.0, 7.0, f64::NAN] {
        h.fill(x);
    }
    assert_eq!(h.contents(), &[2.0, 1.0, 0.0, 1.0]);
    assert_eq!((h.underflow(), h.overflow(), h.invalid()), (1.0, 2.0, 1));
    assert_eq!(h.entries(), 8);
    let vals = [0.0, 0.5, 1.0, 3.999];
    let mean = vals.iter().sum::<f64>() / 4.0;
    let var = vals.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / 4.0;
    assert!((h.mean() - mean).abs() < 1e-12);
    assert!((h.rms() - var.sqrt()).abs() < 1e-12);
    assert_eq!(h.bin_of(2.0), Some(2));
    assert_eq!(h.bin_center(1), 1.5);
    let n = h.normalised();
    assert!((n.integral() - 1.0).abs() < 1e-15);
    assert_eq!(n.contents()[0], 0.5);
    assert_eq!(n.mean(), h.mean());
    assert_eq!(n.y_label_text(), "Fraction of events / 1");
    let mut w = Hist1D::new(2, 0.0, 2.0).x_label("m [GeV]");
    w.fill_weighted(0.5, 2.0);
    w.fill_weighted(1.5, 1.0);
    assert!((w.mean() - (2.0 * 0.5 + 1.5) / 3.0).abs() < 1e-15);
    assert!((w.error(0) - 2.0).abs() < 1e-15);
    assert_eq!(w.y_label_text(), "Events / 1 GeV");
    let mut m = w.clone();
    m.merge(w);
    assert_eq!(m.contents(), &[4.0, 2.0]);
    assert_eq!(m.entries(), 4);
}

#[test]
#[should_panic(expected = "different binning")]
fn merging_different_binnings_is_refused() {
    let mut a = Hist1D::new(2, 0.0, 1.0);
    a.merge(Hist1D::new(3, 0.0, 1.0));
}

#[test]
fn feature_csv_round_trips_exactly() {
    let mut f = Features::new(["mt", "ratio"]);
    let values = [
        [80.377, 1.0 / 3.0],
        [1e-300, -2.5e17],
        [0.1 + 0.2, f64::MIN_POSITIVE],
    ];
    for (i, v) in values.iter().enumerate() {
        f.push(i as u64 * 10, v);
    }
    let csv = f.to_csv();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("event,mt,ratio"));
    for (i, line) in lines.enumerate() {
        let cols: Vec<&str> = line.split(',').collect();
        assert_eq!(cols[0], (i * 10).to_string());
        for (j, c) in cols[1..].iter().enumerate() {
            assert_eq!(
                c.parse::<f64>().unwrap().to_bits(),
                values[i][j].to_bits(),
                "{c}"
            );
        }
    }
    assert_eq!(f.column("mt").unwrap(), vec![80.377, 1e-300, 0.1 + 0.2]);
    assert_eq!(f.row(1), Some((10, &values[1][..])));
    let mut later = Features::new(["mt", "ratio"]);
    later.push(99, &[1.0, 2.0]);
    f.merge(later);
    assert_eq!(f.len(), 4);
    assert!(f.to_csv().ends_with("99,1.0,2.0\n"));
}

#[test]
fn empty_sums_are_zero_and_no_csv_prints_negative_zero() {
    let none: Vec<Object> = Vec::new();
    let ht = scalar_ht(&none);
    assert!(
        ht == 0.0 && ht.is_sign_positive(),
        "HT of no jets is +0, got {ht:?}"
    );
    let mut f = Features::new(["ht", "x"]);
    f.push(1, &[ht, -0.0]);
    assert_eq!(f.to_csv(), "event,ht,x\n1,0.0,0.0\n");
}

#[test]
fn output_files_are_written_whole_and_name_the_path_when_they_cannot_be() {
    let dir = std::env::temp_dir().join(format!("collm-outputs-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut cutflow = Cutflow::new();
    cutflow.start();
    let mut f = Features::new(["x"]);
    f.push(1, &[2.5]);
    let mut h = Hist1D::new(4, 0.0, 4.0);
    h.fill(1.5);
    output::clear(&dir, &["features.csv"]).unwrap();
    cutflow.write_csv(dir.join("cutflow.csv")).unwrap();
    f.write_csv(dir.join("features.csv")).unwrap();
    h.save_png(dir.join("h.png")).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["cutflow.csv", "features.csv", "h.png"],
        "no temporary files stay"
    );
    let missing = dir.join("gone").join("features.csv");
    let e = f.write_csv(&missing).unwrap_err();
    assert!(
        e.to_string()
            .starts_with(&format!("could not write {}", missing.display())),
        "{e}"
    );
    let as_io: std::io::Error = e.into();
    assert_eq!(as_io.kind(), std::io::ErrorKind::NotFound);
    output::clear(&dir, &["cutflow.csv", "features.csv", "h.png"]).unwrap();
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn streaming_csv_writer_rejects_ragged_rows() {
    let mut w = CsvWriter::new(Vec::new(), &["a"]).unwrap();
    w.write_row(1, &[f64::NAN]).unwrap();
    assert!(w.write_row(2, &[1.0, 2.0]).is_err());
    let out = String::from_utf8(w.finish().unwrap()).unwrap();
    assert_eq!(out, "event,a\n1,nan\n");
}

#[test]
fn plots_render_png_and_svg() {
    let mut h = Hist1D::new(40, 60.0, 100.0).x_label(r"m_{\mu\mu} [GeV]");
    for i in 0..1000 {
        h.fill(80.0 + 8.0 * ((i as f64) * 0.37).sin());
    }
    let png = h.normalised().to_png(400, 300).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(&png[16..24], &[0, 0, 1, 144, 0, 0, 1, 44]);
    let svg = h.to_svg(400, 300).unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("μμ"), "subscript text is drawn");
    assert!(svg.contains("Entries"));
    assert!(svg.contains("1000"));
}

#[test]
fn a_full_disk_at_the_end_of_a_gzip_file_is_reported_by_close() {
    if !std::path::Path::new("/dev/full").exists() {
        println!("skipped: this system has no /dev/full");
        return;
    }
    let dir = std::env::temp_dir().join(format!("collm-full-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ok_path = dir.join("one.lhco.gz");
    let mut ok = lhco::Writer::create(&ok_path, lhco::Format::Exact).unwrap();
    let text = "  0 1 0\n  1 2 0.5 1.0 40.0 0.0 -1.0 0.0 0.1 0.0 0.0\n  2 6 0.0 1.0 15.0 0.0 0.0 0.0 0.0 0.0 0.0\n";
    let ev = lhco::Reader::from_bytes("one.lhco", text.as_bytes().to_vec(), Mode::Strict)
        .next_event()
        .unwrap()
        .unwrap()
        .clone();
    ok.write_event(&ev).unwrap();
    ok.close().unwrap();
    assert_eq!(
        lhco::read(&ok_path).unwrap().count(),
        1,
        "a closed gzip file reads back"
    );
    let full = dir.join("full.lhco.gz");
    std::os::unix::fs::symlink("/dev/full", &full).unwrap();
    let mut w = lhco::Writer::create(&full, lhco::Format::Exact).unwrap();
    w.write_event(&ev).unwrap();
    let e = w.close().expect_err("the disk is full");
    assert_eq!(e.raw_os_error(), Some(28), "ENOSPC: {e}");
    let _ = std::fs::remove_dir_all(&dir);
}
