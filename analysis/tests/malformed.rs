//! Malformed inputs: each case must fail with its own reason, on the right line, with the
//! `file:line: reason: text` display, and never panic (in strict, lenient and parallel mode).

use std::io::Write;
use std::path::PathBuf;

use collm_analysis::lhco::{self, Error, ErrorKind, Mode, Reader, Reason};

const MET: &str = "  3    6    0.000    1.113   15.47    0.00    0.0    0.0    0.00    0.0    0.0";
const JET: &str = "  2    4   -0.382    2.896   29.91    5.78    4.0    1.0    0.00    0.0    0.0";
const MUON: &str = "  1    2    0.500   -1.000   40.00    0.00   -1.0    0.0    0.10    0.0    0.0";

fn good_event(n: u64) -> String {
    format!("  0 {n:12} 0\n{MUON}\n{JET}\n{MET}\n")
}

fn strict(bytes: Vec<u8>) -> Result<u64, Error> {
    let mut r = Reader::from_bytes("case.lhco", bytes, Mode::Strict);
    let mut n = 0;
    while r.next_event()?.is_some() {
        n += 1;
    }
    Ok(n)
}

fn lenient(bytes: Vec<u8>) -> Result<lhco::ReadReport, Error> {
    Reader::from_bytes("case.lhco", bytes, Mode::Lenient).for_each(|_| {})
}

fn gzip(text: &str) -> Vec<u8> {
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(text.as_bytes()).unwrap();
    z.finish().unwrap()
}

/// (name, input, expected reason or None for non-format errors, line, text the message contains)
type Case = (&'static str, Vec<u8>, Option<Reason>, u64, &'static str);

