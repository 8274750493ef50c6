//! Formulas on bare angles, below the object helpers: [`crate::kinematics`] and
//! [`crate::physics`] both build on them, so neither needs the other for an angle.

use std::f64::consts::{PI, TAU};

/// Wraps an angle difference to [0, π]: the azimuthal separation of two directions, whichever
/// φ convention ([0, 2π] or [−π, π]) each came from.
pub fn delta_phi_angles(phi1: f64, phi2: f64) -> f64 {
    let d = (phi1 - phi2).rem_euclid(TAU);
    if d > PI {
        TAU - d
    } else {
        d
    }
}

/// Maps any angle to (−π, π]; the reader uses the cheaper one-sided form, this one is for
/// derived angles that may be far outside.
pub fn wrap_phi(phi: f64) -> f64 {
    let w = (phi + PI).rem_euclid(TAU) - PI;
    if w <= -PI {
        w + TAU
    } else {
        w
    }
}
