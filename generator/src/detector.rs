//! The parametric detector: turns the generator-level final state into reconstructed LHCO
//! objects and MET following a [`DetectorCard`]. Nothing here tracks particles through
//! material: every effect is an efficiency, a resolution or an acceptance from the card.

use collm_analysis::{Event, Kind, Kinematics, Object, P4};
use rand::RngExt;
use rand_distr::StandardNormal;

use crate::card::{CaloResolution, DetectorCard};
use crate::jets::{cluster, semileptonic_loss, TruthJet};
use crate::spectra::{phi, poisson, power_law};
use crate::truth::{Particle, Species};
use crate::Rng;

/// Generator truth attached to one reconstructed object (not written to LHCO; the Parquet
/// output carries it so the jet-flavour and displaced-object tasks have labels).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ObjectTruth {
    /// What made the object: 11 electron, 13 muon, 22 photon, 15 hadronic τ; for jets the
    /// flavour label 5 (b), 4 (c), 15 (τ not identified as τ), 0 (light or gluon), −1
    /// (pileup). For τ candidates faked by jets, the jet's label.
    pub id: i32,
    /// Transverse displacement of the production vertex (mm); 0 for prompt objects.
    pub lxy_mm: f64,
}

/// One reconstructed event with its truth labels, aligned with `event.objects()` (the MET row
/// has no label).
#[derive(Debug, Clone, PartialEq)]
pub struct GenEvent {
    /// The reconstructed event as an analysis sees it.
    pub event: Event,
    /// One label per entry of `event.objects()`, in the same order.
    pub truth: Vec<ObjectTruth>,
    /// Number of pileup vertices drawn for this event (Poisson with the requested mean).
    pub pileup_vertices: u32,
}

/// Reusable buffers, so reconstruction allocates only the event it returns.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    partons: Vec<TruthJet>,
    jets: Vec<TruthJet>,
    objects: Vec<(Object, ObjectTruth)>,
}

/// Running sums for MET: reconstructed objects, and the unclustered visible momentum the
/// soft term measures.
#[derive(Default)]
struct Balance {
    vis: (f64, f64),
    soft: (f64, f64),
    soft_et: f64,
}

impl Balance {
    fn seen(&mut self, o: &Object) {
        self.vis.0 += o.pt * o.phi.cos();
        self.vis.1 += o.pt * o.phi.sin();
    }
    fn soft(&mut self, p: &P4) {
        self.soft.0 += p.px;
        self.soft.1 += p.py;
        self.soft_et += p.pt();
    }
}

fn gauss(rng: &mut Rng) -> f64 {
    rng.sample::<f64, _>(StandardNormal)
}

/// Smears the energy with a calorimeter resolution, keeping direction and the mass-to-energy
/// ratio; None when the fluctuation leaves no energy.
fn smear_energy(rng: &mut Rng, p: &P4, res: &CaloResolution, noise2: f64) -> Option<P4> {
    let e2 = p.e + res.sigma(p.e, noise2) * gauss(rng);
    (e2 > 0.0).then(|| crate::kin::scale(*p, e2 / p.e))
}

fn object(kind: Kind, p: &P4, mass: f64) -> Object {
    Object::new(
        kind,
        p.pt(),
        p.eta(),
        collm_analysis::physics::wrap_phi(p.phi()),
        mass,
    )
}

/// Reconstructs one event. `number` becomes the LHCO event number.
///
/// `rngs` are the hard-scatter stream and the pileup stream: everything pileup adds (pileup
/// jets, pileup MET noise) draws from the second, so the rest of the event is unchanged by it.
pub(crate) fn reconstruct(
    rngs: [&mut Rng; 2],
    card: &DetectorCard,
    truth: &[Particle],
    n_pu: u32,
    number: u64,
    s: &mut Scratch,
) -> GenEvent {
    let [rng, pu_rng] = rngs;
    let mut bal = Balance::default();
    s.objects.clear();
    s.partons.clear();
    for t in truth {
        particle(rng, card, t, s, &mut bal);
    }
    let Scratch {
        partons,
        jets,
        objects,
    } = s;
    cluster(partons, card.jet_r, jets);
    for j in jets.iter_mut() {
        semileptonic_loss(rng, j);
        jet(rng, card, j, n_pu, objects, &mut bal);
    }
    pileup_jets(pu_rng, card, n_pu, objects, &mut bal);
    let (mx, my) = met([rng, pu_rng], card, &bal, n_pu);
    assemble(objects, number, (mx, my), n_pu)
}

