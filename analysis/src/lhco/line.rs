//! Classifying and parsing one LHCO line straight from bytes.
//!
//! This is the reader's hot path, so it works on the raw buffer: no `String`, no `split`, no
//! allocation unless the line is bad. The caller guarantees every line ends with `\n`, which
//! lets the scanners run without bounds checks of their own (the `\n` stops every loop).

use super::error::Reason;
use super::row::{self, Line};
use crate::event::Kind;

/// Column names for error messages, indexed by column.
pub(crate) const COLUMNS: [&str; 11] = [
    "id", "type", "eta", "phi", "pt", "jmass", "ntrk", "btag", "had/em", "dum1", "dum2",
];

/// Exactly representable powers of ten: dividing an integer mantissa below 2^53 by one of these
/// is a single correctly rounded IEEE operation, so the fast path is exact, not approximate.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A rejected line: the category plus human detail (built only on this cold path).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LineError {
    pub reason: Reason,
    pub detail: String,
    /// The line was an event header, so in lenient mode it still ends the previous event.
    pub in_header: bool,
}

fn err(reason: Reason, detail: String) -> LineError {
    LineError {
        reason,
        detail,
        in_header: false,
    }
}

/// Index of the `\n` ending the line that contains `i`.
pub(crate) fn line_end(s: &[u8], i: usize) -> usize {
    s[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(s.len(), |p| i + p)
}

#[inline(always)]
fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t' || b == b'\r'
}

#[inline(always)]
fn is_delim(b: u8) -> bool {
    is_space(b) || b == b'\n'
}

#[inline(always)]
fn skip_space(s: &[u8], mut i: usize) -> usize {
    while is_space(s[i]) {
        i += 1;
    }
    i
}

#[inline(always)]
fn token_end(s: &[u8], mut i: usize) -> usize {
    while !is_delim(s[i]) {
        i += 1;
    }
    i
}

fn token_text(s: &[u8], i: usize) -> String {
    super::error::printable(&s[i..token_end(s, i)], 40)
}

/// Why a token is not the number the column needs.
enum NumError {
    Invalid,
    NonFinite,
    NotInteger,
    Negative,
}

/// Parses a float token starting at `i` (not whitespace); returns the value and the end.
#[inline(always)]
fn float(s: &[u8], i: usize) -> Result<(f64, usize), NumError> {
    let mut j = i;
    let neg = s[j] == b'-';
    if neg || s[j] == b'+' {
        j += 1;
    }
    let mut mant: u64 = 0;
    let digits_start = j;
    while s[j].is_ascii_digit() {
        mant = mant.wrapping_mul(10).wrapping_add(u64::from(s[j] - b'0'));
        j += 1;
    }
    let int_digits = j - digits_start;
    let mut frac_digits = 0;
    if s[j] == b'.' {
        j += 1;
        let frac_start = j;
        while s[j].is_ascii_digit() {
            mant = mant.wrapping_mul(10).wrapping_add(u64::from(s[j] - b'0'));
            j += 1;
        }
        frac_digits = j - frac_start;
    }
    let ndigits = int_digits + frac_digits;
    if is_delim(s[j]) && ndigits > 0 && ndigits <= 19 && mant <= (1u64 << 53) {
        let v = mant as f64 / POW10[frac_digits];
        return Ok((if neg { -v } else { v }, j));
    }
    float_slow(s, i)
}

/// Exponents, very long mantissas and words (`inf`, `nan`) go through the standard library,
/// which is correct for everything and only slower.
#[cold]
fn float_slow(s: &[u8], i: usize) -> Result<(f64, usize), NumError> {
    let end = token_end(s, i);
    let text = std::str::from_utf8(&s[i..end]).map_err(|_| NumError::Invalid)?;
    let v: f64 = text.parse().map_err(|_| NumError::Invalid)?;
    if v.is_finite() {
        Ok((v, end))
    } else {
        Err(NumError::NonFinite)
    }
}

