//! Relativistic kinematics the generator needs on top of `collm_analysis::P4`: boosts, two- and
//! three-body decays in the parent's rest frame, and Breit–Wigner masses.
//!
//! These are general formulas; they live here only because the analysis crate does not need
//! them for reading events.

use collm_analysis::{Kinematics, P4};
use rand::RngExt;

use crate::Rng;

/// Scales a four-vector; `P4` has no scalar multiplication.
pub(crate) fn scale(p: P4, k: f64) -> P4 {
    P4::new(p.px * k, p.py * k, p.pz * k, p.e * k)
}

/// Builds a four-vector from transverse momentum, rapidity (not pseudorapidity: massive
/// resonances are produced flat-ish in y), azimuth and mass.
pub(crate) fn from_pt_y_phi_m(pt: f64, y: f64, phi: f64, m: f64) -> P4 {
    let mt = (pt * pt + m * m).sqrt();
    P4::new(pt * phi.cos(), pt * phi.sin(), mt * y.sinh(), mt * y.cosh())
}

/// Boosts `p`, given in the rest frame of `frame`, into the frame where `frame` has its
/// four-momentum.
pub(crate) fn boost(p: P4, frame: &P4) -> P4 {
    let m = frame.mass();
    if m <= 0.0 {
        return p;
    }
    let (bx, by, bz) = (frame.px / m, frame.py / m, frame.pz / m); // γβ
    let gamma = frame.e / m;
    let bp = bx * p.px + by * p.py + bz * p.pz; // γβ·p
    let k = bp / (gamma + 1.0) + p.e;
    P4::new(
        p.px + bx * k,
        p.py + by * k,
        p.pz + bz * k,
        gamma * p.e + bp,
    )
}

/// Momentum of either daughter in the two-body decay m → m1 m2 (Källén function); zero below
/// threshold.
pub(crate) fn breakup_momentum(m: f64, m1: f64, m2: f64) -> f64 {
    let s = m * m;
    let l = (s - (m1 + m2).powi(2)) * (s - (m1 - m2).powi(2));
    if l <= 0.0 {
        0.0
    } else {
        l.sqrt() / (2.0 * m)
    }
}

/// Angular distribution of a two-body decay in the parent rest frame, relative to the beam axis.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Angular {
    /// Isotropic (scalars, or when spin correlations are neglected).
    Isotropic,
    /// 1 + cos²θ: a vector boson from qq̄ annihilation decaying to massless fermions, with the
    /// forward–backward asymmetry neglected.
    OnePlusCos2,
}

fn cos_theta(rng: &mut Rng, angular: Angular) -> f64 {
    match angular {
        Angular::Isotropic => rng.random_range(-1.0..1.0),
        Angular::OnePlusCos2 => loop {
            let c: f64 = rng.random_range(-1.0..1.0);
            if rng.random::<f64>() * 2.0 < 1.0 + c * c {
                break c;
            }
        },
    }
}

/// Decays `parent` to two daughters of masses m1, m2 in its rest frame and returns them in the
/// lab.
pub(crate) fn two_body(rng: &mut Rng, parent: &P4, m1: f64, m2: f64, angular: Angular) -> [P4; 2] {
    let q = breakup_momentum(parent.mass(), m1, m2);
    let c = cos_theta(rng, angular);
    let s = (1.0 - c * c).max(0.0).sqrt();
    let phi = rng.random_range(-std::f64::consts::PI..std::f64::consts::PI);
    let (px, py, pz) = (q * s * phi.cos(), q * s * phi.sin(), q * c);
    let d1 = P4::new(px, py, pz, (q * q + m1 * m1).sqrt());
    let d2 = P4::new(-px, -py, -pz, (q * q + m2 * m2).sqrt());
    [boost(d1, parent), boost(d2, parent)]
}

