//! Physics against hand-computed values.

use std::f64::consts::{FRAC_PI_2, PI, TAU};

use collm_analysis::prelude::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

macro_rules! assert_close {
    ($a:expr, $b:expr) => {{
        let (a, b) = ($a, $b);
        assert!(close(a, b), "{} = {a}, expected {b}", stringify!($a));
    }};
}

fn lepton(kind: Kind, pt: f64, eta: f64, phi: f64, charge: f64) -> Object {
    let mut o = Object::new(kind, pt, eta, phi, 0.0);
    o.ntrk = charge;
    o
}

#[test]
fn delta_phi_wraps_across_pi_and_zero() {
    // Across ±π: 3.0 and −3.0 are 2π − 6 apart, not 6.
    assert_close!(delta_phi_angles(3.0, -3.0), TAU - 6.0);
    // Across 0/2π (PGS convention): 0.1 and 2π − 0.1 are 0.2 apart.
    assert_close!(delta_phi_angles(0.1, TAU - 0.1), 0.2);
    // Mixed conventions: PGS 4.0 is Delphes 4.0 − 2π.
    assert_close!(delta_phi_angles(4.0, 4.0 - TAU), 0.0);
    assert_close!(delta_phi_angles(0.0, PI), PI);
    assert_close!(delta_phi_angles(-PI, PI), 0.0);
    assert_close!(delta_phi_angles(1.0, 1.0 + FRAC_PI_2), FRAC_PI_2);
    assert_close!(delta_phi_angles(10.0 * TAU + 0.3, -0.2), 0.5);
    assert_close!(wrap_phi(3.0 * PI / 2.0), -PI / 2.0);
    assert_close!(wrap_phi(-PI), PI);
}

#[test]
fn delta_r_and_delta_eta() {
    let a = Object::new(Kind::Jet, 30.0, 0.0, 0.0, 0.0);
    let b = Object::new(Kind::Jet, 30.0, 3.0, 4.0, 0.0);
    // Δφ = 2π − 4 after wrapping.
    assert_close!(delta_r(&a, &b), (9.0 + (TAU - 4.0).powi(2)).sqrt());
    assert_close!(delta_eta(&a, &b), 3.0);
    assert_close!(delta_phi(&a, &b), TAU - 4.0);
    let c = Object::new(Kind::Jet, 30.0, -0.5, 3.0, 0.0);
    let d = Object::new(Kind::Jet, 30.0, 0.5, -3.0, 0.0);
    assert_close!(delta_r(&c, &d), (1.0 + (TAU - 6.0).powi(2)).sqrt());
}

#[test]
fn back_to_back_massless_pair_mass() {
    let a = lepton(Kind::Muon, 50.0, 0.0, 0.3, 1.0);
    let b = lepton(Kind::Muon, 50.0, 0.0, 0.3 - PI, -1.0);
    assert_close!(inv_mass(&a, &b), 100.0);
    // With η = ±1.2 the pair mass is 2 pT cosh η.
    let c = lepton(Kind::Electron, 40.0, 1.2, 0.0, 1.0);
    let d = lepton(Kind::Electron, 40.0, -1.2, PI, -1.0);
    assert_close!(inv_mass(&c, &d), 80.0 * 1.2f64.cosh());
    // General massless formula m² = 2 pT1 pT2 (cosh Δη − cos Δφ).
    let e = lepton(Kind::Muon, 30.0, 0.4, 1.0, 1.0);
    let f = lepton(Kind::Muon, 70.0, -0.9, -0.5, -1.0);
    let m2 = 2.0 * 30.0 * 70.0 * ((1.3f64).cosh() - (1.5f64).cos());
    assert_close!(inv_mass(&e, &f), m2.sqrt());
}

#[test]
fn collinear_massless_pair_has_zero_not_nan_mass() {
    let a = lepton(Kind::Muon, 50.0, 2.5, 1.0, 1.0);
    let b = lepton(Kind::Muon, 20.0, 2.5, 1.0, -1.0);
    let m = inv_mass(&a, &b);
    assert!(m.abs() < 1e-4, "{m}");
}

