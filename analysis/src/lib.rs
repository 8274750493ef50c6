//! Collider analysis on LHCO files: reading, the event model, physics, cutflows, histograms,
//! plots and feature export.
//!
//! This crate is what notebook cells (hand-written or generated from an analysis text) use, so
//! it keeps its dependencies few and pure Rust: evcxr compiles it inside the user's session.
//! Import everything with `use collm_analysis::prelude::*;`.
//!
//! ```no_run
//! use collm_analysis::prelude::*;
//!
//! let mut cutflow = Cutflow::new();
//! let mut m_mumu = Hist1D::new(40, 70.0, 110.0).x_label(r"m_{\mu\mu} [GeV]");
//! for ev in lhco::read("zmumu.lhco")? {
//!     let ev = ev?;
//!     cutflow.start();
//!     let muons: Objects = ev.muons().filter(|m| m.pt() > 20.0 && m.abs_eta() < 2.4).collect();
//!     if !cutflow.pass("exactly 2 muons", muons.len() == 2) { continue; }
//!     let Some(z) = muons.os_pairs().next() else { continue };
//!     if !cutflow.pass("81 < m_mumu < 101", 81.0 < z.mass() && z.mass() < 101.0) { continue; }
//!     m_mumu.fill(z.mass());
//! }
//! println!("{cutflow}");
//! m_mumu.normalised().save_png("m_mumu.png")?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Physics conventions
//! Every formula lives in this crate so all analyses agree:
//! - **Object types**: 0 photon, 1 electron, 2 muon, 3 hadronic tau, 4 jet, 6 MET. Every
//!   event has exactly one MET row ([`Event::met`]); the reader rejects events without one.
//! - **Charge** = sign(ntrk) ([`Object::charge`]).
//! - **Lepton** means electron or muon ([`Event::leptons`]); taus only when asked for.
//! - **Leading / subleading** are by pT within the selected collection: [`Objects`] is always
//!   pT-ordered.
//! - **b-jet**: `btag >= 1` by default ([`BTag::Loose`]); PGS tight is `btag >= 2`
//!   ([`BTag::PgsTight`]); Delphes bitmasks use a bit test ([`BTag::Bit`]). Never `== 1.0`.
//! - **Four-vectors** from (pT, η, φ, m): e, μ, γ (and MET) are massless, jets and taus use
//!   `jmass` ([`Kinematics::p4`]).
//! - **Δφ** is wrapped to [0, π]; **ΔR** = sqrt(Δη² + Δφ²) with pseudorapidity;
//!   **MT**(a, MET) = sqrt(2 pT · MET · (1 − cos Δφ)) ([`physics::mt`]); **M** =
//!   sqrt(max(E² − p², 0)) of the summed four-vectors.
//! - **HT** is the scalar pT sum of the selected jets ([`Objects::ht`]).
//! - **φ storage**: the reader accepts [0, 2π] (PGS) and [−π, π] (Delphes) and subtracts 2π
//!   from values above π + 0.01, so stored φ lies in [−π − 0.01, π + 0.01]; every formula
//!   works modulo 2π, so the slack (which keeps Delphes' printed ±3.142) never matters.
//! - **Cuts** in analysis texts are strict: "> X" is `>`, "between a and b" is `a < x < b`.
//! - **PDG masses**: [`M_Z`] 91.1876, [`M_W`] 80.377, [`M_H`] 125.25, [`M_TOP`] 172.5 GeV.
//! - **Histograms** bin `[low, high)`; mean and RMS come from the unbinned in-range values;
//!   "normalised" means the in-range contents sum to 1.
//! - **Cutflow CSV** is `step,cut,events` with step 0 = all events; **feature CSV** starts with
//!   the `event` column and writes shortest round-trip numbers.

mod angles;
pub mod cutflow;
pub mod event;
pub mod features;
pub mod hist;
pub mod kinematics;
pub mod lhco;
pub mod merge;
pub mod notebook;
pub mod objects;
pub mod output;
pub mod physics;
pub mod plot;
pub mod prelude;
pub mod text;

/// Every name `use collm_analysis::prelude::*;` brings into scope. Tools that must recognise
/// them (the cell fixer adds the prelude import when rustc cannot find one) read this list,
/// and a test keeps it equal to the prelude's own `pub use` lines.
pub const PRELUDE_NAMES: &[&str] = &[
    "Cutflow",
    "Event",
    "Kind",
    "Object",
    "CsvWriter",
    "Features",
    "Hist1D",
    "Kinematics",
    "P4",
    "lhco",
    "Mode",
    "ReadReport",
    "Merge",
    "Objects",
    "Pair",
    "PairsExt",
    "output",
    "OutputError",
    "delta_eta",
    "delta_phi",
    "delta_phi_angles",
    "delta_r",
    "inv_mass",
    "mass_of",
    "mt",
    "scalar_ht",
    "wrap_phi",
    "BTag",
    "M_H",
    "M_TOP",
    "M_W",
    "M_Z",
];

pub use cutflow::Cutflow;
pub use event::{Event, Kind, Object};
pub use features::{CsvWriter, Features};
pub use hist::Hist1D;
pub use kinematics::{Kinematics, P4};
pub use merge::Merge;
pub use objects::{Objects, Pair, PairsExt};
pub use output::OutputError;
pub use physics::{BTag, M_H, M_TOP, M_W, M_Z};
