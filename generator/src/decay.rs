//! Decays of the Standard Model heavy states (t, W, Z/γ*, τ) to the final state, with PDG
//! branching ratios and rest-frame kinematics boosted to the lab. Spin correlations between
//! production and decay are neglected except for the 1 + cos²θ of vector bosons to leptons.

use collm_analysis::P4;
use rand::RngExt;

use crate::kin::{breit_wigner, three_body, two_body, Angular};
use crate::pdg::*;
use crate::truth::{Particle, Species};
use crate::Rng;

/// Lepton flavour of a leptonic decay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lepton {
    E,
    Mu,
}

impl Lepton {
    fn species(self) -> Species {
        match self {
            Lepton::E => Species::Electron,
            Lepton::Mu => Species::Muon,
        }
    }
    fn mass(self) -> f64 {
        match self {
            Lepton::E => M_E,
            Lepton::Mu => M_MU,
        }
    }
}

/// A vector boson (Z, γ*, Z′) decaying to a charged-lepton pair with 1 + cos²θ.
pub(crate) fn to_lepton_pair(rng: &mut Rng, v: &P4, l: Lepton, out: &mut Vec<Particle>) {
    let [a, b] = two_body(rng, v, l.mass(), l.mass(), Angular::OnePlusCos2);
    out.push(Particle::prompt(a, l.species(), -1));
    out.push(Particle::prompt(b, l.species(), 1));
}

/// t → bW with the W mass drawn from its Breit–Wigner below the kinematic limit, then the W
/// decayed. `charge` is +1 for t and −1 for t̄ (the W carries it).
pub(crate) fn top(rng: &mut Rng, t: &P4, charge: i8, out: &mut Vec<Particle>) {
    let mt = collm_analysis::Kinematics::mass(t);
    let hi = (mt - M_B - 0.5).min(M_W + 30.0 * GAMMA_W);
    let mw = breit_wigner(rng, M_W, GAMMA_W, 20.0_f64.min(hi - 1.0), hi);
    let [w, b] = two_body(rng, t, mw, M_B, Angular::Isotropic);
    out.push(Particle::parton(b, 5));
    w_boson(rng, &w, charge, out);
}

/// W → ℓν (e, μ, τ) or qq̄′ with PDG branching ratios; half of the hadronic decays carry a c.
pub(crate) fn w_boson(rng: &mut Rng, w: &P4, charge: i8, out: &mut Vec<Particle>) {
    let u: f64 = rng.random();
    if u < BR_W_E + BR_W_MU {
        let l = if u < BR_W_E { Lepton::E } else { Lepton::Mu };
        let [lep, nu] = two_body(rng, w, l.mass(), 0.0, Angular::Isotropic);
        out.push(Particle::prompt(lep, l.species(), charge));
        out.push(Particle::invisible(nu));
    } else if u < BR_W_E + BR_W_MU + BR_W_TAU {
        let [tau, nu] = two_body(rng, w, M_TAU, 0.0, Angular::Isotropic);
        out.push(Particle::invisible(nu));
        tau_lepton(rng, &tau, charge, out);
    } else {
        let charm = rng.random::<f64>() < W_HAD_CHARM;
        let mq = if charm { M_C } else { 0.0 };
        let [q1, q2] = two_body(rng, w, mq, 0.0, Angular::Isotropic);
        out.push(Particle::parton(q1, if charm { 4 } else { 0 }));
        out.push(Particle::parton(q2, 0));
    }
}

/// τ decays: τ → ℓνν as flat three-body phase space, or τ → (π, ρ, a1)ν with the visible
/// hadronic system kept as one object carrying its prong count.
pub(crate) fn tau_lepton(rng: &mut Rng, tau: &P4, charge: i8, out: &mut Vec<Particle>) {
    let u: f64 = rng.random();
    if u < BR_TAU_E + BR_TAU_MU {
        let l = if u < BR_TAU_E { Lepton::E } else { Lepton::Mu };
        let [lep, n1, n2] = three_body(rng, tau, [l.mass(), 0.0, 0.0]);
        out.push(Particle::prompt(lep, l.species(), charge));
        out.push(Particle::invisible(n1));
        out.push(Particle::invisible(n2));
        return;
    }
    let (prongs, m_vis) = if rng.random::<f64>() < TAU_HAD_3PRONG {
        (3, M_A1)
    } else if rng.random::<f64>() < TAU_1PRONG_PI {
        (1, M_PI)
    } else {
        (1, M_RHO)
    };
    let [vis, nu] = two_body(rng, tau, m_vis, 0.0, Angular::Isotropic);
    out.push(Particle::prompt(vis, Species::TauHad { prongs }, charge));
    out.push(Particle::invisible(nu));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kin::from_pt_y_phi_m;
    use rand::SeedableRng;

    #[test]
    fn w_branching_ratios() {
        let mut rng = Rng::seed_from_u64(9);
        let w = from_pt_y_phi_m(20.0, 0.0, 0.0, M_W);
        let (mut had, n) = (0, 40_000);
        let mut out = Vec::new();
        for _ in 0..n {
            out.clear();
            w_boson(&mut rng, &w, 1, &mut out);
            had += usize::from(
                out.iter()
                    .all(|p| matches!(p.species, Species::Parton { .. })),
            );
        }
        // Binomial σ on 0.674 with 40k trials is 0.0023; allow 4σ.
        let f = had as f64 / n as f64;
        assert!((f - 0.6728).abs() < 0.01, "{f}");
    }

    #[test]
    fn top_decay_conserves_momentum() {
        let mut rng = Rng::seed_from_u64(10);
        let t = from_pt_y_phi_m(80.0, 0.4, 1.0, M_TOP);
        let mut out = Vec::new();
        top(&mut rng, &t, 1, &mut out);
        let s: P4 = out.iter().map(|p| p.p).sum();
        assert!((s.e - t.e).abs() < 1e-9 && (s.px - t.px).abs() < 1e-9);
    }
}