#[test]
fn mass_uses_jet_masses_and_ignores_lepton_jmass() {
    let j1 = Object::new(Kind::Jet, 50.0, 0.0, 0.0, 10.0);
    let j2 = Object::new(Kind::Jet, 50.0, 0.0, PI, 20.0);
    let want = (2500.0f64 + 100.0).sqrt() + (2500.0f64 + 400.0).sqrt();
    assert_close!(inv_mass(&j1, &j2), want);
    assert_close!(j1.p4().mass(), 10.0);
    assert_close!(Object::new(Kind::Tau, 30.0, 1.0, 0.0, 1.5).p4().mass(), 1.5);
    // e/μ/γ are massless by convention even if jmas is filled (PGS writes 0.11 for muons).
    let mu = Object::new(Kind::Muon, 5.19, -0.268, 5.655, 0.11);
    assert_eq!(mu.mass(), 0.0);
    assert!(mu.p4().mass() < 1e-6);
    // Three-body mass from the summed four-vectors.
    let j3 = Object::new(Kind::Jet, 30.0, 0.0, FRAC_PI_2, 0.0);
    let total = j1.p4() + j2.p4() + j3.p4();
    let (e, px, py, pz): (f64, f64, f64, f64) = (want + 30.0, 0.0, 30.0, 0.0);
    assert_close!(total.mass(), (e * e - px * px - py * py - pz * pz).sqrt());
    assert_close!(mass_of([&j1, &j2, &j3]), total.mass());
}

#[test]
fn transverse_mass() {
    let lep = lepton(Kind::Electron, 40.0, 0.7, 1.0, -1.0);
    let mut ev = Event::new(1, 0);
    ev.set_met(40.0, 1.0 - PI);
    // Δφ = π: MT = sqrt(2 · 40 · 40 · 2) = 80.
    assert_close!(mt(&lep, ev.met()), 80.0);
    ev.set_met(25.0, 1.0);
    assert_close!(mt(&lep, ev.met()), 0.0);
    ev.set_met(25.0, 1.0 + FRAC_PI_2);
    assert_close!(mt(&lep, ev.met()), (2.0f64 * 40.0 * 25.0).sqrt());
    // MT ignores η: the same lepton at η = 2 gives the same value.
    let forward = lepton(Kind::Electron, 40.0, 2.0, 1.0, -1.0);
    assert_close!(mt(&forward, ev.met()), mt(&lep, ev.met()));
}

#[test]
fn four_vector_round_trip_and_met_vector() {
    let v = P4::from_pt_eta_phi_m(45.0, -1.3, 2.2, 12.0);
    assert_close!(v.pt(), 45.0);
    assert_close!(v.eta(), -1.3);
    assert_close!(v.phi(), 2.2);
    assert_close!(v.mass(), 12.0);
    let met = P4::transverse(30.0, -2.0);
    assert_close!(met.pt(), 30.0);
    assert_close!(met.phi(), -2.0);
    assert_eq!(met.pz, 0.0);
    assert_eq!(P4::default().eta(), 0.0);
    // W_lep = lepton + MET in the transverse plane.
    let lep = lepton(Kind::Muon, 30.0, 0.0, 0.0, 1.0);
    let w = lep.p4() + P4::transverse(30.0, PI / 2.0);
    assert_close!(w.pt(), 30.0 * 2f64.sqrt());
    assert_close!(w.phi(), PI / 4.0);
}

#[test]
fn charge_btag_and_ht() {
    assert_eq!(lepton(Kind::Muon, 1.0, 0.0, 0.0, -1.0).charge(), -1);
    assert_eq!(lepton(Kind::Tau, 1.0, 0.0, 0.0, 3.0).charge(), 1);
    assert_eq!(lepton(Kind::Photon, 1.0, 0.0, 0.0, 0.0).charge(), 0);
    let mut jet = Object::new(Kind::Jet, 40.0, 0.0, 0.0, 5.0);
    for (btag, loose, tight, bit0, bit1) in [
        (0.0, false, false, false, false),
        (0.5, false, false, false, false),
        (1.0, true, false, true, false),
        (2.0, true, true, false, true),
        (2.5, true, true, false, true),
        (3.0, true, true, true, true),
    ] {
        jet.btag = btag;
        assert_eq!(jet.is_btagged(), loose, "{btag}");
        assert_eq!(jet.is_btagged_at(BTag::PgsTight), tight, "{btag}");
        assert_eq!(jet.is_btagged_at(BTag::Bit(0)), bit0, "{btag}");
        assert_eq!(jet.is_btagged_at(BTag::Bit(1)), bit1, "{btag}");
    }
    // A PGS muon's btag column is a jet index, never a tag.
    let mut mu = lepton(Kind::Muon, 10.0, 0.0, 0.0, 1.0);
    mu.btag = 5.0;
    assert!(!mu.is_btagged());
    let mut ev = Event::new(1, 0);
    for pt in [20.0, 50.0, 35.0] {
        ev.push(Object::new(Kind::Jet, pt, 0.0, 0.0, 1.0));
    }
    let jets: Objects = ev.jets().filter(|j| j.pt() > 25.0).collect();
    assert_close!(jets.ht(), 85.0);
    assert_eq!(jets.leading().map(|j| j.pt), Some(50.0));
    assert_eq!(jets.subleading().map(|j| j.pt), Some(35.0));
    assert_eq!(jets.nth(2), None);
}

