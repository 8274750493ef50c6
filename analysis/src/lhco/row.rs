//! What both line parsers share: the classified [`Line`], the φ convention and the object
//! built from a row's numbers. The fast parser and the careful one ([`super::line`]) both
//! build on this; neither reaches into the other.

use std::f64::consts::{PI, TAU};

use crate::event::{Kind, Object};

/// φ may exceed its convention's edge by this much because files print φ rounded to 3 decimals
/// (a Delphes −π prints as −3.142).
const PHI_SLACK: f64 = 0.01;

/// φ as stored: values above π (+ slack) come from the [0, 2π] convention and are shifted
/// into [−π, π]; `None` when φ is outside both conventions. Both parsers use this one rule.
#[inline(always)]
pub(crate) fn stored_phi(phi: f64) -> Option<f64> {
    if !(-PI - PHI_SLACK..=TAU + PHI_SLACK).contains(&phi) {
        return None;
    }
    Some(if phi > PI + PHI_SLACK { phi - TAU } else { phi })
}

/// One classified line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Line {
    /// Empty or whitespace only.
    Blank,
    /// Starts with `#`.
    Comment,
    /// First token is not a number (MG5 markers), or a bare `0`.
    Marker,
    /// `0 <event> <trigger> [weight]`.
    Header {
        number: u64,
        trigger: u64,
        weight: Option<f64>,
    },
    /// An object row with its id.
    Row { index: u64, object: Object },
}

/// An object from its numeric columns `eta phi pt jmass ntrk btag had/em dum1 dum2`, with φ
/// normalised; `None` when φ or pT is out of range (the careful parser then words the error).
#[inline(always)]
pub(crate) fn object(kind: Kind, v: [f64; 9]) -> Option<Object> {
    let [eta, phi, pt, jmass, ntrk, btag, had_em, dum1, dum2] = v;
    if pt < 0.0 {
        return None;
    }
    let phi = stored_phi(phi)?;
    Some(Object {
        kind,
        eta,
        phi,
        pt,
        jmass,
        ntrk,
        btag,
        had_em,
        dum1,
        dum2,
    })
}