/// Decays `parent` to three daughters with a flat (matrix-element-free) phase-space density,
/// by the Raubold–Lynch method: m12 uniform, weighted by the product of the two breakup
/// momenta, which is exactly the three-body phase-space density in m12.
pub(crate) fn three_body(rng: &mut Rng, parent: &P4, m: [f64; 3]) -> [P4; 3] {
    let mp = parent.mass();
    let (lo, hi) = (m[0] + m[1], mp - m[2]);
    if hi <= lo {
        // Below threshold (only from rounding): share the parent equally.
        let third = scale(*parent, 1.0 / 3.0);
        return [third; 3];
    }
    let wmax = breakup_momentum(hi, m[0], m[1]) * breakup_momentum(mp, lo, m[2]);
    let m12 = loop {
        let m12 = rng.random_range(lo..hi);
        let w = breakup_momentum(m12, m[0], m[1]) * breakup_momentum(mp, m12, m[2]);
        if rng.random::<f64>() * wmax <= w {
            break m12;
        }
    };
    let [p12, p3] = two_body(rng, parent, m12, m[2], Angular::Isotropic);
    let [p1, p2] = two_body(rng, &p12, m[0], m[1], Angular::Isotropic);
    [p1, p2, p3]
}

/// Samples a mass from the relativistic Breit–Wigner 1/((s − M²)² + M²Γ²) in s, truncated to
/// [lo, hi], by inverting its cumulative distribution (an arctangent).
pub(crate) fn breit_wigner(rng: &mut Rng, m: f64, gamma: f64, lo: f64, hi: f64) -> f64 {
    let mg = m * gamma;
    let a = ((lo * lo - m * m) / mg).atan();
    let b = ((hi * hi - m * m) / mg).atan();
    let s = m * m + mg * rng.random_range(a..b).tan();
    s.max(lo * lo).sqrt()
}

/// Boosts a set of momenta whose sum has no transverse momentum so that the sum acquires
/// (kx, ky): how initial-state radiation recoils against a hard system built at rest in the
/// transverse plane. A boost along k with γβ = |k|/E does it, E being the system energy; pz is
/// unchanged and the invariant mass is kept.
pub(crate) fn recoil(momenta: &mut [P4], kx: f64, ky: f64) {
    let e: f64 = momenta.iter().map(|p| p.e).sum();
    if kx == 0.0 && ky == 0.0 || e <= 0.0 {
        return;
    }
    // A fictitious frame particle of mass E moving with momentum k has exactly that γβ.
    let frame = P4::new(kx, ky, 0.0, (kx * kx + ky * ky + e * e).sqrt());
    for p in momenta.iter_mut() {
        *p = boost(*p, &frame);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * (1.0 + b.abs())
    }

    #[test]
    fn two_body_conserves_momentum_and_masses() {
        let mut rng = Rng::seed_from_u64(1);
        let parent = from_pt_y_phi_m(50.0, 1.2, 0.3, 91.19);
        let [a, b] = two_body(&mut rng, &parent, 0.1, 0.2, Angular::OnePlusCos2);
        let s = a + b;
        assert!(close(s.e, parent.e, 1e-12) && close(s.pz, parent.pz, 1e-12));
        assert!(close(a.mass(), 0.1, 1e-6) && close(b.mass(), 0.2, 1e-6));
    }

    #[test]
    fn three_body_conserves_momentum() {
        let mut rng = Rng::seed_from_u64(2);
        let parent = from_pt_y_phi_m(30.0, -0.5, 2.0, M_TAU_TEST);
        let d = three_body(&mut rng, &parent, [0.000511, 0.0, 0.0]);
        let s: P4 = d.iter().sum();
        assert!(close(s.e, parent.e, 1e-12) && close(s.px, parent.px, 1e-12));
    }

    const M_TAU_TEST: f64 = 1.777;

    #[test]
    fn recoil_sets_transverse_momentum_and_keeps_mass() {
        let mut v = [
            P4::new(0.0, 40.0, 10.0, 41.231),
            P4::new(0.0, -40.0, -30.0, 50.0),
        ];
        let m0 = v.iter().sum::<P4>().mass();
        recoil(&mut v, 12.0, -5.0);
        let s: P4 = v.iter().sum();
        assert!(close(s.px, 12.0, 1e-9) && close(s.py, -5.0, 1e-9), "{s:?}");
        assert!(close(s.mass(), m0, 1e-9));
    }

    #[test]
    fn breit_wigner_stays_in_window() {
        let mut rng = Rng::seed_from_u64(3);
        for _ in 0..1000 {
            let m = breit_wigner(&mut rng, 91.1876, 2.4952, 50.0, 150.0);
            assert!((50.0..=150.0).contains(&m));
        }
    }
}
