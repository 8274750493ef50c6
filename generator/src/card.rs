//! The detector card: every efficiency, resolution and acceptance of the parametric detector in
//! one documented struct, modelled on the Delphes CMS (Run 2 / Phase-2-like) card. Change a
//! field to study a different detector; [`DetectorCard::default`] is what the generator and the
//! backend use.

/// Calorimeter energy resolution σ_E/E = S/√E ⊕ C ⊕ N/E (E in GeV), the standard
/// stochastic / constant / noise parametrisation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaloResolution {
    /// Stochastic term S (GeV^½): sampling fluctuations.
    pub stochastic: f64,
    /// Constant term C: calibration non-uniformity, dominant at high energy.
    pub constant: f64,
    /// Noise term N (GeV): electronics (pileup noise is added separately).
    pub noise: f64,
}

impl CaloResolution {
    /// Absolute energy resolution σ_E in GeV, with an extra noise variance (GeV²) for pileup.
    pub fn sigma(&self, e: f64, extra_noise2: f64) -> f64 {
        (self.noise * self.noise
            + extra_noise2
            + self.stochastic * self.stochastic * e
            + self.constant * self.constant * e * e)
            .sqrt()
    }
}

/// Muon transverse-momentum resolution in one |η| region: σ(pT)/pT = a ⊕ b·pT (multiple
/// scattering ⊕ curvature measurement), applied to the curvature q/pT so that very stiff
/// tracks can flip charge as they really do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MuonResolution {
    /// Upper |η| edge of the region.
    pub eta_max: f64,
    /// Multiple-scattering term a.
    pub a: f64,
    /// Curvature term b (1/GeV).
    pub b: f64,
}

/// The parametric detector. All energies and momenta in GeV, lengths in mm.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectorCard {
    /// Tracker acceptance |η|: electrons, taus, b-tagging and track counts need it.
    pub tracker_eta: f64,
    /// Calorimeter acceptance |η|: anything visible beyond escapes and counts as missing.
    pub calo_eta: f64,
    /// |η| boundary between barrel and endcap for e/γ/μ efficiencies and ECAL resolution.
    pub barrel_eta: f64,
    /// Transverse radius of the ECAL front face: e/γ from decays beyond it are not
    /// reconstructed as e/γ (their energy is still measured by the hadron calorimeter).
    pub ecal_radius: f64,
    /// Transverse radius of the outer calorimeter: visible decay products from beyond it escape.
    pub calo_radius: f64,
    /// Transverse radius within which a displaced vertex still yields reconstructed tracks.
    pub tracking_radius: f64,

    /// Minimum pT of reconstructed electrons and photons.
    pub egamma_pt_min: f64,
    /// Electron identification efficiency in the barrel and in the endcap.
    pub electron_eff: [f64; 2],
    /// Photon identification efficiency in the barrel and in the endcap.
    pub photon_eff: [f64; 2],
    /// ECAL resolution in the barrel.
    pub ecal_barrel: CaloResolution,
    /// ECAL resolution in the endcap.
    pub ecal_endcap: CaloResolution,

    /// Muon acceptance |η|.
    pub muon_eta: f64,
    /// Minimum muon pT.
    pub muon_pt_min: f64,
    /// Muon efficiency in the barrel and in the endcap.
    pub muon_eff: [f64; 2],
    /// Muon resolution by |η| region, in increasing order of `eta_max`.
    pub muon_resolution: [MuonResolution; 3],

    /// Jet cone size R (the clustering of partons into jets approximates anti-kT with this R).
    pub jet_r: f64,
    /// Jet acceptance |η|.
    pub jet_eta: f64,
    /// Minimum reconstructed jet pT.
    pub jet_pt_min: f64,
    /// Jet (ECAL+HCAL) resolution for |η| < `jet_forward_eta`.
    pub jet_central: CaloResolution,
    /// Jet resolution in the forward calorimeter.
    pub jet_forward: CaloResolution,
    /// |η| where the forward calorimeter begins.
    pub jet_forward_eta: f64,
    /// Extra jet-energy noise variance per pileup vertex (GeV²) after pileup subtraction.
    pub jet_pileup_noise2: f64,
    /// Jet direction resolution (radians in φ, units of η).
    pub jet_angle: f64,

    /// b-tag efficiency for b jets (prompt).
    pub btag_eff_b: f64,
    /// Mis-tag rate for c jets.
    pub btag_eff_c: f64,
    /// Mis-tag rate for light-quark, gluon and pileup jets.
    pub btag_eff_light: f64,
    /// Displacement scale: the b-tag efficiency of a jet from a vertex at L_xy is multiplied by
    /// exp(−L_xy / scale), because impact-parameter taggers lose tracks from far vertices.
    pub btag_lxy_scale: f64,

    /// Hadronic-τ identification efficiency.
    pub tau_eff: f64,
    /// Rate at which light jets are identified as hadronic τ.
    pub tau_mistag: f64,
    /// Minimum τ pT.
    pub tau_pt_min: f64,

    /// Mean number of pileup jets above `jet_pt_min` per pileup vertex (after pileup
    /// mitigation), so pileup jets are Poisson with mean ∝ pileup.
    pub pileup_jets_per_vertex: f64,
    /// Power n of the pileup-jet pT spectrum ∝ pT⁻ⁿ.
    pub pileup_jet_slope: f64,
    /// MET soft-term resolution floor per component (GeV).
    pub met_soft_floor: f64,
    /// MET soft-term stochastic term per component (GeV^½) on the unclustered scalar sum.
    pub met_soft_stochastic: f64,
    /// MET noise variance per component and per pileup vertex (GeV²).
    pub met_pileup_noise2: f64,
}

