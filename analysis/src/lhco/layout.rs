//! Object rows in the file's own column layout, read without looking for tokens.
//!
//! printf output right-aligns every column, so in a file written by one tool nearly every object
//! row ends its tokens at the same offsets, with its decimal points at the same offsets. The
//! layout of one such row is learned from the file itself; a later row is checked against it
//! with a few whole-line byte classes (space, digit, dot, minus) and bit operations, and then
//! every numeric column is an 8-byte word with a known dot. Its value is a fixed weighted sum
//! of its digit bytes: a byte's weight is the power of ten of its place, 0 for the dot, for
//! bytes of the previous column and for leading spaces (which a saturating `- '0'` turns into
//! zero anyway). On x86_64 the sums run two columns at a time through SSE2 multiply-add stages.
//!
//! Any surprise (a moved dot, a token outside its column, a stray character, a `+`) makes
//! [`Layout::row`] answer `None` and the reader takes the general path, which is always correct.
//! Values are bit-identical to `str::parse::<f64>`: the digit sum is an exact integer below
//! 10^8 and dividing it by an exact power of ten is one correctly rounded IEEE operation.

use super::fast::{self, SPAN, WINDOW};
use crate::event::Kind;

/// Numeric columns after id and type that a row may have (`eta` ... `dum2`).
const MAX_COLS: usize = 9;

/// Exact powers of ten for the at most 7 decimals an 8-byte word can hold.
const POW10: [f64; 8] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7];

/// Two numeric columns, the unit of the SIMD conversion.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C, align(16))]
struct Pair {
    /// Stage weights: digit pairs, then pairs of pairs, then the two halves of each column.
    w1: [i16; 16],
    w2: [i16; 8],
    w3: [i16; 8],
    /// 0xff on the bytes of each word that belong to its column, where a `-` is its sign.
    keep: [u8; 16],
    /// 10^decimals of each column.
    scale: [f64; 2],
    /// Window offset of each column's 8-byte word.
    at: [usize; 2],
}

impl Default for Pair {
    fn default() -> Pair {
        Pair {
            w1: [0; 16],
            w2: [0; 8],
            w3: [0; 8],
            keep: [0; 16],
            scale: [1.0; 2],
            at: [0; 2],
        }
    }
}

/// The learned layout of an ordinary object row (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct Layout {
    learned: bool,
    /// Offset of the row's `\n`, and whether a `\r` precedes it.
    nl: usize,
    crlf: bool,
    /// Bits `0..end`: the bytes before the line terminator.
    line: u128,
    /// 16-byte blocks that hold the line.
    blocks: usize,
    /// Token ends (first byte after each token).
    ends: u128,
    /// Where the dots are.
    dots: u128,
    /// Bytes a token may occupy: the id, the type digit and the numeric columns.
    cover: u128,
    /// Bytes where a `-` may stand (numeric columns, after a space).
    signed: u128,
    /// Bytes that must be digits: the integer digit before a trailing dot, the last digit of a
    /// column without dot.
    digits: u128,
    id_end: usize,
    type_at: usize,
    pairs: [Pair; MAX_COLS.div_ceil(2)],
}

/// Byte classes of a line, one bit per byte.
#[cfg_attr(test, derive(Debug, PartialEq))]
struct Classes {
    space: u128,
    digit: u128,
    dot: u128,
    minus: u128,
}

impl Layout {
    /// Offset of the `\n` in rows of this layout: a row occupies `nl() + 1` bytes.
    #[inline(always)]
    pub(crate) fn nl(&self) -> usize {
        self.nl
    }

    /// Whether a layout is known, so rows are worth trying.
    #[inline(always)]
    pub(crate) fn is_learned(&self) -> bool {
        self.learned
    }

