//! The fast path for ordinary lines: structural masks over a fixed window, then branch-light
//! number parsing on 8-byte words.
//!
//! Real LHCO files are printf output (`%4d %4d %8.3f ...`): short tokens of digits, one dot and
//! an optional sign, separated by spaces. For such a line this module finds every token with
//! two byte comparisons per 16 bytes (SSE2 on x86_64, which is baseline) and converts each token
//! with a handful of integer operations instead of a loop per digit, whose data-dependent exits
//! the branch predictor cannot learn.
//!
//! It only ever answers for lines it fully understands: anything else (tabs, exponents, tokens
//! longer than 8 digits, headers with weights in unusual form, any value the careful parser
//! would reject) returns `None`, and the caller runs [`super::line::parse_line`], which
//! produces the exact result or error. Every number accepted here is bit-identical to
//! `str::parse::<f64>`: the mantissa has at most 8 digits, so dividing it by an exact power of
//! ten is one correctly rounded IEEE operation.
//!
//! Object rows in a file's usual layout do not come here at all: [`super::layout`] reads them
//! column by known column.

use super::row::{object, Line};
use crate::event::Kind;

/// Bytes examined per line: Delphes rows are 80 bytes; longer lines take the careful path.
pub(crate) const WINDOW: usize = 128;
/// The window plus room for an 8-byte load at any token start inside it.
pub(crate) const SPAN: usize = WINDOW + 8;

const ONES: u64 = 0x0101_0101_0101_0101;
const ASCII_0: u64 = 0x3030_3030_3030_3030;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Exact powers of ten for the at most 7 fractional digits an 8-byte token can have.
const POW10: [f64; 8] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7];

/// Parses the line starting at `start` if it is an ordinary object row or event header,
/// returning it with the index of its `\n`. `s` may extend past the last complete line (the
/// bytes there are only looked at, never trusted): the first `\n` after `start` must belong to
/// a complete line, which is what the reader's buffer guarantees.
#[inline]
pub(crate) fn parse_line(s: &[u8], start: usize) -> Option<(Line, usize)> {
    let w = window(s, start)?;
    let (tokens, ends, nl) = tokens(w)?;
    // Headers and short rows fit 64 bits, where each token step costs a third as much.
    let line = if nl < 64 {
        general(w, tokens as u64, ends as u64)?
    } else {
        general(w, tokens, ends)?
    };
    Some((line, start + nl))
}

/// The bit-mask operations [`general`] walks tokens with, for 64- and 128-byte windows.
trait Mask: Copy + std::ops::BitAnd<Output = Self> + std::ops::BitAndAssign {
    fn lowest(self) -> usize;
    fn without_lowest(self) -> Self;
    fn starts(self) -> Self;
}

/// The same three operations for both window widths.
macro_rules! impl_mask {
    ($($t:ty),*) => {$(
        impl Mask for $t {
            #[inline(always)]
            fn lowest(self) -> usize {
                self.trailing_zeros() as usize
            }
            #[inline(always)]
            fn without_lowest(self) -> Self {
                self & self.wrapping_sub(1)
            }
            #[inline(always)]
            fn starts(self) -> Self {
                self & !(self << 1)
            }
        }
    )*};
}
impl_mask!(u64, u128);

/// The [`SPAN`] bytes from `start`, or `None` too close to the end of `s`.
#[inline(always)]
pub(crate) fn window(s: &[u8], start: usize) -> Option<&[u8; SPAN]> {
    s.get(start..start + SPAN)?.try_into().ok()
}

/// Token and token-end masks of the line at the start of `w`, with the offset of its `\n`;
/// `None` when the line does not fit the window.
#[inline(always)]
pub(crate) fn tokens(w: &[u8; SPAN]) -> Option<(u128, u128, usize)> {
    let (space, newline) = masks(w);
    let nl = newline.trailing_zeros();
    if nl as usize >= WINDOW {
        return None;
    }
    // A CRLF file: the `\r` is a separator, like the careful parser treats it.
    let end = if nl > 0 && w[(nl as usize - 1) & (WINDOW - 1)] == b'\r' {
        nl - 1
    } else {
        nl
    };
    let tokens = !space & ((1u128 << end) - 1);
    Some((tokens, (tokens << 1) & !tokens, nl as usize))
}