fn cases() -> Vec<Case> {
    let ev = good_event(1);
    let t = |s: String| s.into_bytes();
    vec![
        ("truncated row", t(format!("{ev}  0 2 0\n  1    4   -0.382    2.896   29.91\n{MET}\n")), Some(Reason::TooFewColumns), 6, "5 columns"),
        ("row with only an id", t(format!("  0 2 0\n  1\n{MET}\n")), Some(Reason::TooFewColumns), 2, "1 columns"),
        ("missing MET between events", t(format!("  0 7 0\n{MUON}\n{ev}")), Some(Reason::MissingMet), 1, "event 7"),
        ("missing MET at end of file", t(format!("{ev}  0 8 0\n{MUON}\n")), Some(Reason::MissingMet), 5, "event 8"),
        ("two MET rows", t(format!("{ev}  4    6    0.000    1.0   5.0    0.00    0.0    0.0    0.00    0.0    0.0\n")), Some(Reason::DuplicateMet), 5, ": 4    6    0.000"),
        ("text in eta", t(format!("  0 1 0\n  1    2    abc   -1.000   40.00    0.00   -1.0    0.0    0.10    0.0    0.0\n{MET}\n")), Some(Reason::InvalidNumber), 2, "column eta: `abc`"),
        ("NaN pT", t(format!("  0 1 0\n  1    2    0.5   -1.000   NaN    0.00   -1.0    0.0    0.10    0.0    0.0\n{MET}\n")), Some(Reason::NonFinite), 2, "column pt: `NaN`"),
        ("inf phi", t(format!("  0 1 0\n  1    2    0.5   inf   4.0    0.00   -1.0    0.0    0.10    0.0    0.0\n{MET}\n")), Some(Reason::NonFinite), 2, "column phi"),
        ("+INF eta (AEACuS beams)", t(format!("  0 1 0\n  1    4   +INF +0.000  474.459    0.000   0.0   0.0 999.999   0.0   0.0\n{MET}\n")), Some(Reason::NonFinite), 2, "`+INF`"),
        ("overflowing exponent", t(format!("  0 1 0\n  1    4   0.1 0.2 1e400 0 0 0 0\n{MET}\n")), Some(Reason::NonFinite), 2, "`1e400`"),
        ("object before any header", t(format!("{MUON}\n{ev}")), Some(Reason::ObjectBeforeHeader), 1, "object row before any event header"),
        ("fractional row id", t(format!("  0 1 0\n  1.5    2    0.5   -1.0   40.0    0.00   -1.0    0.0    0.10    0.0    0.0\n{MET}\n")), Some(Reason::NotInteger), 2, "row id `1.5`"),
        ("AEACuS fractional header", t("   0.7             1.7             0       +8.78256E-04\n".to_owned()), Some(Reason::NotInteger), 1, "row id `0.7`"),
        ("fractional type code", t(format!("  0 1 0\n  1 +4.0000021 0.5 -1.0 40.0 0.00 -1.0 0.0 0.10 0.0 0.0\n{MET}\n")), Some(Reason::NotInteger), 2, "type code `+4.0000021`"),
        ("type code 5", t(format!("  0 1 0\n  1    5    0.5   -1.0   40.0    0.00   -1.0    0.0    0.10    0.0    0.0\n{MET}\n")), Some(Reason::UnknownType), 2, "type code 5"),
        ("type code 17", t(format!("  0 1 0\n  1   17    0.5   -1.0   40.0    0.00   -1.0    0.0    0.10    0.0    0.0\n{MET}\n")), Some(Reason::UnknownType), 2, "type code 17"),
        ("text type code", t(format!("  0 1 0\n  1   mu    0.5   -1.0   40.0    0.00   -1.0    0.0    0.10    0.0    0.0\n{MET}\n")), Some(Reason::InvalidNumber), 2, "column type: `mu`"),
        ("negative row id", t(format!("{ev}  -1    2    0.5   -1.0   40.0    0.00   -1.0    0.0    0.10    0.0    0.0\n")), Some(Reason::Negative), 5, "row id `-1`"),
        ("row index gap", t(format!("  0 1 0\n{MUON}\n{MET}\n").replace("  3    6", "  4    6")), Some(Reason::IndexOutOfSequence), 3, "expected 2, found 4"),
        ("row index repeated", t(format!("  0 1 0\n{MUON}\n{MUON}\n{MET}\n")), Some(Reason::IndexOutOfSequence), 3, "expected 2, found 1"),
        ("header with two columns", t(format!("{ev}  0 2\n{MUON}\n{MET}\n")), Some(Reason::BadHeader), 5, "2 columns"),
        ("header with five columns", t(format!("  0 2 0 1.0 9\n{MUON}\n{MET}\n")), Some(Reason::BadHeader), 1, "5 columns"),
        ("fractional event number", t(format!("  0 1.5 0\n{MUON}\n{MET}\n")), Some(Reason::NotInteger), 1, "event number `1.5`"),
        ("negative event number", t(format!("  0 -3 0\n{MUON}\n{MET}\n")), Some(Reason::Negative), 1, "event number `-3`"),
        ("text trigger word", t(format!("  0 1 abc\n{MUON}\n{MET}\n")), Some(Reason::InvalidNumber), 1, "column trigger word: `abc`"),
        ("NaN weight", t(format!("  0 1 0 nan\n{MUON}\n{MET}\n")), Some(Reason::NonFinite), 1, "column weight"),
        ("phi out of range", t(format!("  0 1 0\n  1    2    0.5    7.000   40.0    0.00   -1.0    0.0    0.10    0.0    0.0\n{MET}\n")), Some(Reason::PhiOutOfRange), 2, "phi 7"),
        ("negative pT", t(format!("  0 1 0\n  1    2    0.5    1.000  -40.0    0.00   -1.0    0.0    0.10    0.0    0.0\n{MET}\n")), Some(Reason::NegativePt), 2, "pt -40"),
        ("comma decimal", t(format!("  0 1 0\n  1    2    0,5    1.000   40.0    0.00   -1.0    0.0    0.10    0.0    0.0\n{MET}\n")), Some(Reason::InvalidNumber), 2, "`0,5`"),
        ("non-UTF-8 bytes in a number", [b"  0 1 0\n  1    2    0.5    1.0   4\xff\xfe    0.00   -1.0    0.0    0.10    0.0    0.0\n".to_vec(), MET.as_bytes().to_vec()].concat(), Some(Reason::InvalidNumber), 2, "column pt"),
        ("text in an extra column", t(format!("  0 1 0\n{MUON} oops\n{MET}\n")), Some(Reason::InvalidNumber), 2, "column extra: `oops`"),
        ("text in dum1", t(format!("  0 1 0\n  1    2    0.5    1.0   40.0    0.00   -1.0    0.0    0.10    x    0.0\n{MET}\n")), Some(Reason::InvalidNumber), 2, "column dum1: `x`"),
        ("binary garbage without line breaks", vec![b'7'; 3 << 20], Some(Reason::LineTooLong), 1, "no line break"),
        ("empty file", Vec::new(), None, 0, "no events (0 lines read"),
        ("only comments and markers", t("# header\n BeginEvent\n           0\n".to_owned()), None, 3, "none is an event header"),
        ("bad gzip stream", [vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3], b"this is not deflate data".to_vec()].concat(), None, 1, "corrupt gzip stream"),
        ("truncated gzip", { let z = gzip(&ev.repeat(200)); z[..z.len() / 2].to_vec() }, None, 0, "corrupt gzip stream"),
    ]
}

