//! Hard processes of the ten channels, down to the generator-level final state.
//!
//! Each channel builds its hard system at zero transverse momentum, lets it recoil against
//! initial-state radiation (which becomes the "up to 2 extra jets"), and then decays it. The
//! parameters of the spectra are documented next to each channel.

use collm_analysis::P4;
use rand::RngExt;

use crate::decay::{self, Lepton};
use crate::kin::{breit_wigner, from_pt_y_phi_m, recoil, two_body, Angular};
use crate::pdg::*;
use crate::spectra::{exp1, isr, pair_rapidities, peaked_pt, phi, power_law, resonance_rapidity};
use crate::truth::{Particle, Species};
use crate::Channel;
use crate::Rng;

/// Fraction of diphoton events that are gg → H → γγ. The Standard Model fraction of a
/// pT > 20 GeV diphoton sample is about 0.2%; it is enhanced about 50× so that the 125 GeV peak
/// is visible in samples of a few thousand events. Analyses must not read a cross-section
/// ratio from it.
pub const DIPHOTON_HIGGS_FRACTION: f64 = 0.10;

/// Fraction of Drell–Yan events drawn from the γ* continuum (∝ 1/m²) rather than the Z
/// Breit–Wigner inside the 50–150 GeV generation window.
const GAMMA_STAR_FRACTION: f64 = 0.03;

/// Appends the generator-level final state of one event of `channel` to `out`.
pub(crate) fn generate(rng: &mut Rng, channel: Channel, out: &mut Vec<Particle>) {
    match channel {
        Channel::Ttbar => ttbar(rng, out),
        Channel::HiggsPortal => higgs_portal(rng, out),
        Channel::Zmumu => drell_yan(rng, Lepton::Mu, out),
        Channel::Zee => drell_yan(rng, Lepton::E, out),
        Channel::Diphoton => diphoton(rng, out),
        Channel::Jets => qcd_jets(rng, out),
        Channel::SusyGmsb => susy_gmsb(rng, out),
        Channel::HiddenValley => hidden_valley(rng, out),
        Channel::Zprime => zprime(rng, out),
        Channel::SingleMuon => single_muon(rng, out),
    }
}

/// A pair of back-to-back heavy particles (masses m1, m2) with pT ∝ pT/(pT² + q²)³ and
/// rapidities from the 2 → 2 parton-luminosity weight, recoiling against ISR.
///
/// The spectrum is truncated where mT exceeds √s/4, beyond which the parton luminosity is
/// negligible (and the 2 → 2 kinematics would run out of phase space).
fn heavy_pair(rng: &mut Rng, m: [f64; 2], q: f64, b: f64, out: &mut Vec<Particle>) -> [P4; 2] {
    let (pt, mt) = loop {
        let pt = peaked_pt(rng, q, 3.0);
        let mt = (pt * pt + 0.25 * (m[0] + m[1]).powi(2)).sqrt();
        if mt <= spectra_cap() {
            break (pt, mt);
        }
    };
    let (y1, y2) = pair_rapidities(rng, mt, b, 0.3);
    let f = phi(rng);
    let mut pair = [
        from_pt_y_phi_m(pt, y1, f, m[0]),
        from_pt_y_phi_m(pt, y2, f + std::f64::consts::PI, m[1]),
    ];
    let (kx, ky) = isr(rng, 1.0, 20.0, out);
    recoil(&mut pair, -kx, -ky);
    pair
}

/// An s-channel resonance of mass m at rest in the transverse plane, then recoiled against ISR
/// with `isr_mean` emissions above `isr_pt_min`.
fn resonance(
    rng: &mut Rng,
    m: f64,
    b: f64,
    isr_mean: f64,
    isr_pt_min: f64,
    out: &mut Vec<Particle>,
) -> P4 {
    let y = resonance_rapidity(rng, m, b);
    let mut r = [from_pt_y_phi_m(0.0, y, 0.0, m)];
    let (kx, ky) = isr(rng, isr_mean, isr_pt_min, out);
    recoil(&mut r, -kx, -ky);
    r[0]
}