/// Any ordinary row or header, with token boundaries found bit by bit.
#[inline(always)]
fn general<M: Mask>(w: &[u8; SPAN], tokens: M, ends: M) -> Option<Line> {
    let mut starts = tokens.starts();
    let mut ends = ends;
    // Tokens are taken in order and their number checked by what is left, not counted up
    // front: baseline x86_64 has no popcount instruction. Past the last token, `next` gives an
    // empty token, which every number parser rejects.
    let mut next = || {
        let a = starts.lowest();
        let b = ends.lowest();
        starts = starts.without_lowest();
        ends = ends.without_lowest();
        (a, b - a)
    };
    let (a, len) = next();
    if len == 1 && w[a & (WINDOW - 1)] == b'0' {
        let (a, len) = next();
        let number = uint(w, a, len)?;
        let (a, len) = next();
        let trigger = uint(w, a, len)?;
        let (a, len) = next();
        let weight = if len == 0 {
            None
        } else {
            Some(float(w, a, len)?)
        };
        let (_, len) = next();
        return (len == 0).then_some(Line::Header {
            number,
            trigger,
            weight,
        });
    }
    let index = uint(w, a, len)?;
    if index == 0 {
        return None;
    }
    let (a, len) = next();
    let kind = kind(w, a, len)?;
    let mut v = [0.0f64; 9];
    for (k, slot) in v.iter_mut().enumerate() {
        let (a, len) = next();
        if k >= 7 && len == 0 {
            break;
        }
        *slot = float(w, a, len)?;
    }
    let (_, len) = next();
    if len != 0 {
        return None;
    }
    object_row(index, kind, v)
}

/// Builds an object row from its numeric columns; `None` when a value is out of range, so the
/// careful parser words the error.
#[inline(always)]
fn object_row(index: u64, kind: Kind, v: [f64; 9]) -> Option<Line> {
    let object = object(kind, v)?;
    Some(Line::Row { index, object })
}

/// Bit `i` set where `w[i]` is a space, and where it is a newline, for the first
/// [`WINDOW`] bytes. The second half is only classified when the line is longer than 64 bytes.
#[inline(always)]
fn masks(w: &[u8; SPAN]) -> (u128, u128) {
    let (sp, nl) = masks64(w, 0);
    if nl != 0 {
        return (u128::from(sp), u128::from(nl));
    }
    let (sp2, nl2) = masks64(w, 64);
    (
        u128::from(sp) | u128::from(sp2) << 64,
        u128::from(nl2) << 64,
    )
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn masks64(w: &[u8; SPAN], at: usize) -> (u64, u64) {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    let mut sp = 0u64;
    let mut nl = 0u64;
    for k in 0..4 {
        let chunk = &w[at + 16 * k..at + 16 * k + 16];
        // SAFETY: SSE2 is part of the x86_64 baseline, and the unaligned load reads exactly the
        // 16 bytes of `chunk`.
        let (a, b) = unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
            (
                _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8))),
                _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8))),
            )
        };
        sp |= u64::from(a as u16) << (16 * k);
        nl |= u64::from(b as u16) << (16 * k);
    }
    (sp, nl)
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn masks64(w: &[u8; SPAN], at: usize) -> (u64, u64) {
    let mut sp = 0u64;
    let mut nl = 0u64;
    for (i, &b) in w[at..at + 64].iter().enumerate() {
        sp |= u64::from(b == b' ') << i;
        nl |= u64::from(b == b'\n') << i;
    }
    (sp, nl)
}