#[test]
fn every_malformed_case_reports_its_reason_and_line() {
    let all = cases();
    assert!(all.len() >= 30, "corpus has {} cases", all.len());
    for (name, input, reason, line, needle) in all {
        let err = strict(input.clone()).expect_err(name);
        assert_eq!(err.reason(), reason, "{name}: {err}");
        if line > 0 {
            assert_eq!(err.line, line, "{name}: {err}");
        }
        let shown = err.to_string();
        assert!(
            shown.starts_with(&format!("case.lhco:{}: ", err.line)),
            "{name}: {shown}"
        );
        assert!(shown.contains(needle), "{name}: `{shown}` lacks `{needle}`");
        // Lenient mode never panics either; it either recovers or reports.
        let _ = lenient(input);
    }
}

#[test]
fn error_text_is_the_offending_line() {
    let input = format!("  0 1 0\n  1    2    abc   -1.000   40.00    0.00   -1.0    0.0    0.10    0.0    0.0\n{MET}\n");
    let err = strict(input.into_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "case.lhco:2: invalid number (column eta: `abc`): 1    2    abc   -1.000   40.00    0.00   -1.0    0.0    0.10    0.0    0.0"
    );
}

#[test]
fn truncated_gzip_is_an_error_not_a_short_file() {
    let z = gzip(&good_event(1).repeat(5000));
    let cut = z[..z.len() - 20].to_vec();
    let err = strict(cut).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::Gzip(_)), "{err}");
}

#[test]
fn tabs_crlf_and_weights_are_valid() {
    let text = format!(
        "0\t1\t0\t0.25\r\n{}\r\n{JET}\r\n{MET}\r\n",
        MUON.replace("    ", "\t")
    );
    let mut r = Reader::from_bytes("ok.lhco", text.into_bytes(), Mode::Strict);
    let ev = r.next_event().unwrap().unwrap().clone();
    assert_eq!(ev.weight, Some(0.25));
    assert_eq!(ev.muons().count(), 1);
    assert_eq!(ev.met_pt(), 15.47);
    assert!(r.next_event().unwrap().is_none());
}

#[test]
fn lenient_mode_skips_and_counts_by_reason() {
    let text = format!(
        "{MUON}\n{}  0 2 0\n{MUON}\n  0 3 0\n  1    2    abc   -1.0   40.0    0.0   -1.0    0.0    0.1    0.0    0.0\n{MET}\n{}  0 5\n{MUON}\n{}",
        good_event(1),
        good_event(4),
        good_event(6)
    );
    let mut events = Vec::new();
    let report = Reader::from_bytes("mixed.lhco", text.into_bytes(), Mode::Lenient)
        .for_each(|ev| events.push(ev.number))
        .unwrap();
    assert_eq!(events, vec![1, 4, 6]);
    assert_eq!(report.events, 3);
    assert_eq!(report.skipped.get(&Reason::ObjectBeforeHeader), Some(&1));
    assert_eq!(report.skipped.get(&Reason::MissingMet), Some(&1));
    assert_eq!(report.skipped.get(&Reason::InvalidNumber), Some(&1));
    assert_eq!(report.skipped.get(&Reason::BadHeader), Some(&1));
    let shown = report.to_string();
    assert!(shown.contains("3 events"), "{shown}");
    assert!(shown.contains("missing MET row ×1"), "{shown}");
}

#[test]
fn lenient_mode_with_nothing_left_is_an_error() {
    let text = format!("  0 1 0\n{MUON}\n  0 2 0\n{MUON}\n");
    let err = lenient(text.into_bytes()).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::NoEvents { .. }));
    assert!(
        err.to_string().contains("skipped missing MET row ×2"),
        "{err}"
    );
}

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("collm-analysis-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn file_level_errors() {
    let err = lhco::open("/nonexistent/events.lhco").err().unwrap();
    assert!(matches!(err.kind, ErrorKind::Open(_)));
    assert!(err
        .to_string()
        .starts_with("/nonexistent/events.lhco:0: cannot open file"));
    // A `.gz` name with plain content is a gzip error, not a silently empty read.
    let path = temp_file("plain.lhco.gz", good_event(1).as_bytes());
    let err = lhco::open(&path).unwrap().for_each(|_| {}).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::Gzip(_)), "{err}");
}