/// Reconstructs one generator-level particle: leptons, photons and identified taus become
/// objects; partons and unidentified taus are kept for jet clustering; what is lost feeds
/// the MET balance.
fn particle(rng: &mut Rng, card: &DetectorCard, t: &Particle, s: &mut Scratch, bal: &mut Balance) {
    let abs_eta = t.p.eta().abs();
    // Visible energy beyond the calorimeter (in η or in radius) escapes like a neutrino.
    let in_calo = abs_eta < card.calo_eta && t.lxy < card.calo_radius;
    let mut keep = |o: Object, id: i32| {
        bal.seen(&o);
        s.objects.push((o, ObjectTruth { id, lxy_mm: t.lxy }));
    };
    match t.species {
        Species::Invisible => {}
        Species::Electron | Species::Photon => match egamma(rng, card, t, abs_eta) {
            Some((o, id)) => keep(o, id),
            None if in_calo => bal.soft(&t.p),
            None => {}
        },
        Species::Muon => {
            if let Some(o) = muon(rng, card, t) {
                keep(o, 13);
            }
            // A muon that is not reconstructed leaves only a MIP: it counts as missing.
        }
        Species::TauHad { prongs } => match tau(rng, card, t, abs_eta, prongs) {
            Some(o) => keep(o, 15),
            // Not identified: the visible τ products make an ordinary jet.
            None => s.partons.push(TruthJet::new(t.p, 15, t.lxy)),
        },
        Species::Parton { flavour } => s.partons.push(TruthJet::new(t.p, flavour, t.lxy)),
    }
}

/// A smeared momentum for a particle the detector `accepted`, if it stays above `pt_min`.
/// Nothing is drawn from `rng` for a particle it did not accept.
fn measured(
    rng: &mut Rng,
    accepted: bool,
    p: &P4,
    res: &CaloResolution,
    noise2: f64,
    pt_min: f64,
) -> Option<P4> {
    accepted
        .then(|| smear_energy(rng, p, res, noise2))
        .flatten()
        .filter(|p| p.pt() > pt_min)
}

/// Electron and photon reconstruction: tracker and ECAL acceptance, efficiency, ECAL
/// smearing and threshold. Returns the object with its truth id.
fn egamma(rng: &mut Rng, card: &DetectorCard, t: &Particle, abs_eta: f64) -> Option<(Object, i32)> {
    let photon = t.species == Species::Photon;
    let (eff, kind, id) = if photon {
        (card.photon_eff, Kind::Photon, 22)
    } else {
        (card.electron_eff, Kind::Electron, 11)
    };
    let ok = abs_eta < card.tracker_eta
        && t.lxy < card.ecal_radius
        && rng.random::<f64>() < eff[card.region(abs_eta)];
    let p = measured(rng, ok, &t.p, card.ecal(abs_eta), 0.0, card.egamma_pt_min)?;
    let mut o = object(kind, &p, 0.0);
    o.ntrk = f64::from(t.charge);
    o.had_em = rng.random_range(0.0..0.05);
    Some((o, id))
}

/// Hadronic τ identification: tracker acceptance, efficiency, jet-like smearing and threshold.
fn tau(
    rng: &mut Rng,
    card: &DetectorCard,
    t: &Particle,
    abs_eta: f64,
    prongs: u8,
) -> Option<Object> {
    let tagged = abs_eta < card.tracker_eta && rng.random::<f64>() < card.tau_eff;
    let p = measured(
        rng,
        tagged,
        &t.p,
        card.jet_resolution(abs_eta),
        0.0,
        card.tau_pt_min,
    )?;
    let mut o = object(Kind::Tau, &p, p.mass());
    o.ntrk = f64::from(t.charge) * f64::from(prongs);
    o.had_em = rng.random_range(0.5..3.0);
    Some(o)
}

/// MET = −(Σ reconstructed objects + smeared unclustered soft term + pileup noise), as x and y.
fn met(rngs: [&mut Rng; 2], card: &DetectorCard, bal: &Balance, n_pu: u32) -> (f64, f64) {
    let [rng, pu_rng] = rngs;
    let soft =
        (card.met_soft_floor.powi(2) + card.met_soft_stochastic.powi(2) * bal.soft_et).sqrt();
    let pu = (card.met_pileup_noise2 * f64::from(n_pu)).sqrt();
    let mx = -(bal.vis.0 + bal.soft.0 + soft * gauss(rng) + pu * gauss(pu_rng));
    let my = -(bal.vis.1 + bal.soft.1 + soft * gauss(rng) + pu * gauss(pu_rng));
    (mx, my)
}

/// The event in Delphes root2lhco order (photons, electrons, muons, taus, jets, each by
/// decreasing pT), with its truth labels in the same order.
fn assemble(
    objects: &mut [(Object, ObjectTruth)],
    number: u64,
    (mx, my): (f64, f64),
    n_pu: u32,
) -> GenEvent {
    objects.sort_by(|a, b| a.0.kind.cmp(&b.0.kind).then(b.0.pt.total_cmp(&a.0.pt)));
    let mut event = Event::new(number, 0);
    let mut labels = Vec::with_capacity(objects.len());
    for (o, t) in objects.iter() {
        event.push(*o);
        labels.push(*t);
    }
    event.set_met(mx.hypot(my), my.atan2(mx));
    GenEvent {
        event,
        truth: labels,
        pileup_vertices: n_pu,
    }
}