impl Default for DetectorCard {
    fn default() -> DetectorCard {
        DetectorCard {
            tracker_eta: 2.5,
            calo_eta: 4.9,
            barrel_eta: 1.5,
            ecal_radius: 1290.0,
            calo_radius: 2950.0,
            tracking_radius: 300.0,
            egamma_pt_min: 10.0,
            electron_eff: [0.95, 0.85],
            photon_eff: [0.95, 0.85],
            ecal_barrel: CaloResolution {
                stochastic: 0.03,
                constant: 0.005,
                noise: 0.2,
            },
            ecal_endcap: CaloResolution {
                stochastic: 0.05,
                constant: 0.01,
                noise: 0.25,
            },
            muon_eta: 2.4,
            muon_pt_min: 1.0,
            muon_eff: [0.95, 0.90],
            muon_resolution: [
                MuonResolution {
                    eta_max: 0.5,
                    a: 0.01,
                    b: 1.0e-4,
                },
                MuonResolution {
                    eta_max: 1.5,
                    a: 0.015,
                    b: 1.5e-4,
                },
                MuonResolution {
                    eta_max: 2.4,
                    a: 0.025,
                    b: 3.5e-4,
                },
            ],
            jet_r: 0.4,
            jet_eta: 4.7,
            jet_pt_min: 20.0,
            jet_central: CaloResolution {
                stochastic: 1.0,
                constant: 0.05,
                noise: 1.5,
            },
            jet_forward: CaloResolution {
                stochastic: 1.5,
                constant: 0.10,
                noise: 2.0,
            },
            jet_forward_eta: 3.0,
            jet_pileup_noise2: 0.1,
            jet_angle: 0.01,
            btag_eff_b: 0.70,
            btag_eff_c: 0.20,
            btag_eff_light: 0.01,
            btag_lxy_scale: 50.0,
            tau_eff: 0.60,
            tau_mistag: 0.01,
            tau_pt_min: 20.0,
            pileup_jets_per_vertex: 0.01,
            pileup_jet_slope: 4.5,
            met_soft_floor: 3.0,
            met_soft_stochastic: 0.5,
            met_pileup_noise2: 3.0,
        }
    }
}

impl DetectorCard {
    /// The ECAL resolution at pseudorapidity η.
    pub fn ecal(&self, eta: f64) -> &CaloResolution {
        if eta.abs() < self.barrel_eta {
            &self.ecal_barrel
        } else {
            &self.ecal_endcap
        }
    }

    /// The jet resolution at pseudorapidity η.
    pub fn jet_resolution(&self, eta: f64) -> &CaloResolution {
        if eta.abs() < self.jet_forward_eta {
            &self.jet_central
        } else {
            &self.jet_forward
        }
    }

    /// Relative muon pT resolution σ(pT)/pT at (pT, η); outside the last region, the last
    /// region's parameters.
    pub fn muon_sigma(&self, pt: f64, eta: f64) -> f64 {
        let r = self
            .muon_resolution
            .iter()
            .find(|r| eta.abs() < r.eta_max)
            .unwrap_or(&self.muon_resolution[2]);
        r.a.hypot(r.b * pt)
    }

    /// Barrel (index 0) or endcap (index 1) for the two-entry efficiency arrays.
    pub fn region(&self, eta: f64) -> usize {
        usize::from(eta.abs() >= self.barrel_eta)
    }
}