/// Parses a non-negative integer token (optional `+`); says precisely why when it is not one.
#[inline(always)]
fn uint(s: &[u8], i: usize) -> Result<(u64, usize), NumError> {
    let mut j = i;
    if s[j] == b'+' {
        j += 1;
    }
    let start = j;
    let mut v: u64 = 0;
    while s[j].is_ascii_digit() {
        v = match v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(s[j] - b'0')))
        {
            Some(v) => v,
            None => return Err(NumError::Invalid),
        };
        j += 1;
    }
    if j > start && is_delim(s[j]) {
        return Ok((v, j));
    }
    uint_failure(s, i)
}

#[cold]
fn uint_failure(s: &[u8], i: usize) -> Result<(u64, usize), NumError> {
    match float_slow(s, i) {
        Ok((v, _)) if v.fract() == 0.0 && v < 0.0 => Err(NumError::Negative),
        Ok(_) => Err(NumError::NotInteger),
        Err(e) => Err(e),
    }
}

fn number_error(e: NumError, col: &str, token: String) -> LineError {
    match e {
        NumError::Invalid => err(Reason::InvalidNumber, format!("column {col}: `{token}`")),
        NumError::NonFinite => err(Reason::NonFinite, format!("column {col}: `{token}`")),
        NumError::NotInteger => err(Reason::NotInteger, format!("{col} `{token}`")),
        NumError::Negative => err(Reason::Negative, format!("{col} `{token}`")),
    }
}

/// Whether a first token should be read as a number: a digit, or a sign/dot then a digit.
/// Anything else (`BeginEvent`, `---`) is a marker line the rules tell us to skip.
fn looks_numeric(s: &[u8], i: usize) -> bool {
    let c = s[i];
    if c.is_ascii_digit() {
        return true;
    }
    if c == b'+' || c == b'-' || c == b'.' {
        let d = s[i + 1];
        return d.is_ascii_digit() || (d == b'.' && c != b'.' && s[i + 2].is_ascii_digit());
    }
    false
}

/// Classifies and parses the line starting at `i`, returning it with the index of its
/// terminating `\n`. The slice must contain a `\n` at or after `i`.
#[inline]
pub(crate) fn parse_line(s: &[u8], i: usize) -> Result<(Line, usize), LineError> {
    let i = skip_space(s, i);
    match s[i] {
        b'\n' => return Ok((Line::Blank, i)),
        b'#' => return Ok((Line::Comment, line_end(s, i))),
        _ => {}
    }
    if !looks_numeric(s, i) {
        return Ok((Line::Marker, line_end(s, i)));
    }
    let (id, j) = uint(s, i).map_err(|e| number_error(e, "row id", token_text(s, i)))?;
    if id == 0 {
        parse_header(s, j)
    } else {
        parse_row(s, id, j)
    }
}

#[cold]
fn parse_header(s: &[u8], j: usize) -> Result<(Line, usize), LineError> {
    parse_header_fields(s, j).map_err(|mut e| {
        e.in_header = true;
        e
    })
}

fn parse_header_fields(s: &[u8], j: usize) -> Result<(Line, usize), LineError> {
    let mut cols = 1;
    let mut fields = [0u64; 2];
    let mut weight = None;
    let mut i = skip_space(s, j);
    while s[i] != b'\n' {
        cols += 1;
        let end = match cols {
            2 | 3 => {
                let name = if cols == 2 {
                    "event number"
                } else {
                    "trigger word"
                };
                let (v, end) = uint(s, i).map_err(|e| number_error(e, name, token_text(s, i)))?;
                fields[cols - 2] = v;
                end
            }
            4 => {
                let (w, end) =
                    float(s, i).map_err(|e| number_error(e, "weight", token_text(s, i)))?;
                weight = Some(w);
                end
            }
            _ => token_end(s, i),
        };
        i = skip_space(s, end);
    }
    match cols {
        1 => Ok((Line::Marker, i)),
        3 | 4 => Ok((
            Line::Header {
                number: fields[0],
                trigger: fields[1],
                weight,
            },
            i,
        )),
        n => Err(err(
            Reason::BadHeader,
            format!("{n} columns; an event header is `0 <event> <trigger> [weight]`"),
        )),
    }
}

#[inline(always)]
fn next_float(s: &[u8], i: usize, col: usize) -> Result<(f64, usize), LineError> {
    let i = skip_space(s, i);
    if s[i] == b'\n' {
        return Err(too_few(col));
    }
    float(s, i).map_err(|e| number_error(e, COLUMNS[col], token_text(s, i)))
}

