//! Four-vectors and the shared kinematic vocabulary.
//!
//! Objects are measured as (pT, η, φ, m) but sums need Cartesian components, so [`P4`] stores
//! (px, py, pz, E) and converts back on demand. The [`Kinematics`] trait gives objects,
//! four-vectors and references to them the same methods, so `delta_r(&muon, &jet)` and
//! `delta_r(&z_candidate, &jet)` read the same.

use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub};

use crate::angles;
use crate::event::Object;

/// A Lorentz four-vector in GeV with Cartesian storage, so that sums are exact additions.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct P4 {
    /// x component of momentum.
    pub px: f64,
    /// y component of momentum.
    pub py: f64,
    /// z component (beam axis) of momentum.
    pub pz: f64,
    /// Energy.
    pub e: f64,
}

impl P4 {
    /// Builds from Cartesian components.
    pub fn new(px: f64, py: f64, pz: f64, e: f64) -> P4 {
        P4 { px, py, pz, e }
    }

    /// Builds from the collider coordinates LHCO stores: px = pT cos φ, py = pT sin φ,
    /// pz = pT sinh η, E = sqrt(p² + m²).
    pub fn from_pt_eta_phi_m(pt: f64, eta: f64, phi: f64, m: f64) -> P4 {
        let px = pt * phi.cos();
        let py = pt * phi.sin();
        let pz = pt * eta.sinh();
        let p2 = px * px + py * py + pz * pz;
        P4 {
            px,
            py,
            pz,
            e: (p2 + m * m).sqrt(),
        }
    }

    /// A purely transverse vector (pz = 0, massless), which is how MET enters a W candidate
    /// "in the transverse plane".
    pub fn transverse(pt: f64, phi: f64) -> P4 {
        P4::from_pt_eta_phi_m(pt, 0.0, phi, 0.0)
    }

    /// Squared invariant mass E² − |p|²; may be slightly negative from rounding.
    pub fn m2(&self) -> f64 {
        self.e * self.e - (self.px * self.px + self.py * self.py + self.pz * self.pz)
    }

    /// Magnitude of the three-momentum.
    pub fn p(&self) -> f64 {
        (self.px * self.px + self.py * self.py + self.pz * self.pz).sqrt()
    }

    /// Transverse mass of the vector itself, sqrt(E² − pz²), clamped at zero like `m()`.
    pub fn mt(&self) -> f64 {
        (self.e * self.e - self.pz * self.pz).max(0.0).sqrt()
    }

    /// Rapidity y = ½ ln((E + pz)/(E − pz)); differs from η for massive objects.
    pub fn rapidity(&self) -> f64 {
        0.5 * ((self.e + self.pz) / (self.e - self.pz)).ln()
    }
}

impl Add for P4 {
    type Output = P4;
    fn add(self, o: P4) -> P4 {
        P4::new(self.px + o.px, self.py + o.py, self.pz + o.pz, self.e + o.e)
    }
}

impl Sub for P4 {
    type Output = P4;
    fn sub(self, o: P4) -> P4 {
        P4::new(self.px - o.px, self.py - o.py, self.pz - o.pz, self.e - o.e)
    }
}

impl AddAssign for P4 {
    fn add_assign(&mut self, o: P4) {
        *self = *self + o;
    }
}

impl Sum for P4 {
    fn sum<I: Iterator<Item = P4>>(iter: I) -> P4 {
        iter.fold(P4::default(), Add::add)
    }
}

impl<'a> Sum<&'a P4> for P4 {
    fn sum<I: Iterator<Item = &'a P4>>(iter: I) -> P4 {
        iter.copied().sum()
    }
}

/// Kinematic quantities shared by objects, four-vectors and references to either. The default
/// methods encode the conventions once (Δφ wrapped to [0, π], ΔR from η not rapidity).
pub trait Kinematics {
    /// Transverse momentum in GeV.
    fn pt(&self) -> f64;
    /// Pseudorapidity.
    fn eta(&self) -> f64;
    /// Azimuth in radians.
    fn phi(&self) -> f64;
    /// Mass in GeV under the physics convention (e, μ, γ, MET massless; jets and taus `jmass`).
    fn mass(&self) -> f64;

    /// Four-vector built from (pT, η, φ, mass()).
    fn p4(&self) -> P4 {
        P4::from_pt_eta_phi_m(self.pt(), self.eta(), self.phi(), self.mass())
    }
    /// |η|, the quantity acceptance cuts use.
    fn abs_eta(&self) -> f64 {
        self.eta().abs()
    }
    /// Δφ to another object, wrapped to [0, π].
    fn delta_phi<K: Kinematics + ?Sized>(&self, other: &K) -> f64 {
        angles::delta_phi_angles(self.phi(), other.phi())
    }
    /// |Δη| to another object.
    fn delta_eta<K: Kinematics + ?Sized>(&self, other: &K) -> f64 {
        (self.eta() - other.eta()).abs()
    }
    /// ΔR = sqrt(Δη² + Δφ²) to another object.
    fn delta_r<K: Kinematics + ?Sized>(&self, other: &K) -> f64 {
        let deta = self.eta() - other.eta();
        let dphi = self.delta_phi(other);
        (deta * deta + dphi * dphi).sqrt()
    }
}

impl Kinematics for Object {
    fn pt(&self) -> f64 {
        self.pt
    }
    fn eta(&self) -> f64 {
        self.eta
    }
    fn phi(&self) -> f64 {
        self.phi
    }
    fn mass(&self) -> f64 {
        if self.kind.is_massless() {
            0.0
        } else {
            self.jmass
        }
    }
}

impl Kinematics for P4 {
    fn pt(&self) -> f64 {
        self.px.hypot(self.py)
    }
    /// asinh(pz/pT); ±∞ for a vector along the beam, 0 for the null vector.
    fn eta(&self) -> f64 {
        let pt = self.pt();
        if pt == 0.0 {
            if self.pz == 0.0 {
                0.0
            } else {
                f64::INFINITY.copysign(self.pz)
            }
        } else {
            (self.pz / pt).asinh()
        }
    }
    fn phi(&self) -> f64 {
        self.py.atan2(self.px)
    }
    /// sqrt(max(E² − |p|², 0)): a tiny negative m² from rounding (collinear massless sums)
    /// means zero mass, not an imaginary one.
    fn mass(&self) -> f64 {
        self.m2().max(0.0).sqrt()
    }
    fn p4(&self) -> P4 {
        *self
    }
}

impl<T: Kinematics + ?Sized> Kinematics for &T {
    fn pt(&self) -> f64 {
        (**self).pt()
    }
    fn eta(&self) -> f64 {
        (**self).eta()
    }
    fn phi(&self) -> f64 {
        (**self).phi()
    }
    fn mass(&self) -> f64 {
        (**self).mass()
    }
    fn p4(&self) -> P4 {
        (**self).p4()
    }
}
