//! Production spectra: transverse momenta, rapidities from parton luminosities, and initial-state
//! radiation. All are simple analytic shapes chosen to reproduce the gross features of LHC
//! spectra at 14 TeV (falling pT spectra, central but broad rapidities, recoil against ISR), not
//! a parton-shower calculation.

use collm_analysis::P4;
use rand::RngExt;
use rand_distr::{Distribution, Poisson};

use crate::kin::from_pt_y_phi_m;
use crate::truth::Particle;
use crate::Rng;

/// Centre-of-mass energy (GeV).
pub(crate) const SQRT_S: f64 = 14_000.0;

/// Uniform azimuth.
pub(crate) fn phi(rng: &mut Rng) -> f64 {
    rng.random_range(-std::f64::consts::PI..std::f64::consts::PI)
}

/// Samples x ≥ xmin with density ∝ x^−n (n > 1) by inversion: the falling power laws of jet,
/// photon and radiation pT spectra.
pub(crate) fn power_law(rng: &mut Rng, xmin: f64, n: f64) -> f64 {
    let u: f64 = 1.0 - rng.random::<f64>(); // (0, 1]
    xmin * u.powf(-1.0 / (n - 1.0))
}

/// Samples pT with density ∝ pT / (pT² + q²)^n (n > 1): vanishes at zero, peaks at
/// q/√(2n − 1) and falls as pT^(1−2n), the shape of a pair-produced heavy particle's pT.
pub(crate) fn peaked_pt(rng: &mut Rng, q: f64, n: f64) -> f64 {
    let u: f64 = 1.0 - rng.random::<f64>();
    q * (u.powf(-1.0 / (n - 1.0)) - 1.0).max(0.0).sqrt()
}

/// Rapidity of an s-channel resonance of mass m. The momentum fractions are
/// x1,2 = (m/√s)e^(±y); the power-law parts of the two parton densities cancel in the product
/// (x1·x2 is fixed), so the shape is (1 − x1)^b (1 − x2)^b, sampled by rejection against its
/// maximum at y = 0. b ≈ 5 for qq̄ and 6 for gg.
pub(crate) fn resonance_rapidity(rng: &mut Rng, m: f64, b: f64) -> f64 {
    let r = m / SQRT_S;
    let ymax = -r.ln();
    let wmax = (1.0 - r).powf(2.0 * b);
    loop {
        let y = rng.random_range(-ymax..ymax);
        let (x1, x2) = (r * y.exp(), r * (-y).exp());
        if x1 >= 1.0 || x2 >= 1.0 {
            continue;
        }
        if rng.random::<f64>() * wmax <= ((1.0 - x1) * (1.0 - x2)).powf(b) {
            return y;
        }
    }
}

/// Rapidities of the two outgoing particles of a 2 → 2 process at transverse mass mt each.
/// x1,2 = (mt/√s)(e^(±y1) + e^(±y2)); the weight x^(−a)(1 − x)^b per parton (a ≈ 0.3 for the
/// small-x rise, b the large-x fall) is at most 1 once normalised by its value at the
/// threshold x1·x2 = 4mt²/s, so plain rejection works.
/// Callers keep mt ≤ √s/4; larger values are clamped there so the rapidity range never
/// closes.
pub(crate) fn pair_rapidities(rng: &mut Rng, mt: f64, b: f64, a: f64) -> (f64, f64) {
    let r = (mt / SQRT_S).min(0.25);
    let ymax = -(2.0 * r).ln();
    let xmin2 = 4.0 * r * r;
    loop {
        let y1 = rng.random_range(-ymax..ymax);
        let y2 = rng.random_range(-ymax..ymax);
        let x1 = r * (y1.exp() + y2.exp());
        let x2 = r * ((-y1).exp() + (-y2).exp());
        if x1 >= 1.0 || x2 >= 1.0 {
            continue;
        }
        let w = ((1.0 - x1) * (1.0 - x2)).powf(b) * (x1 * x2 / xmin2).powf(-a);
        if rng.random::<f64>() <= w {
            return (y1, y2);
        }
    }
}

/// Initial-state radiation: a Poisson number (mean `mean`, at most two, matching the
/// "up to 2 extra jets" of the samples) of gluon/light-quark emissions with pT ∝ pT⁻³ above
/// `pt_min` and a broad rapidity distribution (σ_y = 2.2: ISR is more forward than the hard
/// process). The emissions are appended to `out`; the returned vector is their summed
/// transverse momentum, which the hard system must recoil against.
pub(crate) fn isr(rng: &mut Rng, mean: f64, pt_min: f64, out: &mut Vec<Particle>) -> (f64, f64) {
    let n = poisson(rng, mean).min(2);
    let (mut sx, mut sy) = (0.0, 0.0);
    for _ in 0..n {
        let pt = power_law(rng, pt_min, 3.0).min(SQRT_S / 8.0);
        let y = 2.2 * rng.sample::<f64, _>(rand_distr::StandardNormal);
        let p: P4 = from_pt_y_phi_m(pt, y.clamp(-6.0, 6.0), phi(rng), 0.0);
        sx += p.px;
        sy += p.py;
        out.push(Particle::parton(p, 0));
    }
    (sx, sy)
}

/// A Poisson count; zero for a non-positive mean (rand_distr rejects λ = 0).
pub(crate) fn poisson(rng: &mut Rng, mean: f64) -> u32 {
    match Poisson::new(mean) {
        Ok(d) => {
            let k: f64 = d.sample(rng);
            k as u32
        }
        Err(_) => 0,
    }
}

/// An exponential variate of unit mean (proper decay times in units of the lifetime).
pub(crate) fn exp1(rng: &mut Rng) -> f64 {
    rng.sample::<f64, _>(rand_distr::Exp1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn power_law_mean_matches() {
        // ∫x·x^−4 / ∫x^−4 from 10 = 15.
        let mut rng = Rng::seed_from_u64(5);
        let n = 200_000;
        let mean: f64 = (0..n).map(|_| power_law(&mut rng, 10.0, 4.0)).sum::<f64>() / n as f64;
        assert!((mean - 15.0).abs() < 0.3, "{mean}");
    }

    #[test]
    fn pair_rapidities_survive_extreme_transverse_mass() {
        // A χ̃⁰₁ pair pT tail once produced mT > √s/2, which emptied the rapidity range.
        let mut rng = Rng::seed_from_u64(7);
        let (y1, y2) = pair_rapidities(&mut rng, 8_000.0, 5.0, 0.3);
        assert!(y1.is_finite() && y2.is_finite());
    }

    #[test]
    fn z_rapidity_is_central_and_broad() {
        let mut rng = Rng::seed_from_u64(6);
        let ys: Vec<f64> = (0..20_000)
            .map(|_| resonance_rapidity(&mut rng, 91.19, 5.0))
            .collect();
        let mean = ys.iter().sum::<f64>() / ys.len() as f64;
        let rms = (ys.iter().map(|y| y * y).sum::<f64>() / ys.len() as f64).sqrt();
        // Measured Z rapidity distributions at 13–14 TeV are flat-topped to |y| ≈ 2 with an RMS
        // near 1.8; the (1 − x)^5 shape gives about 1.9.
        assert!(
            mean.abs() < 0.05 && (1.5..2.4).contains(&rms),
            "{mean} {rms}"
        );
    }
}
