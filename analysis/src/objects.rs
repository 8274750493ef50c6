//! Selected collections and pairs.
//!
//! "Leading" and "subleading" are defined within the *selected* collection, so [`Objects`]
//! is always kept in descending pT order: collecting any iterator of objects into it sorts once,
//! and `leading()` is then just the first element.

use std::ops::Deref;

use crate::event::Object;
use crate::kinematics::{Kinematics, P4};
use crate::physics::BTag;

/// A pT-ordered selection of objects borrowed from an event.
///
/// ```
/// use collm_analysis::prelude::*;
/// let mut ev = Event::new(1, 0);
/// ev.push(Object::new(Kind::Jet, 40.0, 0.5, 0.1, 5.0));
/// ev.push(Object::new(Kind::Jet, 90.0, -1.0, 2.0, 9.0));
/// let jets: Objects = ev.jets().filter(|j| j.pt() > 30.0).collect();
/// assert_eq!(jets.leading().map(|j| j.pt()), Some(90.0));
/// ```
#[derive(Clone, Default)]
pub struct Objects<'a> {
    items: Items<'a>,
}

/// Selections are built per event, usually with a handful of members: those stay in place,
/// so an analysis loop does not allocate; larger ones move to the heap.
#[derive(Clone)]
enum Items<'a> {
    Inline(usize, [&'a Object; INLINE]),
    Heap(Vec<&'a Object>),
}

/// Members kept without allocating.
const INLINE: usize = 8;

/// Filler for unused inline slots; never visible through the API.
static UNUSED: Object = Object {
    kind: crate::event::Kind::Photon,
    eta: 0.0,
    phi: 0.0,
    pt: 0.0,
    jmass: 0.0,
    ntrk: 0.0,
    btag: 0.0,
    had_em: 0.0,
    dum1: 0.0,
    dum2: 0.0,
};

impl Default for Items<'_> {
    fn default() -> Self {
        Items::Inline(0, [&UNUSED; INLINE])
    }
}

impl<'a> Items<'a> {
    fn push(&mut self, o: &'a Object) {
        match self {
            Items::Inline(len, items) if *len < INLINE => {
                items[*len] = o;
                *len += 1;
            }
            Items::Inline(len, items) => {
                let mut heap = Vec::with_capacity(2 * INLINE);
                heap.extend_from_slice(&items[..*len]);
                heap.push(o);
                *self = Items::Heap(heap);
            }
            Items::Heap(heap) => heap.push(o),
        }
    }

    fn as_slice(&self) -> &[&'a Object] {
        match self {
            Items::Inline(len, items) => &items[..*len],
            Items::Heap(heap) => heap,
        }
    }

    fn as_mut_slice(&mut self) -> &mut [&'a Object] {
        match self {
            Items::Inline(len, items) => &mut items[..*len],
            Items::Heap(heap) => heap,
        }
    }
}

impl<'a> Objects<'a> {
    /// Members already in pT order (a sub-selection of an `Objects`).
    fn from_sorted(iter: impl IntoIterator<Item = &'a Object>) -> Objects<'a> {
        let mut items = Items::default();
        for o in iter {
            items.push(o);
        }
        Objects { items }
    }
}

impl<'a> FromIterator<&'a Object> for Objects<'a> {
    fn from_iter<I: IntoIterator<Item = &'a Object>>(iter: I) -> Self {
        let mut objects = Objects::from_sorted(iter);
        // Stable sort keeps file order among equal pT, so results are reproducible.
        objects
            .items
            .as_mut_slice()
            .sort_by(|a, b| b.pt.total_cmp(&a.pt));
        objects
    }
}

impl<'a> Deref for Objects<'a> {
    type Target = [&'a Object];
    fn deref(&self) -> &[&'a Object] {
        self.items.as_slice()
    }
}

impl PartialEq for Objects<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.items.as_slice() == other.items.as_slice()
    }
}

impl std::fmt::Debug for Objects<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Objects")
            .field("items", &self.items.as_slice())
            .finish()
    }
}

impl<'a> IntoIterator for Objects<'a> {
    type Item = &'a Object;
    type IntoIter = std::vec::IntoIter<&'a Object>;
    fn into_iter(self) -> Self::IntoIter {
        match self.items {
            Items::Heap(heap) => heap.into_iter(),
            // The iterator type is public (a `Vec`'s), so a by-value iteration allocates.
            Items::Inline(len, items) => {
                let heap: Vec<&'a Object> = items.into_iter().take(len).collect();
                heap.into_iter()
            }
        }
    }
}

impl<'a, 'b> IntoIterator for &'b Objects<'a> {
    type Item = &'b &'a Object;
    type IntoIter = std::slice::Iter<'b, &'a Object>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.as_slice().iter()
    }
}

