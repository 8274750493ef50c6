//! A seeded, deterministic **parametric fast simulation** of the ten ColliderML channels at
//! √s = 14 TeV with Poisson pileup, writing LHCO (Delphes `root2lhco` formatting) and, with the
//! `parquet` feature, Parquet.
//!
//! **This is not Geant4 and not Delphes.** Hard processes are sampled from analytic spectra
//! (PDG masses and widths, relativistic Breit–Wigner line shapes, parton-luminosity-shaped
//! rapidities, power-law pT spectra, recoil against initial-state radiation), decayed with
//! rest-frame two- and three-body kinematics and boosts, and passed through a detector made
//! only of efficiencies, resolutions and acceptances ([`DetectorCard`]). There is no parton
//! shower, hadronisation, material or tracking: jets are partons clustered in cones, MET is the
//! negative vector sum of the smeared objects and a smeared soft term. It is meant for
//! exercising analyses, tooling and ML pipelines offline, with physically sensible shapes; it is
//! not a substitute for a full simulation when precise efficiencies or tails matter.
//!
//! # Library API
//! ```no_run
//! use collm_generator::{generate, Channel, LhcoSink};
//! let mut sink = LhcoSink::create("zmumu.lhco")?;
//! let summary = generate(Channel::Zmumu, 10_000, 50, 42, &mut sink)?;
//! println!("{} events, {} objects", summary.events, summary.objects);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//! - [`generate`] streams `events` events into any [`Sink`] ([`LhcoSink`], `ParquetSink`, a
//!   pair of them, or a `Vec<Box<dyn Sink + Send>>`) and returns a [`Summary`].
//! - [`Generator::event`] gives event `i` of a `(channel, pileup, seed)` sample on its own. Each
//!   event has its own random stream derived from `(seed, channel, i)`, so event `i` is the same
//!   whether 10 or 100 000 events are generated, a job can resume at any event, and the same
//!   seed always gives byte-identical files (on the same platform: `f64` transcendental
//!   functions come from the platform's libm).
//! - Pileup draws from a second stream per event, so one seed gives the same hard scatters at
//!   every pileup value: pu0 and pu200 samples differ only by what pileup adds.
//! - The `generate` binary (`--channel --events --pileup --seed --out FILE`) wraps it.
//!
//! # Channels
//! | channel | hard process | notes |
//! |---|---|---|
//! | `ttbar` | tt̄, top pT ∝ pT/(pT²+150²)³, up to 2 ISR jets | t → bW, W → eν/μν/τν/qq̄′ (PDG BRs, half of W → qq̄′ with a c) |
//! | `higgs_portal` | gg → H(125.25) → SS, m_S = 55 GeV | S → bb̄ after βγ·cτ (cτ = 100 mm): displaced b jets |
//! | `zmumu`, `zee` | Z/γ* Breit–Wigner (91.1876, 2.4952) + 3% γ* continuum, 50–150 GeV | 1 + cos²θ decay, up to 2 ISR jets |
//! | `diphoton` | prompt γγ, photon pT ∝ pT⁻⁴ > 20 GeV | **10% gg → H → γγ, about 50× the SM fraction, so the 125 GeV peak is visible** |
//! | `jets` | QCD 2 → 2, pT ∝ pT⁻⁵ > 30 GeV, + up to 2 ISR jets | 2% b, 5% c hard partons |
//! | `susy_gmsb` | χ̃⁰₁ pairs, m = 300 GeV | χ̃⁰₁ → G̃γ after βγ·cτ (cτ = 100 mm): non-prompt photons + MET |
//! | `hidden_valley` | 1.5 TeV mediator → q_D q̄_D | each dark shower (2Λ–4Λ, Λ = 40 GeV) → 2 visible clusters + 1–3 invisible 10 GeV dark pions |
//! | `zprime` | sequential Z′, 3 TeV, Γ = 30 GeV | → ee or μμ, 1 + cos²θ |
//! | `single_muon` | μ⁻ gun, pT uniform 1–100 GeV, η uniform in ±3 | no hard scatter; pileup is still added |
//!
//! # Detector card (defaults, Delphes-CMS-like)
//! | object | acceptance | efficiency | resolution |
//! |---|---|---|---|
//! | electron | abs(η) < 2.5, pT > 10, produced inside r = 1290 mm | 0.95 barrel (abs(η) < 1.5), 0.85 endcap | ECAL σ/E = 3%/√E ⊕ 0.5% ⊕ 0.2/E (barrel), 5%/√E ⊕ 1% ⊕ 0.25/E (endcap) |
//! | photon | as electron | 0.95 / 0.85 | as electron |
//! | muon | abs(η) < 2.4, pT > 1 | 0.95 / 0.90 | σ(pT)/pT = a ⊕ b·pT on q/pT: (1%, 1e-4) abs(η) < 0.5, (1.5%, 1.5e-4) < 1.5, (2.5%, 3.5e-4) < 2.4 |
//! | hadronic τ | abs(η) < 2.5, pT > 20 | 0.60; light-jet mis-tag 1% | as jets |
//! | jet (R = 0.4 cone) | abs(η) < 4.7, pT > 20 | – | 100%/√E ⊕ 5% ⊕ 1.5/E (abs(η) < 3), 150%/√E ⊕ 10% ⊕ 2/E forward; pileup noise 0.1 GeV² per vertex; direction 0.01 |
//! | b-tag | abs(η) < 2.5, vertex within r = 300 mm | b 0.70 × exp(−L_xy/50 mm), c 0.20, light 0.01 | – |
//! | pileup | N_PU ~ Poisson(pileup) | 0.01 jets (pT > 20) per vertex | MET soft term σ = 3 ⊕ 0.5√ΣET_soft ⊕ √(3 GeV² · N_PU) per component |
//!
//! b hadrons decay semileptonically 21% of the time, moving up to 30% of the b jet into a
//! neutrino. MET = −(Σ reconstructed objects + unclustered visible momentum + soft-term noise);
//! visible particles beyond abs(η) = 4.9 or produced beyond the calorimeter (r > 2950 mm)
//! escape. The LHCO rows follow Delphes: photons, electrons, muons, taus, jets (each by
//! decreasing pT), then MET; `ntrk` is the charge for leptons, ±prongs for taus and the track
//! count for jets; `btag` is 1 for tagged jets.
//!
//! # Parquet layout (feature `parquet`)
//! One row per object **including the MET row**, in LHCO order, with columns `event` (INT64),
//! `index` (INT32, the LHCO row number from 1), `type` (INT32, LHCO code), `eta`, `phi`, `pt`,
//! `jmass`, `ntrk`, `btag`, `had_em` (DOUBLE), and the generator truth `truth_id` (INT32, see
//! [`ObjectTruth`]; 0 for MET) and `lxy_mm` (DOUBLE). Row groups of 65 536 rows keep memory
//! flat.

