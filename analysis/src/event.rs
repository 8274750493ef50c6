//! The event and object model: one LHCO event is an ordered list of reconstructed objects plus
//! exactly one missing-transverse-energy row.
//!
//! Raw detector columns (`ntrk`, `btag`, `had/em`, the two dummy columns) are kept untouched so
//! that any working point or convention can be applied later, and so the writer can reproduce
//! the file.

use std::fmt;

use crate::physics::BTag;

/// LHCO object type codes. The numeric values are the ones in the file's `typ` column, so a
/// `Kind` converts losslessly back to what the writer prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Kind {
    /// `typ` 0.
    Photon = 0,
    /// `typ` 1.
    Electron = 1,
    /// `typ` 2.
    Muon = 2,
    /// `typ` 3: hadronically decaying tau; `ntrk` holds ±(number of prongs).
    Tau = 3,
    /// `typ` 4.
    Jet = 4,
    /// `typ` 6: missing transverse energy; η is meaningless (written as 0).
    Met = 6,
}

impl Kind {
    /// Every object type, in type-code order; handy for per-type summaries.
    pub const ALL: [Kind; 6] = [
        Kind::Photon,
        Kind::Electron,
        Kind::Muon,
        Kind::Tau,
        Kind::Jet,
        Kind::Met,
    ];

    /// Maps a `typ` column value to a kind; `None` for codes LHCO does not define (5, 7, ...),
    /// which the reader reports as an error rather than guessing.
    pub fn from_code(code: i64) -> Option<Kind> {
        Some(match code {
            0 => Kind::Photon,
            1 => Kind::Electron,
            2 => Kind::Muon,
            3 => Kind::Tau,
            4 => Kind::Jet,
            6 => Kind::Met,
            _ => return None,
        })
    }

    /// The `typ` column value, for writing files back.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Whether the physics convention treats this object as massless (e, μ, γ and MET); jets and
    /// taus carry their measured `jmass` instead.
    pub fn is_massless(self) -> bool {
        !matches!(self, Kind::Jet | Kind::Tau)
    }

    /// "Lepton" in an analysis text means electron or muon; taus only when said explicitly.
    pub fn is_lepton(self) -> bool {
        matches!(self, Kind::Electron | Kind::Muon)
    }

    /// Short physics name used in summaries and tables.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Photon => "photon",
            Kind::Electron => "electron",
            Kind::Muon => "muon",
            Kind::Tau => "tau",
            Kind::Jet => "jet",
            Kind::Met => "MET",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One LHCO object row. Fields are public plain data because analyses read them constantly and
/// nothing needs protecting; the physics accessors (`pt()`, `p4()`, ...) live on
/// [`Kinematics`](crate::Kinematics) so objects and four-vectors share one vocabulary.
///
/// `phi` is normalised by the reader (see the crate docs); everything else is the raw column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Object {
    /// Object type (`typ` column).
    pub kind: Kind,
    /// Pseudorapidity η.
    pub eta: f64,
    /// Azimuth φ in radians, normalised to at most π.
    pub phi: f64,
    /// Transverse momentum in GeV (for MET: the missing transverse energy).
    pub pt: f64,
    /// Invariant mass of the jet or tau candidate in GeV (`jmas` column).
    pub jmass: f64,
    /// Track count; its sign is the charge for leptons and taus (taus: ±prongs).
    pub ntrk: f64,
    /// Raw b-tag column: PGS levels (0, 1, 2, fractional variants), Delphes bitmask, or for
    /// muons the index of the closest jet. Interpret it only through [`BTag`].
    pub btag: f64,
    /// Hadronic over electromagnetic energy ratio (Delphes: 999.9 when there is no EM energy).
    pub had_em: f64,
    /// First dummy column, kept only so files round-trip.
    pub dum1: f64,
    /// Second dummy column, kept only so files round-trip.
    pub dum2: f64,
}

impl Object {
    /// Builds an object with the kinematic columns set and every detector column zero; meant for
    /// tests, generators and hand-made events.
    pub fn new(kind: Kind, pt: f64, eta: f64, phi: f64, jmass: f64) -> Object {
        Object {
            kind,
            eta,
            phi,
            pt,
            jmass,
            ntrk: 0.0,
            btag: 0.0,
            had_em: 0.0,
            dum1: 0.0,
            dum2: 0.0,
        }
    }

    /// Electric charge as the sign of `ntrk` (+1, −1 or 0). Only meaningful for leptons and
    /// taus; for jets `ntrk` is a plain track count.
    pub fn charge(&self) -> i32 {
        if self.ntrk > 0.0 {
            1
        } else if self.ntrk < 0.0 {
            -1
        } else {
            0
        }
    }