/// tt̄: top pT peaked near 65 GeV with mean ≈ 120 GeV (q = 150), gg-like rapidities, Breit–Wigner
/// top masses, t → bW and PDG W branching ratios.
fn ttbar(rng: &mut Rng, out: &mut Vec<Particle>) {
    let mut m = [0.0; 2];
    for mi in &mut m {
        *mi = breit_wigner(rng, M_TOP, GAMMA_TOP, M_TOP - 20.0, M_TOP + 20.0);
    }
    let [t1, t2] = heavy_pair(rng, m, 150.0, 6.0, out);
    decay::top(rng, &t1, 1, out);
    decay::top(rng, &t2, -1, out);
}

/// gg → H → SS, S → bb̄; each S flies βγ·cτ·Exp(1) before decaying, so its b partons carry the
/// transverse displacement of the decay vertex.
fn higgs_portal(rng: &mut Rng, out: &mut Vec<Particle>) {
    let mh = breit_wigner(rng, M_H, GAMMA_H, M_H - 0.5, M_H + 0.5);
    let h = resonance(rng, mh, 6.0, 0.8, 15.0, out);
    for s in two_body(rng, &h, M_S, M_S, Angular::Isotropic) {
        let lxy = transverse_flight(rng, &s, M_S, CTAU_S_MM);
        for b in two_body(rng, &s, M_B, M_B, Angular::Isotropic) {
            out.push(Particle::parton(b, 5).at(lxy));
        }
    }
}

/// Transverse decay distance (mm) of a particle of mass m and proper decay length cτ:
/// L_xy = (pT/m)·cτ·t with t ~ Exp(1).
fn transverse_flight(rng: &mut Rng, p: &P4, m: f64, ctau: f64) -> f64 {
    collm_analysis::Kinematics::pt(p) / m * ctau * exp1(rng)
}

/// Drell–Yan Z/γ* → ℓℓ, 50 < m < 150 GeV: the Z Breit–Wigner (mZ = 91.1876, ΓZ = 2.4952) plus
/// a small γ* continuum; qq̄ rapidities; ISR above 10 GeV gives the Z its pT and up to 2 jets.
fn drell_yan(rng: &mut Rng, l: Lepton, out: &mut Vec<Particle>) {
    let (lo, hi) = (50.0, 150.0);
    let m = if rng.random::<f64>() < GAMMA_STAR_FRACTION {
        // Inverse CDF of 1/m² on [lo, hi].
        1.0 / (1.0 / lo - rng.random::<f64>() * (1.0 / lo - 1.0 / hi))
    } else {
        breit_wigner(rng, M_Z, GAMMA_Z, lo, hi)
    };
    let z = resonance(rng, m, 5.0, 1.0, 10.0, out);
    decay::to_lepton_pair(rng, &z, l, out);
}

/// Prompt γγ (qq̄ → γγ with photon pT ∝ pT⁻⁴ above 20 GeV) and, for
/// [`DIPHOTON_HIGGS_FRACTION`] of the events, gg → H → γγ.
fn diphoton(rng: &mut Rng, out: &mut Vec<Particle>) {
    if rng.random::<f64>() < DIPHOTON_HIGGS_FRACTION {
        let mh = breit_wigner(rng, M_H, GAMMA_H, M_H - 0.5, M_H + 0.5);
        let h = resonance(rng, mh, 6.0, 0.8, 15.0, out);
        for g in two_body(rng, &h, 0.0, 0.0, Angular::Isotropic) {
            out.push(Particle::prompt(g, Species::Photon, 0));
        }
        return;
    }
    let pt = power_law(rng, 20.0, 4.0).min(spectra_cap());
    let (y1, y2) = pair_rapidities(rng, pt, 5.0, 0.3);
    let f = phi(rng);
    let mut pair = [
        from_pt_y_phi_m(pt, y1, f, 0.0),
        from_pt_y_phi_m(pt, y2, f + std::f64::consts::PI, 0.0),
    ];
    let (kx, ky) = isr(rng, 0.8, 15.0, out);
    recoil(&mut pair, -kx, -ky);
    for g in pair {
        out.push(Particle::prompt(g, Species::Photon, 0));
    }
}