mod card;
pub mod cli;
mod decay;
mod detector;
mod jets;
mod kin;
#[cfg(feature = "parquet")]
mod parquet_sink;
pub mod pdg;
mod process;
mod sink;
mod spectra;
mod truth;

use std::fmt;
use std::io;

use rand_distr::{Distribution, Poisson};

pub use card::{CaloResolution, DetectorCard, MuonResolution};
/// The channels are the service contract's, so the wire names and the simulation agree.
pub use collm_contract::{Channel, UnknownChannel};
pub use detector::{GenEvent, ObjectTruth};
#[cfg(feature = "parquet")]
pub use parquet_sink::ParquetSink;
pub use process::DIPHOTON_HIGGS_FRACTION;
pub use sink::{LhcoSink, Sink};

/// The generator's random number engine: PCG-64 (MCG variant), fast and with a stable,
/// documented output sequence, which is what reproducible files need.
pub(crate) type Rng = rand_pcg::Pcg64Mcg;

/// Largest mean pileup accepted; the contract allows 0–200, and beyond ~1000 the parametric
/// pileup model (linear in the number of vertices) has no meaning.
pub const MAX_PILEUP: u32 = 1000;

/// Why generation failed.
#[derive(Debug)]
pub enum GenError {
    /// The requested pileup is above [`MAX_PILEUP`].
    Pileup(u32),
    /// Writing an output failed.
    Io(io::Error),
}