/// The 8 bytes at `a` (a token start inside the window), little-endian.
#[inline(always)]
fn load(w: &[u8; SPAN], a: usize) -> u64 {
    let a = a & (WINDOW - 1);
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&w[a..a + 8]);
    u64::from_le_bytes(bytes)
}

/// Converts `n` (1..=8) ASCII digits held in the low bytes of `x`, first digit lowest, after
/// checking they are all digits. The digits are moved to the top and padded with leading
/// `'0'`s so one multiply-shift sequence handles every length.
#[inline(always)]
fn digits(x: u64, n: usize) -> Option<u64> {
    let x = x << (64 - 8 * n) | (ASCII_0 >> (8 * n - 8)) >> 8;
    let below = x.wrapping_sub(ASCII_0);
    let above = x.wrapping_add(0x4646_4646_4646_4646);
    if (below | above) & HIGH != 0 {
        return None;
    }
    // Pairs, then quads, then the full 8 digits (the fast_float / simdjson sequence).
    let v = below.wrapping_mul(10).wrapping_add(below >> 8);
    const MASK: u64 = 0x0000_00FF_0000_00FF;
    const MUL1: u64 = 0x000F_4240_0000_0064;
    const MUL2: u64 = 0x0000_2710_0000_0001;
    Some(
        ((v & MASK)
            .wrapping_mul(MUL1)
            .wrapping_add(((v >> 16) & MASK).wrapping_mul(MUL2)))
            >> 32,
    )
}

/// `m as f64` for `m < 2^52`, computed by placing `m` in the mantissa of 2^52 and subtracting
/// 2^52 (exact). `cvtsi2sd` would be just as exact, but it only writes half its register and so
/// waits for the previous division into that register: that false dependency chained every
/// number of a line into one long serial sequence of divisions.
#[inline(always)]
fn exact_f64(m: u64) -> f64 {
    const TWO_52: f64 = 4_503_599_627_370_496.0;
    f64::from_bits(m | TWO_52.to_bits()) - TWO_52
}

/// An unsigned integer token of 1 to 8 digits.
#[inline(always)]
pub(crate) fn uint(w: &[u8; SPAN], a: usize, len: usize) -> Option<u64> {
    if !(1..=8).contains(&len) {
        return None;
    }
    digits(load(w, a) & (u64::MAX >> (64 - 8 * len)), len)
}

/// A single-digit LHCO type code.
#[inline(always)]
fn kind(w: &[u8; SPAN], a: usize, len: usize) -> Option<Kind> {
    if len != 1 {
        return None;
    }
    Kind::from_code(i64::from(w[a & (WINDOW - 1)]) - i64::from(b'0'))
}