    /// Whether this is a b-tagged jet at the default working point (`btag >= 1`). Always false
    /// for non-jets, because the PGS muon `btag` column holds a jet index, not a tag.
    pub fn is_btagged(&self) -> bool {
        self.is_btagged_at(BTag::default())
    }

    /// Whether this is a jet passing the given b-tag working point.
    pub fn is_btagged_at(&self, wp: BTag) -> bool {
        self.kind == Kind::Jet && wp.passes(self.btag)
    }
}

/// One event: header information plus its objects in file order, with the MET row kept aside so
/// that `met()` can never fail on an event the reader produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Event number from the header (second column).
    pub number: u64,
    /// Trigger word from the header (third column), kept raw.
    pub trigger: u64,
    /// Optional event weight from a fourth header column; `None` when the file has none, so
    /// that writing the event back reproduces the header.
    pub weight: Option<f64>,
    /// 1-based line of the event header in the source file (0 for events built in code); lets
    /// an analysis point a user at the exact event it is puzzled by.
    pub line: u64,
    pub(crate) objects: Vec<Object>,
    pub(crate) met: Object,
    pub(crate) met_row: usize,
}

impl Event {
    /// An empty event with zero MET. The MET row will be written after all pushed objects
    /// unless [`Event::set_met`] is called between pushes.
    pub fn new(number: u64, trigger: u64) -> Event {
        Event {
            number,
            trigger,
            weight: None,
            line: 0,
            objects: Vec::new(),
            met: Object::new(Kind::Met, 0.0, 0.0, 0.0, 0.0),
            met_row: usize::MAX,
        }
    }

    /// Appends an object. A MET object replaces the event's MET (an event has exactly one) and
    /// records its row position.
    pub fn push(&mut self, object: Object) {
        if object.kind == Kind::Met {
            self.met = object;
            self.met_row = self.objects.len();
        } else {
            self.objects.push(object);
        }
    }

    /// Sets the missing transverse energy and places its row after the objects pushed so far.
    pub fn set_met(&mut self, met: f64, phi: f64) {
        self.push(Object::new(Kind::Met, met, 0.0, phi, 0.0));
    }

    /// All non-MET objects in file order.
    pub fn objects(&self) -> &[Object] {
        &self.objects
    }

    /// The MET row: `pt()` is the missing transverse energy, `phi()` its direction.
    pub fn met(&self) -> &Object {
        &self.met
    }

    /// Missing transverse energy in GeV, the quantity most cuts use.
    pub fn met_pt(&self) -> f64 {
        self.met.pt
    }

    /// Event weight, 1 when the file gives none, so weighted fills work on every file.
    pub fn weight_or_one(&self) -> f64 {
        self.weight.unwrap_or(1.0)
    }

    /// Objects of one kind, in file order. Use `.collect::<Objects>()` for pT order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Object> + Clone + '_ {
        self.objects.iter().filter(move |o| o.kind == kind)
    }

    /// Photon candidates.
    pub fn photons(&self) -> impl Iterator<Item = &Object> + Clone + '_ {
        self.of_kind(Kind::Photon)
    }

    /// Electron candidates.
    pub fn electrons(&self) -> impl Iterator<Item = &Object> + Clone + '_ {
        self.of_kind(Kind::Electron)
    }

    /// Muon candidates.
    pub fn muons(&self) -> impl Iterator<Item = &Object> + Clone + '_ {
        self.of_kind(Kind::Muon)
    }

    /// Hadronic tau candidates.
    pub fn taus(&self) -> impl Iterator<Item = &Object> + Clone + '_ {
        self.of_kind(Kind::Tau)
    }

    /// Jets.
    pub fn jets(&self) -> impl Iterator<Item = &Object> + Clone + '_ {
        self.of_kind(Kind::Jet)
    }

    /// Electrons and muons together ("lepton" in analysis texts never includes taus).
    pub fn leptons(&self) -> impl Iterator<Item = &Object> + Clone + '_ {
        self.objects.iter().filter(|o| o.kind.is_lepton())
    }

    /// Number of objects of a kind (MET counts as one), for summaries.
    pub fn count(&self, kind: Kind) -> usize {
        if kind == Kind::Met {
            1
        } else {
            self.of_kind(kind).count()
        }
    }

    /// Rows in file order including MET, as the writer emits them.
    pub fn rows(&self) -> impl Iterator<Item = &Object> + '_ {
        let at = self.met_row.min(self.objects.len());
        self.objects[..at]
            .iter()
            .chain(std::iter::once(&self.met))
            .chain(self.objects[at..].iter())
    }

    pub(crate) fn clear(&mut self) {
        self.objects.clear();
        self.met_row = usize::MAX;
        self.weight = None;
    }
}