#[cold]
fn too_few(found: usize) -> LineError {
    err(
        Reason::TooFewColumns,
        format!("{found} columns; an object row needs at least 9"),
    )
}

#[inline(always)]
fn parse_row(s: &[u8], index: u64, j: usize) -> Result<(Line, usize), LineError> {
    let i = skip_space(s, j);
    if s[i] == b'\n' {
        return Err(too_few(1));
    }
    let (code, mut i) = uint(s, i).map_err(|e| match e {
        NumError::NotInteger => err(
            Reason::NotInteger,
            format!("type code `{}`", token_text(s, i)),
        ),
        e => number_error(e, "type", token_text(s, i)),
    })?;
    let kind = i64::try_from(code)
        .ok()
        .and_then(Kind::from_code)
        .ok_or_else(|| err(Reason::UnknownType, format!("type code {code}")))?;
    let mut v = [0.0f64; 9];
    for (k, slot) in v.iter_mut().take(7).enumerate() {
        let (x, end) = next_float(s, i, k + 2)?;
        *slot = x;
        i = end;
    }
    let mut col = 9;
    loop {
        i = skip_space(s, i);
        if s[i] == b'\n' {
            break;
        }
        let (x, end) = float(s, i).map_err(|e| {
            let name = COLUMNS.get(col).copied().unwrap_or("extra");
            number_error(e, name, token_text(s, i))
        })?;
        if col < 11 {
            v[col - 2] = x;
        }
        col += 1;
        i = end;
    }
    let Some(object) = row::object(kind, v) else {
        // `object` refuses exactly these two; say which, φ first.
        let [_, phi, pt, ..] = v;
        return Err(if row::stored_phi(phi).is_none() {
            err(Reason::PhiOutOfRange, format!("phi {phi}"))
        } else {
            err(Reason::NegativePt, format!("pt {pt}"))
        });
    };
    Ok((Line::Row { index, object }, i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::TAU;

    fn num(text: &str) -> Option<f64> {
        let s = format!("{text}\n");
        float(s.as_bytes(), 0).ok().map(|(v, _)| v)
    }

    #[test]
    fn fast_path_matches_std_exactly() {
        for t in [
            "0",
            "-2.047",
            "80.10",
            "999.90",
            "+0.000",
            "6.283",
            "0.1",
            "1234567.8901234",
            "-0.0",
            "5",
            "12.",
            ".5",
            "1e3",
            "+8.78256E-04",
            "123456789012345678901",
        ] {
            let want: f64 = t.parse().unwrap();
            assert_eq!(num(t).map(f64::to_bits), Some(want.to_bits()), "{t}");
        }
    }

    #[test]
    fn rejects_non_numbers_and_non_finite() {
        for t in ["abc", "1.2.3", "-", "+INF", "nan", "1e999", "1,5"] {
            assert_eq!(num(t), None, "{t}");
        }
    }

    #[test]
    fn classifies_lines() {
        let p = |t: &str| parse_line(format!("{t}\n").as_bytes(), 0).map(|(l, _)| l);
        assert_eq!(p("   "), Ok(Line::Blank));
        assert_eq!(p("  # typ eta"), Ok(Line::Comment));
        assert_eq!(p(" BeginEvent  0"), Ok(Line::Marker));
        assert_eq!(p("           0"), Ok(Line::Marker));
        assert_eq!(
            p("  0   7  3585"),
            Ok(Line::Header {
                number: 7,
                trigger: 3585,
                weight: None
            })
        );
        assert!(matches!(
            p("  0   7  0  0.5"),
            Ok(Line::Header {
                weight: Some(w),
                ..
            }) if w == 0.5
        ));
        let row = p("  1    2   -0.268  5.655    5.19    0.11   1.0   5.0    20.99   0.0   0.0");
        match row {
            Ok(Line::Row { index: 1, object }) => {
                assert_eq!(object.kind, Kind::Muon);
                assert!((object.phi - (5.655 - TAU)).abs() < 1e-12);
                assert_eq!(object.btag, 5.0);
            }
            other => panic!("{other:?}"),
        }
    }
}