/// `[+-]digits[.digits]` with at most 8 digits and at least one; anything else is `None`.
#[inline(always)]
fn float(w: &[u8; SPAN], a: usize, len: usize) -> Option<f64> {
    let first = w[a & (WINDOW - 1)];
    let neg = first == b'-';
    let signed = usize::from(neg || first == b'+');
    let len = len.wrapping_sub(signed);
    if !(1..=8).contains(&len) {
        return None;
    }
    let x = load(w, a + signed);
    let keep = u64::MAX >> (64 - 8 * len);
    let x = x & keep;
    let d = x ^ 0x2e2e_2e2e_2e2e_2e2e;
    // The lowest flagged byte is exactly the first dot (false flags only sit above a hit); a
    // second dot stays among the digits and fails their check.
    let dots = d.wrapping_sub(ONES) & !d & HIGH & keep;
    let (x, n, frac) = if dots == 0 {
        (x, len, 0)
    } else {
        let p = (dots.trailing_zeros() / 8) as usize;
        let low = x & ((1u64 << (8 * p)) - 1);
        let high = (x >> (8 * p)) >> 8;
        (low | high << (8 * p), len - 1, len - 1 - p)
    };
    if n == 0 {
        return None;
    }
    let v = exact_f64(digits(x, n)?) / POW10[frac & 7];
    // Setting the sign bit of a non-negative value negates it exactly (including 0 -> -0) and,
    // unlike a branch on a random sign, costs nothing when the predictor cannot guess.
    Some(f64::from_bits(v.to_bits() | u64::from(neg) << 63))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn padded(text: &str) -> Vec<u8> {
        let mut s = text.as_bytes().to_vec();
        s.push(b'\n');
        s.resize(s.len() + SPAN, b'x');
        s
    }

    fn token(text: &str) -> Option<f64> {
        let s = padded(text);
        let w: &[u8; SPAN] = s[..SPAN].try_into().ok()?;
        float(w, 0, text.len())
    }

    #[test]
    fn floats_match_std_bit_for_bit() {
        let mut cases: Vec<String> = [
            "0",
            "-0",
            "+0",
            "-0.000",
            "0.1",
            "-2.047",
            "80.10",
            "999.90",
            "6.283",
            "12.",
            ".5",
            "-.5",
            "99999999",
            "9999999.9",
            "-1234.5678",
            "0.0000001",
            "+8.78",
            "00000001",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for i in 0..20_000u64 {
            let x = i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 37;
            let p = (i % 8) as usize;
            cases.push(format!("{:.*}", p, x as f64 / 10f64.powi(p as i32)));
            cases.push(format!("-{:.*}", p, (x % 1000) as f64 / 7.0));
        }
        for t in &cases {
            let want = t.parse::<f64>().ok();
            let got = token(t);
            let len = t.len() - usize::from(t.starts_with(['+', '-']));
            if len <= 8 || got.is_some() {
                assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{t}");
            }
        }
    }

    #[test]
    fn anything_unusual_is_left_to_the_careful_parser() {
        for t in [
            "",
            "-",
            "+",
            ".",
            "-.",
            "1.2.3",
            "1e3",
            "+INF",
            "nan",
            "1,5",
            "--1",
            "1-",
            "123456789",
            "12345678.9",
            "0x10",
            "1\t2",
            "١",
            "\u{ff}",
        ] {
            assert_eq!(token(t), None, "{t:?}");
        }
    }

    #[test]
    fn lines_agree_with_the_careful_parser() {
        let lines = [
            "  1    2   -0.268  5.655    5.19    0.11   1.0   5.0    20.99   0.0   0.0",
            "  3    6    0.000  3.142   41.27    0.00   0.0   0.0     0.00",
            "  2    4    1.000 -3.150  100.00   12.00   3.0   2.0    0.50   0.0",
            "    0             7        3585",
            "    0             7        3585 0.25",
            "  1    4    1.0  1.0  1.0  1.0  1.0  1.0  1.0  0.0  0.0\r",
        ];
        for l in lines {
            let s = padded(l);
            let fast = parse_line(&s, 0);
            let careful = super::super::line::parse_line(&s, 0).ok();
            assert!(fast.is_some(), "{l}");
            assert_eq!(fast, careful, "{l}");
        }
        for l in [
            "  1    5   -0.268  5.655    5.19    0.11   1.0   5.0    20.99",
            "  1    2   -0.268  9.655    5.19    0.11   1.0   5.0    20.99",
            "  1    2   -0.268  1.655   -5.19    0.11   1.0   5.0    20.99",
            "  1    2   -0.268  1.655    5.19    0.11   1.0   5.0",
            "  0    2   -0.268  1.655    5.19    0.11   1.0   5.0    20.99",
            "  1.5  2   -0.268  1.655    5.19    0.11   1.0   5.0    20.99",
            "  1    2   -0.268  1.655    5.19    0.11   1.0   5.0    2e1",
            "  1    2\t-0.268  1.655    5.19    0.11   1.0   5.0    20.99",
            "    0             7        3585 0.25 1",
            "    0",
            "# 1 2 3",
            "BeginEvent",
        ] {
            assert_eq!(parse_line(&padded(l), 0), None, "{l}");
        }
    }
}