/// QCD 2 → 2 with parton pT ∝ pT⁻⁵ above 30 GeV (the measured inclusive-jet slope at these pT),
/// plus up to two radiated jets. Flavour per hard parton: 2% b and 5% c (gluon splitting and
/// flavour excitation), the rest light quarks and gluons.
fn qcd_jets(rng: &mut Rng, out: &mut Vec<Particle>) {
    let pt = power_law(rng, 30.0, 5.0).min(spectra_cap());
    let (y1, y2) = pair_rapidities(rng, pt, 5.0, 0.3);
    let f = phi(rng);
    let mut pair = [
        from_pt_y_phi_m(pt, y1, f, 0.0),
        from_pt_y_phi_m(pt, y2, f + std::f64::consts::PI, 0.0),
    ];
    let (kx, ky) = isr(rng, 1.0, 20.0, out);
    recoil(&mut pair, -kx, -ky);
    for p in pair {
        let u: f64 = rng.random();
        let flavour = if u < 0.02 {
            5
        } else if u < 0.07 {
            4
        } else {
            0
        };
        out.push(Particle::parton(p, flavour));
    }
}

/// Highest transverse mass generated for each particle of a 2 → 2 process: above a quarter of
/// √s the parton luminosity is negligible.
fn spectra_cap() -> f64 {
    crate::spectra::SQRT_S / 4.0
}

/// χ̃⁰₁ pairs (m = 300 GeV, pT peaked near the mass), each decaying after βγ·cτ to G̃γ.
fn susy_gmsb(rng: &mut Rng, out: &mut Vec<Particle>) {
    for chi in heavy_pair(rng, [M_CHI; 2], 2.0 * M_CHI, 5.0, out) {
        let lxy = transverse_flight(rng, &chi, M_CHI, CTAU_CHI_MM);
        let [g, gravitino] = two_body(rng, &chi, 0.0, 0.0, Angular::Isotropic);
        out.push(Particle::prompt(g, Species::Photon, 0).at(lxy));
        out.push(Particle::invisible(gravitino));
    }
}

/// Semi-visible jets: a 1.5 TeV mediator → q_D q̄_D. Each dark shower is a system of mass
/// 2Λ–4Λ (the jet masses of measured large-R semi-visible-jet candidates) that splits by three-body phase space into two visible clusters (dark hadrons decaying
/// back to quarks) and one cluster of 1–3 stable 10 GeV dark pions. The invisible fraction
/// averages about one third and fluctuates widely, so MET points along the jet that lost most.
fn hidden_valley(rng: &mut Rng, out: &mut Vec<Particle>) {
    let m = breit_wigner(
        rng,
        M_DARK_MEDIATOR,
        GAMMA_DARK_MEDIATOR,
        M_DARK_MEDIATOR - 300.0,
        M_DARK_MEDIATOR + 300.0,
    );
    let med = resonance(rng, m, 5.0, 1.0, 20.0, out);
    let ms = [
        rng.random_range(2.0 * LAMBDA_DARK..4.0 * LAMBDA_DARK),
        rng.random_range(2.0 * LAMBDA_DARK..4.0 * LAMBDA_DARK),
    ];
    let systems = two_body(rng, &med, ms[0], ms[1], Angular::OnePlusCos2);
    for sys in systems {
        let m_inv = M_DARK_PION * f64::from(rng.random_range(1u8..=3));
        let [a, b, inv] = crate::kin::three_body(rng, &sys, [0.0, 0.0, m_inv]);
        out.push(Particle::parton(a, 0));
        out.push(Particle::parton(b, 0));
        out.push(Particle::invisible(inv));
    }
}

/// Sequential Z′ (m = 3 TeV, Γ = 30 GeV, Breit–Wigner truncated to ±20Γ) → ee or μμ equally.
fn zprime(rng: &mut Rng, out: &mut Vec<Particle>) {
    let m = breit_wigner(
        rng,
        M_ZPRIME,
        GAMMA_ZPRIME,
        M_ZPRIME - 20.0 * GAMMA_ZPRIME,
        M_ZPRIME + 20.0 * GAMMA_ZPRIME,
    );
    let z = resonance(rng, m, 5.0, 1.0, 20.0, out);
    let l = if rng.random::<bool>() {
        Lepton::E
    } else {
        Lepton::Mu
    };
    decay::to_lepton_pair(rng, &z, l, out);
}

/// Particle gun: one μ⁻, pT uniform in [1, 100] GeV, η uniform in [−3, 3], φ uniform.
fn single_muon(rng: &mut Rng, out: &mut Vec<Particle>) {
    let pt = rng.random_range(1.0..100.0);
    let eta = rng.random_range(-3.0..3.0);
    let p = collm_analysis::P4::from_pt_eta_phi_m(pt, eta, phi(rng), M_MU);
    out.push(Particle::prompt(p, Species::Muon, -1));
}
