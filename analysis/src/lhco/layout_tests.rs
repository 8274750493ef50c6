use super::*;
use crate::lhco::line;
use crate::lhco::row::Line;

fn padded(text: &str) -> Vec<u8> {
    let mut s = text.as_bytes().to_vec();
    s.push(b'\n');
    s.resize(s.len() + SPAN, b'x');
    s
}

fn window(s: &[u8]) -> &[u8; SPAN] {
    s[..SPAN].try_into().expect("padded line")
}

/// The layout's answer as a line, for comparison with the careful parser.
fn via_layout(layout: &Layout, text: &str) -> Option<Line> {
    let s = padded(text);
    let mut v = [f64::NAN; 10];
    let (index, kind) = layout.row(window(&s), &mut v)?;
    let mut portable = [f64::NAN; 10];
    convert_portable(&layout.pairs, window(&s), &mut portable);
    assert_eq!(v.map(f64::to_bits), portable.map(f64::to_bits), "{text}");
    let [eta, phi, pt, jmass, ntrk, btag, had_em, dum1, dum2, spare] = v;
    assert_eq!(spare.to_bits(), 0, "{text}");
    let object =
        crate::lhco::row::object(kind, [eta, phi, pt, jmass, ntrk, btag, had_em, dum1, dum2])?;
    Some(Line::Row { index, object })
}

fn learned(text: &str) -> Layout {
    let mut layout = Layout::default();
    layout.learn(window(&padded(text)));
    assert!(layout.is_learned(), "{text}");
    layout
}

fn careful(text: &str) -> Option<Line> {
    line::parse_line(&padded(text), 0).ok().map(|(l, _)| l)
}

/// A generator of printf rows in one layout, with every column's values spread over signs,
/// magnitudes and the widths its format allows.
fn rows(fmt: fn(u64, [f64; 9]) -> String, n: u64) -> Vec<String> {
    (0..n)
        .map(|i| {
            let r =
                |k: u32| (i.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(7 * k) >> 40) as f64;
            let sign = if i % 3 == 0 { -1.0 } else { 1.0 };
            let v = [
                sign * r(1) / 4e6,
                sign * r(2) / 1e7,
                r(3) / 10f64.powi((i % 4) as i32 + 3),
                r(4) / 1e5,
                sign * (i % 4) as f64,
                (i % 3) as f64,
                r(5) / 10f64.powi((i % 5) as i32 + 3),
                -0.0 * sign,
                r(6) / 1e6,
            ];
            fmt(i, v)
        })
        .collect()
}

fn delphes(i: u64, v: [f64; 9]) -> String {
    format!(
        "{:4} {:4} {:8.3} {:8.3} {:7.2} {:7.2} {:6.1} {:6.1} {:7.2} {:6.1} {:6.1}",
        1 + i % 12,
        [0, 1, 2, 3, 4, 6][(i % 6) as usize],
        v[0],
        v[1],
        v[2],
        v[3],
        v[4],
        v[5],
        v[6],
        v[7],
        v[8]
    )
}

fn mixed(i: u64, v: [f64; 9]) -> String {
    // Integer columns without dot, a trailing-dot column, no dummy columns, CRLF.
    format!(
        "{:3} {:2} {:9.4} {:6.2} {:8.0} {:>6} {:4} {:3} {:5.1}\r",
        1 + i % 9,
        [0, 1, 2, 3, 4, 6][(i % 6) as usize],
        v[0],
        v[1],
        v[2],
        format!("{}.", v[3].trunc() as i64 % 1000),
        v[4] as i64,
        v[5] as i64,
        v[6] % 1e3
    )
}

#[test]
fn learned_rows_agree_with_the_careful_parser_bit_for_bit() {
    for fmt in [delphes as fn(u64, [f64; 9]) -> String, mixed] {
        let lines = rows(fmt, 20_000);
        let mut layout = Layout::default();
        let mut hits = 0;
        for l in &lines {
            match via_layout(&layout, l) {
                Some(fast) => {
                    hits += 1;
                    assert_eq!(Some(&fast), careful(l).as_ref(), "{l}");
                    let Line::Row { object, .. } = fast else {
                        unreachable!()
                    };
                    let cols: Vec<&str> = l.split_whitespace().skip(2).collect();
                    let got = [
                        object.eta,
                        object.pt,
                        object.jmass,
                        object.ntrk,
                        object.btag,
                    ];
                    for (text, value) in [0, 2, 3, 4, 5].iter().map(|&c| cols[c]).zip(got) {
                        let want: f64 = text.parse().expect("number");
                        assert_eq!(value.to_bits(), want.to_bits(), "{text} in {l}");
                    }
                }
                None => {
                    if careful(l).is_some() {
                        layout.learn(window(&padded(l)));
                    }
                }
            }
        }
        assert!(hits > 10_000, "{hits}");
    }
}