/// Muon reconstruction: acceptance, efficiency, then a Gaussian smear of the curvature q/pT.
fn muon(rng: &mut Rng, card: &DetectorCard, t: &Particle) -> Option<Object> {
    let (pt, eta) = (t.p.pt(), t.p.eta());
    if eta.abs() >= card.muon_eta
        || pt < card.muon_pt_min
        || rng.random::<f64>() >= card.muon_eff[card.region(eta)]
    {
        return None;
    }
    let k = f64::from(t.charge) / pt;
    let k2 = k + k.abs() * card.muon_sigma(pt, eta) * gauss(rng);
    let pt2 = 1.0 / k2.abs();
    if !pt2.is_finite() || pt2 < card.muon_pt_min {
        return None;
    }
    let mut o = Object::new(Kind::Muon, pt2, eta, t.p.phi(), 0.0);
    o.ntrk = k2.signum();
    Some(o)
}

/// Jet reconstruction: acceptance, energy and direction smearing, threshold, then τ mis-tag,
/// b-tag and the detector columns.
fn jet(
    rng: &mut Rng,
    card: &DetectorCard,
    j: &TruthJet,
    n_pu: u32,
    out: &mut Vec<(Object, ObjectTruth)>,
    bal: &mut Balance,
) {
    let eta = j.p.eta();
    if eta.abs() >= card.calo_eta || j.lxy >= card.calo_radius {
        return; // escapes
    }
    let noise2 = card.jet_pileup_noise2 * f64::from(n_pu);
    let accepted = eta.abs() < card.jet_eta;
    let reco = measured(
        rng,
        accepted,
        &j.p,
        card.jet_resolution(eta),
        noise2,
        card.jet_pt_min,
    );
    let Some(p) = reco else {
        bal.soft(&j.p);
        return;
    };
    let label = ObjectTruth {
        id: i32::from(j.flavour),
        lxy_mm: j.lxy,
    };
    let o = jet_object(rng, card, &p, j.flavour, j.lxy);
    bal.seen(&o);
    out.push((o, label));
}

/// Builds the LHCO row of a reconstructed jet (or the τ candidate it fakes).
fn jet_object(rng: &mut Rng, card: &DetectorCard, p: &P4, flavour: u8, lxy: f64) -> Object {
    let eta = p.eta() + card.jet_angle * gauss(rng);
    let phi = collm_analysis::physics::wrap_phi(p.phi() + card.jet_angle * gauss(rng));
    // Shower mass ~ 5–10% of pT on top of the partons' own invariant mass.
    let shower = p.pt() * rng.random_range(0.05..0.10);
    let mass = p.mass().hypot(shower);
    let tracked = eta.abs() < card.tracker_eta && lxy < card.tracking_radius;
    let light = !matches!(flavour, 4 | 5);
    if tracked && light && rng.random::<f64>() < card.tau_mistag {
        let mut o = Object::new(Kind::Tau, p.pt(), eta, phi, mass.min(2.0));
        o.ntrk = if rng.random::<bool>() { 1.0 } else { -1.0 };
        o.had_em = rng.random_range(0.5..3.0);
        return o;
    }
    let mut o = Object::new(Kind::Jet, p.pt(), eta, phi, mass);
    if tracked {
        let mean = 3.0 + 4.0 * (1.0 + p.pt() / 20.0).ln();
        o.ntrk = f64::from(poisson(rng, mean));
        let eff = match flavour {
            5 => card.btag_eff_b * (-lxy / card.btag_lxy_scale).exp(),
            4 => card.btag_eff_c,
            _ => card.btag_eff_light,
        };
        if rng.random::<f64>() < eff {
            o.btag = 1.0;
        }
    }
    let em = rng.random_range(0.1..0.6);
    o.had_em = (1.0 - em) / em;
    o
}

/// Pileup jets: Poisson with mean ∝ the number of pileup vertices, pT ∝ pT⁻ⁿ above the jet
/// threshold, flat in |η| < jet acceptance. Each is balanced by soft pileup activity, so it
/// only moves MET through its mismeasurement.
fn pileup_jets(
    rng: &mut Rng,
    card: &DetectorCard,
    n_pu: u32,
    out: &mut Vec<(Object, ObjectTruth)>,
    bal: &mut Balance,
) {
    let n = poisson(rng, card.pileup_jets_per_vertex * f64::from(n_pu));
    let noise2 = card.jet_pileup_noise2 * f64::from(n_pu);
    for _ in 0..n {
        let pt = power_law(rng, card.jet_pt_min, card.pileup_jet_slope);
        let eta = rng.random_range(-card.jet_eta..card.jet_eta);
        let truth = P4::from_pt_eta_phi_m(pt, eta, phi(rng), 0.0);
        let Some(p) = smear_energy(rng, &truth, card.jet_resolution(eta), noise2) else {
            continue;
        };
        if p.pt() <= card.jet_pt_min {
            continue;
        }
        let o = jet_object(rng, card, &p, 0, 0.0);
        bal.seen(&o);
        bal.soft.0 -= truth.px;
        bal.soft.1 -= truth.py;
        out.push((
            o,
            ObjectTruth {
                id: -1,
                lxy_mm: 0.0,
            },
        ));
    }
}