    /// Reads the row at the start of `w` if it has exactly the learned layout: returns its id
    /// and type and fills `v` with `eta phi pt jmass ntrk btag had/em dum1 dum2` (0 for absent
    /// dummy columns) and one spare slot. As in the reader's buffer, the first `\n` in `w` must
    /// end a complete line; bytes after it are looked at, never trusted.
    #[inline(always)]
    pub(crate) fn row(&self, w: &[u8; SPAN], v: &mut [f64; 10]) -> Option<(u64, Kind)> {
        let nl = self.nl & (WINDOW - 1);
        if w[nl] != b'\n' || (self.crlf && w[nl.wrapping_sub(1) & (WINDOW - 1)] != b'\r') {
            return None;
        }
        let c = classes(w, self.blocks);
        let tokens = self.line & !c.space;
        let ends = (tokens << 1) & !tokens;
        // Every check at once: same token ends, tokens only in their columns and made of digits,
        // dots and minus signs, dots where learned, a minus only opening a numeric token, and
        // the digits that keep a token from being just a sign or a dot.
        let bad = (ends ^ self.ends)
            | (tokens & !(self.cover & (c.digit | c.dot | c.minus)))
            | ((c.dot & self.line) ^ self.dots)
            | (c.minus & self.line & !(self.signed & (c.space << 1)))
            | (self.digits & !c.digit);
        if bad != 0 {
            return None;
        }
        let a = tokens.trailing_zeros() as usize;
        // Ids are nearly always one digit (already checked to be one).
        let index = if a + 1 == self.id_end {
            u64::from(w[a & (WINDOW - 1)] - b'0')
        } else {
            fast::uint(w, a, self.id_end.wrapping_sub(a))?
        };
        let kind = Kind::from_code(i64::from(w[self.type_at & (WINDOW - 1)]) - i64::from(b'0'))?;
        convert(&self.pairs, w, v);
        Some((index, kind))
    }

    /// Learns the layout of the row at the start of `w`, which the general path has accepted as
    /// an object row; forgets the old layout, and learns nothing when the row does not fit the
    /// scheme (a token wider than its 8-byte word, a line longer than the window).
    pub(crate) fn learn(&mut self, w: &[u8; SPAN]) {
        self.learned = false;
        let Some((tokens, ends, nl)) = fast::tokens(w) else {
            return;
        };
        let count = ends.count_ones() as usize;
        if !(9..=2 + MAX_COLS).contains(&count) {
            return;
        }
        let mut next = Layout {
            nl,
            crlf: w[nl - 1] == b'\r',
            line: (1u128 << (nl - usize::from(w[nl - 1] == b'\r'))) - 1,
            blocks: nl.div_ceil(16),
            ends,
            ..Layout::default()
        };
        let mut starts = tokens & !(tokens << 1);
        let mut left = ends;
        let mut prev_end = 0;
        for k in 0..count {
            let a = starts.trailing_zeros() as usize;
            let e = left.trailing_zeros() as usize;
            starts &= starts.wrapping_sub(1);
            left &= left.wrapping_sub(1);
            match k {
                0 => {
                    next.id_end = e;
                    next.cover |= bits(0, e);
                }
                1 if e - a == 1 => {
                    next.type_at = a;
                    next.cover |= 1 << a;
                }
                1 => return,
                _ if e < 8 || a < e - 8 => return,
                _ => {
                    let from = prev_end.max(e - 8);
                    next.cover |= bits(from, e);
                    next.signed |= bits(from, e);
                    let dot = w[a..e].iter().position(|&b| b == b'.').map(|p| a + p);
                    match dot {
                        Some(d) => next.dots |= 1 << d,
                        None => next.digits |= 1 << (e - 1),
                    }
                    if dot == Some(e - 1) {
                        next.digits |= 1 << (e - 2);
                    }
                    let (col, half) = ((k - 2) / 2, (k - 2) % 2);
                    next.pairs[col].set(half, e - 8, from - (e - 8), dot.map(|d| d - (e - 8)));
                }
            }
            prev_end = e;
        }
        next.learned = true;
        *self = next;
    }
}