#[test]
fn pair_finders_and_overlap_removal() {
    let mut ev = Event::new(1, 0);
    ev.push(lepton(Kind::Muon, 45.0, 0.1, 0.0, 1.0));
    ev.push(lepton(Kind::Muon, 40.0, -0.2, PI - 0.1, -1.0));
    ev.push(lepton(Kind::Electron, 30.0, 0.5, 1.5, -1.0));
    ev.push(lepton(Kind::Muon, 10.0, 1.0, -1.0, 1.0));
    ev.push(Object::new(Kind::Jet, 60.0, 0.12, 0.05, 8.0));
    ev.push(Object::new(Kind::Jet, 50.0, -1.5, 2.0, 8.0));
    ev.set_met(20.0, 0.0);
    let leptons: Objects = ev.leptons().collect();
    assert_eq!(leptons.len(), 4);
    assert_eq!(leptons.pairs().count(), 6);
    // OS pairs: (μ+45, μ−40), (μ+45, e−30), (μ−40, μ+10), (e−30, μ+10).
    assert_eq!(leptons.os_pairs().count(), 4);
    let sfos: Vec<_> = leptons.sfos_pairs().collect();
    assert_eq!(sfos.len(), 2);
    assert!(sfos
        .iter()
        .all(|p| p.a.kind == Kind::Muon && p.is_opposite_sign()));
    let z = leptons.sfos_pairs().closest_to_mass(M_Z).unwrap();
    assert_eq!((z.a.pt, z.b.pt), (45.0, 40.0));
    assert_close!(z.mass(), inv_mass(z.a, z.b));
    let empty: Objects = ev.photons().collect();
    assert!(empty.sfos_pairs().closest_to_mass(M_Z).is_none());
    // The 60 GeV jet sits on the leading muon (ΔR ≈ 0.05) and is removed.
    let jets: Objects = ev.jets().collect();
    let muons: Objects = ev.muons().collect();
    let clean = jets.remove_overlap(&muons, 0.4);
    assert_eq!(clean.len(), 1);
    assert_eq!(clean[0].pt, 50.0);
    assert_eq!(leptons.total_charge(), 0);
    let both = clean.union(&muons);
    assert_eq!(
        both.iter().map(|o| o.pt).collect::<Vec<_>>(),
        vec![50.0, 45.0, 40.0, 10.0]
    );
}

#[test]
fn event_rows_keep_met_position() {
    let mut ev = Event::new(3, 7);
    ev.push(Object::new(Kind::Jet, 10.0, 0.0, 0.0, 1.0));
    ev.set_met(5.0, 1.0);
    ev.push(Object::new(Kind::Photon, 20.0, 0.0, 0.0, 0.0));
    let kinds: Vec<Kind> = ev.rows().map(|o| o.kind).collect();
    assert_eq!(kinds, vec![Kind::Jet, Kind::Met, Kind::Photon]);
    assert_eq!(ev.count(Kind::Met), 1);
    assert_eq!(ev.count(Kind::Photon), 1);
    assert_eq!(ev.weight_or_one(), 1.0);
    assert_eq!((M_W, M_H, M_TOP), (80.377, 125.25, 172.5));
}

#[test]
fn large_selections_behave_like_small_ones() {
    // More members than are kept in place, with pT ties, so the heap form and stable order
    // are both exercised.
    for n in [0usize, 1, 7, 8, 9, 30] {
        let mut ev = Event::new(1, 0);
        for i in 0..n {
            ev.push(Object::new(
                Kind::Jet,
                (i % 5) as f64 * 10.0,
                i as f64,
                0.0,
                0.0,
            ));
        }
        let jets: Objects = ev.jets().collect();
        let mut want: Vec<&Object> = ev.jets().collect();
        want.sort_by(|a, b| b.pt.total_cmp(&a.pt));
        assert_eq!(&jets[..], &want[..], "{n}");
        assert_eq!(jets.clone(), jets);
        let hard = jets.filter(|j| j.pt() >= 20.0);
        assert!(hard.iter().all(|j| j.pt() >= 20.0));
        assert_eq!(hard.len(), want.iter().filter(|j| j.pt() >= 20.0).count());
        assert_eq!(jets.union(&hard).len(), n + hard.len());
        assert_eq!(jets.pairs().count(), n * n.saturating_sub(1) / 2);
        assert_eq!(
            format!("{jets:?}"),
            format!("Objects {{ items: {want:?} }}")
        );
        let owned: Vec<&Object> = jets.into_iter().collect();
        assert_eq!(owned, want);
    }
}
