//! From partons to truth jets: b-hadron semileptonic decays, then a cone merge that stands in
//! for anti-kT (hard partons seed, softer ones within R join them).

use collm_analysis::{Kinematics, P4};
use rand::RngExt;

use crate::kin::scale;
use crate::pdg::BR_B_SEMILEPTONIC;
use crate::Rng;

/// A particle-level jet before detector effects.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TruthJet {
    pub p: P4,
    /// Flavour label: 5 b, 4 c, 15 hadronic τ not identified as such, 0 light/gluon.
    pub flavour: u8,
    /// Displacement of the hardest constituent's production vertex (mm).
    pub lxy: f64,
    /// pT of the hardest constituent, which decides the label and displacement.
    lead_pt: f64,
}

impl TruthJet {
    pub fn new(p: P4, flavour: u8, lxy: f64) -> TruthJet {
        TruthJet {
            p,
            flavour,
            lxy,
            lead_pt: p.pt(),
        }
    }
}

/// Label priority when partons merge: a jet containing a b is a b jet, then c, then τ.
fn priority(flavour: u8) -> u8 {
    match flavour {
        5 => 3,
        4 => 2,
        15 => 1,
        _ => 0,
    }
}

/// B hadrons decay semileptonically with [`BR_B_SEMILEPTONIC`]; the neutrino takes a fraction
/// uniform in [0, 0.3] of the b jet's momentum, which is why b jets respond low and carry
/// MET. Returns the neutrino momentum lost (zero for other flavours).
pub(crate) fn semileptonic_loss(rng: &mut Rng, jet: &mut TruthJet) -> P4 {
    if jet.flavour != 5 || rng.random::<f64>() >= BR_B_SEMILEPTONIC {
        return P4::default();
    }
    let nu = scale(jet.p, rng.random_range(0.0..0.3));
    jet.p = jet.p - nu;
    nu
}

/// Merges partons into jets: in decreasing pT, each joins the first (hardest) jet within ΔR < r
/// of the jet axis, else seeds a new jet. `jets` is cleared and refilled; sorted by pT.
pub(crate) fn cluster(partons: &mut [TruthJet], r: f64, jets: &mut Vec<TruthJet>) {
    partons.sort_by(|a, b| b.p.pt().total_cmp(&a.p.pt()));
    jets.clear();
    for p in partons.iter() {
        match jets.iter_mut().find(|j| j.p.delta_r(&p.p) < r) {
            Some(j) => {
                j.p += p.p;
                if priority(p.flavour) > priority(j.flavour) {
                    j.flavour = p.flavour;
                }
                if p.lead_pt > j.lead_pt {
                    j.lead_pt = p.lead_pt;
                    j.lxy = p.lxy;
                }
            }
            None => jets.push(*p),
        }
    }
    jets.sort_by(|a, b| b.p.pt().total_cmp(&a.p.pt()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_partons_merge_and_keep_b_label() {
        let mut partons = [
            TruthJet::new(P4::from_pt_eta_phi_m(50.0, 0.0, 0.0, 0.0), 0, 0.0),
            TruthJet::new(P4::from_pt_eta_phi_m(20.0, 0.1, 0.1, 4.8), 5, 3.0),
            TruthJet::new(P4::from_pt_eta_phi_m(30.0, 2.0, 2.0, 0.0), 0, 0.0),
        ];
        let mut jets = Vec::new();
        cluster(&mut partons, 0.4, &mut jets);
        assert_eq!(jets.len(), 2);
        assert_eq!(jets[0].flavour, 5);
        assert_eq!(
            jets[0].lxy, 0.0,
            "displacement follows the hardest constituent"
        );
        assert!(jets[0].p.pt() > 69.0);
    }
}
