//! PDG masses, widths and branching ratios (Review of Particle Physics 2022), plus the model
//! parameters the contract fixes for the BSM channels. Masses common to analyses come from
//! `collm_analysis` so the generator and every analysis agree on them.

pub use collm_analysis::{M_H, M_TOP, M_W, M_Z};

/// Z width (GeV).
pub const GAMMA_Z: f64 = 2.4952;
/// W width (GeV).
pub const GAMMA_W: f64 = 2.085;
/// Top width (GeV).
pub const GAMMA_TOP: f64 = 1.42;
/// Higgs width (GeV), SM prediction.
pub const GAMMA_H: f64 = 0.0041;
/// Tau mass (GeV).
pub const M_TAU: f64 = 1.77686;
/// b-quark mass used for b jets (pole mass, GeV).
pub const M_B: f64 = 4.78;
/// c-quark mass (GeV).
pub const M_C: f64 = 1.67;
/// Muon mass (GeV).
pub const M_MU: f64 = 0.105_658;
/// Electron mass (GeV).
pub const M_E: f64 = 0.000_511;
/// Charged pion mass (GeV): the visible system of τ → πν.
pub const M_PI: f64 = 0.139_57;
/// ρ(770) mass (GeV): the visible system of τ → ρν.
pub const M_RHO: f64 = 0.775;
/// a1(1260) mass (GeV): the visible system of three-prong τ decays.
pub const M_A1: f64 = 1.23;

/// BR(W → eν).
pub const BR_W_E: f64 = 0.1071;
/// BR(W → μν).
pub const BR_W_MU: f64 = 0.1063;
/// BR(W → τν).
pub const BR_W_TAU: f64 = 0.1138;
/// Fraction of hadronic W decays with a charm quark (W → cs̄, cd̄): |V_cs|² + |V_cd|² over the
/// sum of the accessible CKM elements squared, which is one half to better than a percent.
pub const W_HAD_CHARM: f64 = 0.5;

/// BR(τ → eνν).
pub const BR_TAU_E: f64 = 0.1782;
/// BR(τ → μνν).
pub const BR_TAU_MU: f64 = 0.1739;
/// Fraction of hadronic τ decays with three charged prongs.
pub const TAU_HAD_3PRONG: f64 = 0.232;
/// Fraction of one-prong hadronic τ decays that are τ → πν (the rest is modelled as ρν).
pub const TAU_1PRONG_PI: f64 = 0.167;

/// BR(b → ℓνX) including the cascade through charm, which moves jet energy into neutrinos.
pub const BR_B_SEMILEPTONIC: f64 = 0.21;

/// Scalar mass in the Higgs-portal channel (contract).
pub const M_S: f64 = 55.0;
/// Scalar proper decay length (mm, contract).
pub const CTAU_S_MM: f64 = 100.0;
/// Sequential Z′ mass (contract).
pub const M_ZPRIME: f64 = 3000.0;
/// Sequential Z′ width (contract).
pub const GAMMA_ZPRIME: f64 = 30.0;
/// Lightest neutralino mass in the GMSB channel. The contract does not fix it; 300 GeV is
/// above the LEP/LHC prompt-photon limits of the SPS8-like benchmark lines.
pub const M_CHI: f64 = 300.0;
/// Neutralino proper decay length (mm, contract).
pub const CTAU_CHI_MM: f64 = 100.0;
/// Dark-QCD confinement scale Λ (contract).
pub const LAMBDA_DARK: f64 = 40.0;
/// Invisible dark-pion mass (contract).
pub const M_DARK_PION: f64 = 10.0;
/// Mass of the s-channel mediator that makes the dark-quark pair. Not fixed by the contract;
/// 1.5 TeV is the usual CMS/ATLAS semi-visible-jet benchmark.
pub const M_DARK_MEDIATOR: f64 = 1500.0;
/// Width of the dark mediator (1% of its mass, like the Z′).
pub const GAMMA_DARK_MEDIATOR: f64 = 15.0;