impl fmt::Display for GenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenError::Pileup(p) => write!(f, "pileup {p} is above the maximum of {MAX_PILEUP}"),
            GenError::Io(e) => write!(f, "writing the generated events failed: {e}"),
        }
    }
}

impl std::error::Error for GenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            GenError::Io(e) => Some(e),
            GenError::Pileup(_) => None,
        }
    }
}

impl From<io::Error> for GenError {
    fn from(e: io::Error) -> GenError {
        GenError::Io(e)
    }
}

/// Counts from one generation run, for job records and progress messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Events written.
    pub events: u64,
    /// Objects written, excluding the MET rows.
    pub objects: u64,
}

/// Produces the events of one `(channel, pileup, seed)` sample, each on demand.
#[derive(Debug)]
pub struct Generator {
    channel: Channel,
    pileup: Option<Poisson<f64>>,
    seed: u64,
    card: DetectorCard,
    truth: Vec<truth::Particle>,
    scratch: detector::Scratch,
}

impl Generator {
    /// A generator with the default detector card. `pileup` is the mean number of pileup
    /// interactions per event.
    pub fn new(channel: Channel, pileup: u32, seed: u64) -> Result<Generator, GenError> {
        if pileup > MAX_PILEUP {
            return Err(GenError::Pileup(pileup));
        }
        Ok(Generator {
            channel,
            pileup: Poisson::new(f64::from(pileup)).ok(),
            seed,
            card: DetectorCard::default(),
            truth: Vec::with_capacity(32),
            scratch: detector::Scratch::default(),
        })
    }

    /// The detector card in use.
    pub fn card(&self) -> &DetectorCard {
        &self.card
    }

    /// Event `index` of the sample (LHCO event number = `index`), independent of any other
    /// event generated before.
    pub fn event(&mut self, index: u64) -> GenEvent {
        // Pileup has its own stream, so the hard scatter and its smearing are the same event
        // at every pileup: samples at pu0 and pu200 with one seed differ only by pileup.
        let mut rng = event_rng(self.seed, self.channel, index, 0);
        let mut pu_rng = event_rng(self.seed, self.channel, index, 1);
        let n_pu = self.pileup.map_or(0, |d| d.sample(&mut pu_rng) as u32);
        self.truth.clear();
        process::generate(&mut rng, self.channel, &mut self.truth);
        detector::reconstruct(
            [&mut rng, &mut pu_rng],
            &self.card,
            &self.truth,
            n_pu,
            index,
            &mut self.scratch,
        )
    }
}

/// SplitMix64 finaliser: decorrelates nearby seeds and indices.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A random stream of one event: a 128-bit PCG state from (seed, channel, index, stream).
fn event_rng(seed: u64, channel: Channel, index: u64, stream: u64) -> Rng {
    let c = Channel::ALL.iter().position(|&x| x == channel).unwrap_or(0) as u64;
    let hi = mix(seed ^ mix(c.wrapping_add(0xC011_1DE5) ^ (stream << 32)));
    let lo = mix(hi ^ mix(index));
    Rng::new((u128::from(hi) << 64) | u128::from(lo))
}

/// Generates events `0..events` of a sample into `sink` and finishes the sink.
///
/// Memory use is independent of `events`: each event is written and dropped before the next.
pub fn generate<S: Sink + ?Sized>(
    channel: Channel,
    events: u64,
    pileup: u32,
    seed: u64,
    sink: &mut S,
) -> Result<Summary, GenError> {
    let mut gen = Generator::new(channel, pileup, seed)?;
    let mut summary = Summary::default();
    for i in 0..events {
        let ev = gen.event(i);
        sink.write(&ev)?;
        summary.events += 1;
        summary.objects += ev.event.objects().len() as u64;
    }
    sink.finish()?;
    Ok(summary)
}