#[test]
fn surprises_fall_back_to_the_general_path() {
    let base = "   1    4    0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0";
    let layout = learned(base);
    assert_eq!(via_layout(&layout, base), careful(base));
    for l in [
        // Same token ends, other shapes inside the columns.
        "   1    4   +0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0",
        "   1    4   -0.2.8    1.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0",
        "   1    4   -02681    1.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0",
        "   1    4   --.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0",
        "   1    4   0-.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0",
        "   1    4    x.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0",
        "   1    4    0.268    1.811   3 .43    0.00    1.0    0.0    0.16    0.0    0.0",
        "   1    4    0.268    1.811  3 6.43    0.00    1.0    0.0    0.16    0.0    0.0",
        "   1    4    0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0     -.",
        "   1    4    0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0    1-0",
        "   1    4    0.268   -1.811  -36.43    0.00    1.0    0.0    0.16    0.0    0.0",
        "   1    4    0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0 ",
        "   1    4    0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0\r",
        "   1    4    0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0\t0.0",
        "   1    4    0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0   0.00",
        "   1    4    0.268    1.81112236.43    0.00    1.0    0.0    0.16    0.0    0.0",
        "   1   14    0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0",
        "   1    5    0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0",
        "  -1    4    0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0",
        "   .    4    0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0",
        "   1    -    0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0",
        "   1    4    0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0\u{ff}",
        "   1    4    0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0",
    ] {
        assert_eq!(via_layout(&layout, l), None, "{l}");
    }
    // Accepted shapes: values the general path would take too, read the same.
    for l in [
        "   1    4    -.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0",
        "   1    4    0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0    -.0",
        "   1    4    0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0     .0",
        "   1    4   -0.000   -0.000   -0.00   -0.00   -0.0   -0.0   -0.00   -0.0   -0.0",
        "   1    4    0.268    1.811 1236.43    0.00    1.0    0.0    0.16    0.0    0.0",
        "  12    4  999.999    1.811 9999.99    0.00   99.0    0.0 9999.99 9999.9 9999.9",
        "   1    6    0.000    6.283    0.01    0.00    0.0    0.0    0.00    0.0    0.0",
    ] {
        let fast = via_layout(&layout, l);
        assert_eq!(fast, careful(l), "{l}");
    }
}

#[test]
fn out_of_range_values_are_left_to_the_careful_parser() {
    let base = "   1    4    0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0";
    let layout = learned(base);
    let s =
        padded("   1    4    0.268    9.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0");
    let mut v = [0.0; 10];
    // The layout reads the values; the range checks live in `row::object`.
    assert!(layout.row(window(&s), &mut v).is_some());
    assert_eq!(v[1], 9.811);
    assert!(via_layout(
        &layout,
        "   1    4    0.268    9.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0"
    )
    .is_none());
}

#[test]
fn rows_that_do_not_fit_words_teach_nothing() {
    let mut layout = Layout::default();
    for l in [
        "   1    4    0.268    1.811 123456.43    0.00    1.0    0.0    0.16    0.0    0.0",
        "   1   14    0.268    1.811   36.43    0.00    1.0    0.0    0.16    0.0    0.0",
        "   1    4    0.268    1.811   36.43",
        "    0             7        3585",
    ] {
        layout.learn(window(&padded(l)));
        assert!(!layout.is_learned(), "{l}");
    }
}

#[test]
fn portable_classes_match() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let alphabet = b" 0123456789.-+\t\r\nx\xff/";
    for _ in 0..2000 {
        let mut w = [0u8; SPAN];
        for b in w.iter_mut() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *b = alphabet[(state % alphabet.len() as u64) as usize];
        }
        for blocks in [1, 5, 8] {
            assert_eq!(classes(&w, blocks), classes_portable(&w, blocks));
        }
    }
}