#[test]
fn parallel_errors_carry_absolute_lines() {
    // ~12 MB so the parallel reader really splits it; the error sits near the end.
    let n = 40_000;
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&good_event(i));
        text.push_str(
            &"# padding comment to make the file larger than the parallel threshold\n".repeat(3),
        );
    }
    text.push_str(&format!("  0 {n} 0\n  1    2    0.5   -1.0   bad    0.00   -1.0    0.0    0.10    0.0    0.0\n{MET}\n"));
    let path = temp_file("big-broken.lhco", text.as_bytes());
    let want_line = n * 7 + 2;
    let sequential = lhco::open(&path).unwrap().for_each(|_| {}).unwrap_err();
    assert_eq!(sequential.line, want_line);
    let parallel = lhco::par_fold(&path, Mode::Strict, 2, || 0u64, |c, _| *c += 1).unwrap_err();
    assert_eq!(parallel, sequential);
    // Lenient parallel read keeps every good event and counts the broken one.
    let (count, report) = lhco::par_fold(&path, Mode::Lenient, 2, || 0u64, |c, _| *c += 1).unwrap();
    assert_eq!(count, n);
    assert_eq!(report.events, n);
    assert_eq!(report.skipped.get(&Reason::InvalidNumber), Some(&1));
    let gz = temp_file("big-broken.lhco.gz", &gzip(&text));
    let err = lhco::par_fold(&gz, Mode::Strict, 2, || (), |_, _| {}).unwrap_err();
    assert_eq!(err.line, want_line);
}

/// Hands out a few bytes per read, so the reader refills (and moves its buffer) constantly.
struct Trickle(std::io::Cursor<Vec<u8>>);

impl std::io::Read for Trickle {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = out.len().min(5);
        self.0.read(&mut out[..n])
    }
}

#[test]
fn missing_met_names_its_header_after_refills() {
    let input = format!(
        "{}  0 7 3585\n{MUON}\n{JET}\n{}",
        good_event(1).repeat(3),
        good_event(8)
    );
    let read = Trickle(std::io::Cursor::new(input.into_bytes()));
    let mut r = Reader::from_reader("case.lhco", read, Mode::Strict);
    let mut n = 0;
    let err = loop {
        match r.next_event() {
            Ok(Some(_)) => n += 1,
            Ok(None) => panic!("no error"),
            Err(e) => break e,
        }
    };
    assert_eq!(n, 3);
    assert_eq!(
        err.to_string(),
        "case.lhco:13: missing MET row (event 7): 0 7 3585"
    );
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_first_line() {
    let n = 40_000u64;
    let mut text = vec![0xef, 0xbb, 0xbf];
    for i in 0..n {
        text.extend_from_slice(good_event(i).as_bytes());
    }
    let path = temp_file("bom.lhco", &text);
    let report = lhco::open(&path).unwrap().for_each(|_| {}).unwrap();
    assert_eq!(report.events, n);
    let (count, _) = lhco::par_fold(&path, Mode::Strict, 2, || 0u64, |c, _| *c += 1).unwrap();
    assert_eq!(count, n, "the parallel reader skips it too");
    let one = [&text[..3], good_event(1).as_bytes()].concat();
    assert_eq!(strict(one).unwrap(), 1, "in-memory input too");
    let broken = [&text[..3], format!("  0 1 0\n  1    2    x   -1.0   40.0    0.00   -1.0    0.0    0.10    0.0    0.0\n{MET}\n").as_bytes()].concat();
    assert_eq!(
        strict(broken).unwrap_err().line,
        2,
        "lines count from the first real line"
    );
}

#[test]
fn binary_input_gives_a_short_printable_message() {
    let mut junk = b"  0 1 0\n  1 2 ".to_vec();
    junk.extend(
        (0u8..=255)
            .cycle()
            .take(600)
            .filter(|&b| b != b'\n' && b != b' '),
    );
    junk.push(b'\n');
    let shown = strict(junk).unwrap_err().to_string();
    assert!(shown.starts_with("case.lhco:2: "), "{shown}");
    assert!(
        !shown.chars().any(|c| c.is_control()),
        "no raw control characters: {shown:?}"
    );
    assert!(
        shown.chars().count() < 320,
        "bounded: {} chars",
        shown.chars().count()
    );
}