impl Pair {
    /// Sets the weights of one column: its word starts at `at`, the column's own bytes start at
    /// word byte `from`, and `dot` is the word byte of its dot.
    fn set(&mut self, half: usize, at: usize, from: usize, dot: Option<usize>) {
        // place[i]: how many digit places follow byte i in the word, i.e. the power of ten of
        // byte i when it is a digit.
        let mut place = [0u32; 8];
        let mut after = 0;
        for i in (0..8).rev() {
            place[i] = after;
            if i >= from && Some(i) != dot {
                after += 1;
            }
        }
        let weighted = |i: usize| i >= from && Some(i) != dot;
        for i in 0..8 {
            // Within a digit pair, relative to the pair's last byte.
            self.w1[8 * half + i] = if weighted(i) {
                10i16.pow(place[i] - place[i | 1])
            } else {
                0
            };
            self.keep[8 * half + i] = if i >= from { 0xff } else { 0 };
        }
        for p in 0..4 {
            self.w2[4 * half + p] = 10i16.pow(place[2 * p + 1] - place[(2 * p + 1) | 3]);
        }
        for q in 0..2 {
            self.w3[2 * half + q] = 10i16.pow(place[4 * q + 3] - place[7]);
        }
        self.scale[half] = dot.map_or(1.0, |d| POW10[place[d] as usize]);
        self.at[half] = at;
    }
}

/// Bits `from..to`.
fn bits(from: usize, to: usize) -> u128 {
    (u128::MAX >> (128 - (to - from))) << from
}

/// The byte classes of the first `blocks` 16-byte blocks of `w`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn classes(w: &[u8; SPAN], blocks: usize) -> Classes {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_set1_epi8,
    };
    let mut c = Classes {
        space: 0,
        digit: 0,
        dot: 0,
        minus: 0,
    };
    for k in 0..WINDOW / 16 {
        if k == blocks {
            break;
        }
        let block = &w[16 * k..16 * k + 16];
        // SAFETY: SSE2 is part of the x86_64 baseline; the unaligned load reads exactly the 16
        // bytes of `block`.
        let (space, digit, dot, minus) = unsafe {
            let x = _mm_loadu_si128(block.as_ptr().cast::<__m128i>());
            // '0'..='9' map to -128..=-119 and nothing else does.
            let shifted = _mm_add_epi8(x, _mm_set1_epi8(0x50));
            (
                _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(b' ' as i8))),
                _mm_movemask_epi8(_mm_cmplt_epi8(shifted, _mm_set1_epi8(-118))),
                _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(b'.' as i8))),
                _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(b'-' as i8))),
            )
        };
        let at = 16 * k;
        c.space |= u128::from(space as u16) << at;
        c.digit |= u128::from(digit as u16) << at;
        c.dot |= u128::from(dot as u16) << at;
        c.minus |= u128::from(minus as u16) << at;
    }
    c
}

/// The same classes one byte at a time, for targets without SSE2 (and as a cross-check in
/// tests).
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline(always)]
fn classes_portable(w: &[u8; SPAN], blocks: usize) -> Classes {
    let mut c = Classes {
        space: 0,
        digit: 0,
        dot: 0,
        minus: 0,
    };
    for (i, &b) in w[..16 * blocks].iter().enumerate() {
        c.space |= u128::from(b == b' ') << i;
        c.digit |= u128::from(b.is_ascii_digit()) << i;
        c.dot |= u128::from(b == b'.') << i;
        c.minus |= u128::from(b == b'-') << i;
    }
    c
}