impl<'a> Objects<'a> {
    /// The highest-pT object, if any.
    pub fn leading(&self) -> Option<&'a Object> {
        self.first().copied()
    }

    /// The second-highest-pT object, if any.
    pub fn subleading(&self) -> Option<&'a Object> {
        self.get(1).copied()
    }

    /// The `n`-th object in pT order (0 = leading).
    pub fn nth(&self, n: usize) -> Option<&'a Object> {
        self.get(n).copied()
    }

    /// Scalar pT sum; HT when this is the selected jets. An empty sum is `0`, never `-0`.
    pub fn ht(&self) -> f64 {
        self.sum_of(|o| o.pt)
    }

    /// The `n` leading objects (all of them when there are fewer), for "the four leading
    /// jets".
    pub fn leading_n(&self, n: usize) -> Objects<'a> {
        Objects::from_sorted(self.iter().copied().take(n))
    }

    /// The smallest value of a per-object quantity, e.g. min Δφ(jet, MET); `None` when the
    /// collection is empty, so a cut on it fails instead of passing on an infinity.
    pub fn min_of(&self, mut f: impl FnMut(&Object) -> f64) -> Option<f64> {
        self.iter().map(|o| f(o)).reduce(f64::min)
    }

    /// The largest value of a per-object quantity; `None` when the collection is empty.
    pub fn max_of(&self, mut f: impl FnMut(&Object) -> f64) -> Option<f64> {
        self.iter().map(|o| f(o)).reduce(f64::max)
    }

    /// The sum of a per-object quantity; `0` (never `-0`) when the collection is empty, so
    /// outputs never show a negative zero.
    pub fn sum_of(&self, mut f: impl FnMut(&Object) -> f64) -> f64 {
        self.iter().fold(0.0, |acc, o| acc + f(o))
    }

    /// The objects that are not members of `pair`: "the lepton not in the Z pair".
    pub fn excluding(&self, pair: &Pair<'a>) -> Objects<'a> {
        Objects::from_sorted(self.iter().copied().filter(|o| !pair.contains(o)))
    }

    /// Sum of the four-vectors.
    pub fn p4(&self) -> P4 {
        self.iter().map(|o| o.p4()).sum()
    }

    /// Invariant mass of all objects together.
    pub fn mass(&self) -> f64 {
        self.p4().mass()
    }

    /// Sum of charges (sign of ntrk), e.g. for "total lepton charge zero".
    pub fn total_charge(&self) -> i32 {
        self.iter().map(|o| o.charge()).sum()
    }

    /// Number of jets passing a b-tag working point, for b-vetoes and b-counts.
    pub fn count_btagged(&self, wp: BTag) -> usize {
        self.iter().filter(|o| o.is_btagged_at(wp)).count()
    }

    /// A sub-selection, still pT-ordered.
    pub fn filter(&self, mut keep: impl FnMut(&Object) -> bool) -> Objects<'a> {
        Objects::from_sorted(self.iter().copied().filter(|o| keep(o)))
    }

    /// Both collections together in pT order, e.g. selected electrons and muons as "leptons".
    pub fn union(&self, other: &Objects<'a>) -> Objects<'a> {
        self.iter().chain(other.iter()).copied().collect()
    }

    /// Overlap removal: keeps the objects whose ΔR to every object of `others` is at least
    /// `dr` (an object closer than `dr` to any of them is dropped).
    pub fn remove_overlap<K: Kinematics>(&self, others: &[K], dr: f64) -> Objects<'a> {
        self.filter(|o| others.iter().all(|x| o.delta_r(x) >= dr))
    }

    /// Every unordered pair (i < j) in pT order of the first member.
    pub fn pairs(&self) -> impl Iterator<Item = Pair<'a>> + '_ {
        let items = self.items.as_slice();
        (0..items.len()).flat_map(move |i| {
            (i + 1..items.len()).map(move |j| Pair {
                a: items[i],
                b: items[j],
            })
        })
    }

    /// Pairs with opposite charge (q1·q2 < 0).
    pub fn os_pairs(&self) -> impl Iterator<Item = Pair<'a>> + '_ {
        self.pairs().filter(Pair::is_opposite_sign)
    }

    /// Same-flavour (same type) opposite-sign pairs, the Z → ℓℓ candidates.
    pub fn sfos_pairs(&self) -> impl Iterator<Item = Pair<'a>> + '_ {
        self.pairs().filter(Pair::is_sfos)
    }
}

/// Two objects considered together (a resonance candidate).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair<'a> {
    /// The higher-pT member when built from an [`Objects`].
    pub a: &'a Object,
    /// The other member.
    pub b: &'a Object,
}

impl<'a> Pair<'a> {
    /// Combined four-vector.
    pub fn p4(&self) -> P4 {
        self.a.p4() + self.b.p4()
    }

    /// Whether `o` is one of the two members (the same object of the event, not an equal one).
    pub fn contains(&self, o: &Object) -> bool {
        std::ptr::eq(self.a, o) || std::ptr::eq(self.b, o)
    }

    /// Invariant mass of the pair.
    pub fn mass(&self) -> f64 {
        self.p4().mass()
    }

    /// Whether the charges are opposite (q1·q2 < 0, so a neutral member never qualifies).
    pub fn is_opposite_sign(&self) -> bool {
        self.a.charge() * self.b.charge() < 0
    }

    /// Whether both members are of the same type.
    pub fn is_same_flavour(&self) -> bool {
        self.a.kind == self.b.kind
    }

    /// Same flavour and opposite sign.
    pub fn is_sfos(&self) -> bool {
        self.is_same_flavour() && self.is_opposite_sign()
    }

    /// ΔR between the members.
    pub fn delta_r(&self) -> f64 {
        self.a.delta_r(self.b)
    }

    /// Δφ between the members, in [0, π].
    pub fn delta_phi(&self) -> f64 {
        self.a.delta_phi(self.b)
    }
}

/// Choosing among candidate pairs, e.g. `muons.sfos_pairs().closest_to_mass(M_Z)`.
pub trait PairsExt<'a>: Iterator<Item = Pair<'a>> + Sized {
    /// The pair whose invariant mass is nearest to `target` (first one on ties).
    fn closest_to_mass(self, target: f64) -> Option<Pair<'a>> {
        let mut best: Option<(f64, Pair<'a>)> = None;
        for p in self {
            let d = (p.mass() - target).abs();
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, p));
            }
        }
        best.map(|(_, p)| p)
    }
}

impl<'a, I: Iterator<Item = Pair<'a>>> PairsExt<'a> for I {}
