//! Shared helpers for the physics validation: event loops, histograms and a Gaussian fit.

use collm_generator::{Channel, GenEvent, Generator};

/// Runs `f` over events 0..n of a sample.
pub fn each_event(channel: Channel, pileup: u32, seed: u64, n: u64, mut f: impl FnMut(&GenEvent)) {
    let mut gen = Generator::new(channel, pileup, seed).expect("valid pileup");
    for i in 0..n {
        f(&gen.event(i));
    }
}

/// Fixed-width histogram counts of `values` in [lo, hi).
pub fn histogram(values: &[f64], lo: f64, hi: f64, bins: usize) -> Vec<f64> {
    let mut h = vec![0.0; bins];
    let w = (hi - lo) / bins as f64;
    for &v in values {
        if v >= lo && v < hi {
            h[((v - lo) / w) as usize] += 1.0;
        }
    }
    h
}

/// Result of a Gaussian fit.
#[derive(Debug, Clone, Copy)]
pub struct Fit {
    pub mean: f64,
    pub sigma: f64,
}

/// Fits a Gaussian to the core of a distribution: ln(counts) = a + b·x + c·x² by weighted
/// linear least squares (weights = counts, the inverse variance of ln N for Poisson N) over
/// the bins in [lo, hi). Mean = −b/2c, σ = sqrt(−1/2c).
pub fn gauss_fit(values: &[f64], lo: f64, hi: f64, bins: usize) -> Fit {
    let h = histogram(values, lo, hi, bins);
    let w = (hi - lo) / bins as f64;
    // Normal equations for the quadratic in x' = x − centre (better conditioned).
    let c0 = 0.5 * (lo + hi);
    let mut s = [[0.0f64; 3]; 3];
    let mut r = [0.0f64; 3];
    for (i, &n) in h.iter().enumerate() {
        if n < 1.0 {
            continue;
        }
        let x = lo + (i as f64 + 0.5) * w - c0;
        let phi = [1.0, x, x * x];
        for a in 0..3 {
            for b in 0..3 {
                s[a][b] += n * phi[a] * phi[b];
            }
            r[a] += n * phi[a] * n.ln();
        }
    }
    let coef = solve3(s, r);
    let (b, c) = (coef[1], coef[2]);
    assert!(c < 0.0, "not a peak in [{lo}, {hi})");
    Fit {
        mean: c0 - b / (2.0 * c),
        sigma: (-1.0 / (2.0 * c)).sqrt(),
    }
}

fn solve3(mut m: [[f64; 3]; 3], mut v: [f64; 3]) -> [f64; 3] {
    for col in 0..3 {
        let piv = (col..3)
            .max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))
            .unwrap();
        m.swap(col, piv);
        v.swap(col, piv);
        for row in col + 1..3 {
            let f = m[row][col] / m[col][col];
            let pivot_row = m[col];
            for (x, p) in m[row].iter_mut().zip(pivot_row).skip(col) {
                *x -= f * p;
            }
            v[row] -= f * v[col];
        }
    }
    let mut x = [0.0; 3];
    for row in (0..3).rev() {
        let s: f64 = (row + 1..3).map(|k| m[row][k] * x[k]).sum();
        x[row] = (v[row] - s) / m[row][row];
    }
    x
}

/// Mean and standard deviation.
pub fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, var.sqrt())
}

/// Gaussian-equivalent width from the interquartile range (IQR / 1.349): insensitive to the
/// rare events whose MET comes from an escaping forward jet, which dominate a plain RMS.
pub fn robust_sd(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let q = |f: f64| s[((s.len() - 1) as f64 * f) as usize];
    (q(0.75) - q(0.25)) / 1.349
}
