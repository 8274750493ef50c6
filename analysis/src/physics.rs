//! Physics formulas and constants, each written once so every analysis (hand-written or
//! generated) applies the same convention. See the crate docs for the list of conventions.

pub use crate::angles::{delta_phi_angles, wrap_phi};
use crate::kinematics::{Kinematics, P4};

/// Z boson mass in GeV (PDG), the default target for "closest to the Z mass".
pub const M_Z: f64 = 91.1876;
/// W boson mass in GeV (PDG).
pub const M_W: f64 = 80.377;
/// Higgs boson mass in GeV (PDG).
pub const M_H: f64 = 125.25;
/// Top quark mass in GeV (the MC reference value generators use).
pub const M_TOP: f64 = 172.5;

/// Δφ between two objects, wrapped to [0, π].
pub fn delta_phi<A: Kinematics + ?Sized, B: Kinematics + ?Sized>(a: &A, b: &B) -> f64 {
    a.delta_phi(b)
}

/// |Δη| between two objects.
pub fn delta_eta<A: Kinematics + ?Sized, B: Kinematics + ?Sized>(a: &A, b: &B) -> f64 {
    a.delta_eta(b)
}

/// ΔR = sqrt(Δη² + Δφ²) with Δφ wrapped to [0, π].
pub fn delta_r<A: Kinematics + ?Sized, B: Kinematics + ?Sized>(a: &A, b: &B) -> f64 {
    a.delta_r(b)
}

/// Transverse mass MT(a, MET) = sqrt(2 pT(a) · MET · (1 − cos Δφ)). Pass the event's
/// [`met()`](crate::Event::met) (or any object) as `met`; the massless form is used because that
/// is what the W → ℓν endpoint at m_W assumes.
pub fn mt<A: Kinematics + ?Sized, B: Kinematics + ?Sized>(a: &A, met: &B) -> f64 {
    let v = 2.0 * a.pt() * met.pt() * (1.0 - a.delta_phi(met).cos());
    v.max(0.0).sqrt()
}

/// Invariant mass of two objects, from their four-vectors (so jet/tau masses count).
pub fn inv_mass<A: Kinematics + ?Sized, B: Kinematics + ?Sized>(a: &A, b: &B) -> f64 {
    (a.p4() + b.p4()).mass()
}

/// Invariant mass of any number of objects.
pub fn mass_of<'a, K, I>(objects: I) -> f64
where
    K: Kinematics + 'a + ?Sized,
    I: IntoIterator<Item = &'a K>,
{
    objects.into_iter().map(|o| o.p4()).sum::<P4>().mass()
}

/// Scalar sum of pT (HT when given the selected jets). An empty sum is `0`: `Iterator::sum`
/// would give `-0.0`, which a feature file would then print.
pub fn scalar_ht<'a, K, I>(objects: I) -> f64
where
    K: Kinematics + 'a + ?Sized,
    I: IntoIterator<Item = &'a K>,
{
    objects.into_iter().fold(0.0, |acc, o| acc + o.pt())
}

/// A b-tag working point. Files disagree on what the `btag` column means, so the test is chosen
/// here rather than hard-coded as `btag == 1.0` (which misses PGS's tight tags and its
/// fractional levels).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum BTag {
    /// `btag >= 1`: any PGS tag level, or a Delphes tag at its first working point.
    #[default]
    Loose,
    /// `btag >= 2`: the PGS tight tag.
    PgsTight,
    /// `btag >= x` for another threshold.
    AtLeast(f64),
    /// Delphes bitmask: bit `n` of the integer part of `btag` is set (bit 0 = the first
    /// working point in the detector card).
    Bit(u32),
}

impl BTag {
    /// Whether a raw `btag` value passes this working point.
    pub fn passes(self, btag: f64) -> bool {
        match self {
            BTag::Loose => btag >= 1.0,
            BTag::PgsTight => btag >= 2.0,
            BTag::AtLeast(x) => btag >= x,
            BTag::Bit(n) => {
                n < 63 && (0.0..9.2e18).contains(&btag) && ((btag as u64) >> n) & 1 == 1
            }
        }
    }
}