/// The values of all columns: per pair, two words side by side; `- '0'` with saturation turns
/// spaces, signs and dots into 0; three multiply-add stages sum the weighted digits (each stage
/// stays below 2^15, so the packs between them are exact); one conversion and one division per
/// two columns; a `-` in a column's own bytes sets its sign bit (so `-0.00` is −0, as in std).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn convert(pairs: &[Pair; 5], w: &[u8; SPAN], v: &mut [f64; 10]) {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_castsi128_pd, _mm_cmpeq_epi8, _mm_cvtepi32_pd, _mm_div_pd,
        _mm_loadl_epi64, _mm_loadu_pd, _mm_loadu_si128, _mm_madd_epi16, _mm_or_pd, _mm_packs_epi32,
        _mm_sad_epu8, _mm_set1_epi8, _mm_setzero_si128, _mm_slli_epi64, _mm_storeu_pd,
        _mm_subs_epu8, _mm_unpackhi_epi8, _mm_unpacklo_epi64, _mm_unpacklo_epi8,
    };
    for (k, p) in pairs.iter().enumerate() {
        let a = &w[p.at[0] & (WINDOW - 1)..][..8];
        let b = &w[p.at[1] & (WINDOW - 1)..][..8];
        let out = &mut v[2 * k..2 * k + 2];
        // SAFETY: SSE2 is part of the x86_64 baseline. The loads read the 8 bytes of `a` and
        // `b` and the 16-byte weight arrays and the 2 scales of `p`; the store writes `out`.
        unsafe {
            let zero = _mm_setzero_si128();
            let raw = _mm_unpacklo_epi64(
                _mm_loadl_epi64(a.as_ptr().cast::<__m128i>()),
                _mm_loadl_epi64(b.as_ptr().cast::<__m128i>()),
            );
            let d = _mm_subs_epu8(raw, _mm_set1_epi8(b'0' as i8));
            let weights = |x: &[i16]| _mm_loadu_si128(x.as_ptr().cast::<__m128i>());
            let lo = _mm_madd_epi16(_mm_unpacklo_epi8(d, zero), weights(&p.w1[..8]));
            let hi = _mm_madd_epi16(_mm_unpackhi_epi8(d, zero), weights(&p.w1[8..]));
            let quads = _mm_madd_epi16(_mm_packs_epi32(lo, hi), weights(&p.w2));
            let sums = _mm_madd_epi16(_mm_packs_epi32(quads, quads), weights(&p.w3));
            let x = _mm_div_pd(_mm_cvtepi32_pd(sums), _mm_loadu_pd(p.scale.as_ptr()));
            let keep = _mm_loadu_si128(p.keep.as_ptr().cast::<__m128i>());
            let minus = _mm_and_si128(_mm_cmpeq_epi8(raw, _mm_set1_epi8(b'-' as i8)), keep);
            let sign = _mm_slli_epi64(_mm_sad_epu8(minus, zero), 63);
            _mm_storeu_pd(out.as_mut_ptr(), _mm_or_pd(x, _mm_castsi128_pd(sign)));
        }
    }
}

/// The same sums one byte at a time, for targets without SSE2 (and as a cross-check in tests).
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline(always)]
fn convert_portable(pairs: &[Pair; 5], w: &[u8; SPAN], v: &mut [f64; 10]) {
    for (k, p) in pairs.iter().enumerate() {
        for half in 0..2 {
            let mut sum = 0i64;
            let mut neg = false;
            for i in 0..8 {
                let b = w[(p.at[half] & (WINDOW - 1)) + i];
                let j = 8 * half + i;
                let weight = i64::from(p.w1[j])
                    * i64::from(p.w2[4 * half + i / 2])
                    * i64::from(p.w3[2 * half + i / 4]);
                sum += i64::from(b.saturating_sub(b'0')) * weight;
                neg |= b == b'-' && p.keep[j] != 0;
            }
            let x = sum as f64 / p.scale[half];
            v[2 * k + half] = f64::from_bits(x.to_bits() | u64::from(neg) << 63);
        }
    }
}

#[cfg(not(target_arch = "x86_64"))]
use {classes_portable as classes, convert_portable as convert};

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
