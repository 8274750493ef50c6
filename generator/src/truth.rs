//! Generator-level final state: what the hard process, the decays and the radiation leave for
//! the detector to see (or miss).

use collm_analysis::P4;

/// What a final-state particle is, as far as the detector simulation cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Species {
    Electron,
    Muon,
    Photon,
    /// The visible decay products of a hadronic τ, as one object.
    TauHad {
        prongs: u8,
    },
    /// A quark or gluon that becomes a jet; the flavour is 5 (b), 4 (c) or 0 (light or gluon).
    Parton {
        flavour: u8,
    },
    /// Neutrinos, gravitinos, dark pions: only seen as missing momentum.
    Invisible,
}

/// One final-state particle.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Particle {
    pub p: P4,
    pub species: Species,
    /// Electric charge in units of e (leptons, taus); 0 otherwise.
    pub charge: i8,
    /// Transverse distance of the production vertex from the beam line, in mm (long-lived
    /// parents); 0 for prompt particles.
    pub lxy: f64,
}

impl Particle {
    pub fn prompt(p: P4, species: Species, charge: i8) -> Particle {
        Particle {
            p,
            species,
            charge,
            lxy: 0.0,
        }
    }

    pub fn parton(p: P4, flavour: u8) -> Particle {
        Particle::prompt(p, Species::Parton { flavour }, 0)
    }

    pub fn invisible(p: P4) -> Particle {
        Particle::prompt(p, Species::Invisible, 0)
    }

    /// The same particle produced at a displaced vertex.
    pub fn at(mut self, lxy: f64) -> Particle {
        self.lxy = lxy;
        self
    }
}
