//! Deterministic LHCO generator for benchmarks and tests: W(→ℓν) + jets events with plausible
//! kinematics (a W → jj resonance in part of the events, b-tags, the odd photon and tau).
//! Not a physics simulation; it exists so every run of the benchmark reads the same bytes.
//!
//! Usage: `cargo run --release --example gen_lhco -- OUT.lhco EVENTS [SEED]`

use std::f64::consts::{PI, TAU};
use std::process::ExitCode;

use collm_analysis::lhco::{Format, Writer};
use collm_analysis::{Event, Kind, Object, P4};

/// SplitMix64: tiny, fast and fully determined by the seed.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }
    fn exp(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.uniform()).ln()
    }
    fn gauss(&mut self) -> f64 {
        let (u1, u2) = (1.0 - self.uniform(), self.uniform());
        (-2.0 * u1.ln()).sqrt() * (TAU * u2).cos()
    }
    /// Breit–Wigner (Cauchy) mass, truncated to ±`cut` widths.
    fn breit_wigner(&mut self, m: f64, gamma: f64, cut: f64) -> f64 {
        loop {
            let x = m + 0.5 * gamma * (PI * (self.uniform() - 0.5)).tan();
            if (x - m).abs() < cut * gamma {
                return x;
            }
        }
    }
    fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }
}

/// A two-body decay of a particle with four-momentum `parent` into massless daughters,
/// isotropic in the rest frame.
fn decay(rng: &mut Rng, parent: P4, mass: f64) -> (P4, P4) {
    let cos_t = rng.range(-1.0, 1.0);
    let sin_t = (1.0 - cos_t * cos_t).sqrt();
    let phi = rng.range(0.0, TAU);
    let p = mass / 2.0;
    let d = [p * sin_t * phi.cos(), p * sin_t * phi.sin(), p * cos_t];
    let (bx, by, bz) = (
        parent.px / parent.e,
        parent.py / parent.e,
        parent.pz / parent.e,
    );
    let b2 = bx * bx + by * by + bz * bz;
    let gamma = 1.0 / (1.0 - b2).sqrt();
    let boost = |sign: f64| {
        let (x, y, z, e) = (sign * d[0], sign * d[1], sign * d[2], p);
        let bp = bx * x + by * y + bz * z;
        let g2 = if b2 > 0.0 { (gamma - 1.0) / b2 } else { 0.0 };
        let k = g2 * bp + gamma * e;
        P4::new(x + k * bx, y + k * by, z + k * bz, gamma * (e + bp))
    };
    (boost(1.0), boost(-1.0))
}

fn object_from(kind: Kind, v: P4, jmass: f64) -> Object {
    use collm_analysis::Kinematics;
    Object::new(kind, v.pt(), v.eta(), v.phi(), jmass)
}

/// A soft object at a random direction in the central region: the rare photons, taus and
/// second leptons that make selections have something to reject.
fn soft_object(rng: &mut Rng, kind: Kind, pt_min: f64, jmass: f64) -> Object {
    Object::new(
        kind,
        pt_min + rng.exp(20.0),
        rng.range(-2.5, 2.5),
        rng.range(-PI, PI),
        jmass,
    )
}

/// The leptonic W: its lepton (kept with the detector's efficiency), now and then a second,
/// soft lepton, and the neutrino and W direction that MET and the hadronic side follow.
fn leptonic_w(rng: &mut Rng, objects: &mut Vec<Object>) -> (P4, f64) {
    // Leptonic W with some recoil.
    let w_pt = rng.exp(25.0);
    let w_phi = rng.range(-PI, PI);
    let w_m = rng.breit_wigner(80.377, 2.085, 15.0);
    let w_pz = rng.gauss() * 120.0;
    let w = P4::from_pt_eta_phi_m(w_pt, (w_pz / w_pt.max(1.0)).asinh(), w_phi, w_m);
    let (lep, nu) = decay(rng, w, w_m);
    let lep_kind = if rng.chance(0.5) {
        Kind::Electron
    } else {
        Kind::Muon
    };
    let mut l = object_from(lep_kind, lep, 0.0);
    l.pt *= 1.0 + 0.02 * rng.gauss();
    l.ntrk = if rng.chance(0.5) { 1.0 } else { -1.0 };
    l.had_em = rng.range(0.0, 0.2);
    if rng.chance(0.85) {
        objects.push(l);
    }
    // A second, soft lepton now and then (fails "exactly one lepton").
    if rng.chance(0.08) {
        let mut l2 = soft_object(rng, Kind::Muon, 10.0, 0.0);
        l2.ntrk = -l.ntrk;
        objects.push(l2);
    }
    (nu, w_phi)
}

/// The jets: a hadronic W recoiling against the leptonic one in part of the events, QCD-like
/// extra jets, then track counts, b-tags and energy fractions for all of them.
fn jets(rng: &mut Rng, w_phi: f64, objects: &mut Vec<Object>) {
    if rng.chance(0.45) {
        let h_pt = rng.exp(60.0) + 20.0;
        let h_m = rng.breit_wigner(80.377, 2.085, 15.0);
        let h = P4::from_pt_eta_phi_m(h_pt, rng.gauss(), w_phi + PI + 0.3 * rng.gauss(), h_m);
        let (a, b) = decay(rng, h, h_m);
        for q in [a, b] {
            let mut j = object_from(Kind::Jet, q, 0.0);
            j.pt *= 1.0 + 0.1 * rng.gauss();
            j.jmass = j.pt * rng.range(0.05, 0.15);
            objects.push(j);
        }
    }
    let n_extra = (rng.exp(1.5) as usize).min(6);
    for _ in 0..n_extra {
        let pt = 20.0 + rng.exp(25.0);
        let (eta, phi, m) = (
            rng.range(-3.0, 3.0),
            rng.range(-PI, PI),
            pt * rng.range(0.05, 0.2),
        );
        objects.push(Object::new(Kind::Jet, pt, eta, phi, m));
    }
    for o in objects.iter_mut().filter(|o| o.kind == Kind::Jet) {
        o.ntrk = (2.0 + rng.exp(6.0)).floor();
        o.btag = if rng.chance(0.08) { 1.0 } else { 0.0 };
        o.had_em = rng.range(0.5, 10.0);
    }
}

/// The odd photon and hadronic tau.
fn rare_objects(rng: &mut Rng, objects: &mut Vec<Object>) {
    if rng.chance(0.05) {
        objects.push(soft_object(rng, Kind::Photon, 10.0, 0.0));
    }
    if rng.chance(0.04) {
        let mut t = soft_object(rng, Kind::Tau, 20.0, 1.2);
        t.ntrk = if rng.chance(0.5) { 1.0 } else { -3.0 };
        objects.push(t);
    }
}

fn make_event(rng: &mut Rng, number: u64) -> Event {
    let mut ev = Event::new(number, 0);
    let mut objects: Vec<Object> = Vec::with_capacity(8);
    let (nu, w_phi) = leptonic_w(rng, &mut objects);
    jets(rng, w_phi, &mut objects);
    rare_objects(rng, &mut objects);
    // Order like detector simulations do: by type, then pT.
    objects.sort_by(|a, b| a.kind.cmp(&b.kind).then(b.pt.total_cmp(&a.pt)));
    for o in objects {
        ev.push(o);
    }
    let met_x = nu.px + 8.0 * rng.gauss();
    let met_y = nu.py + 8.0 * rng.gauss();
    ev.set_met(met_x.hypot(met_y), met_y.atan2(met_x));
    ev
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(out), Some(n)) = (
        args.first(),
        args.get(1).and_then(|n| n.parse::<u64>().ok()),
    ) else {
        eprintln!("usage: gen_lhco OUT.lhco EVENTS [SEED]");
        return ExitCode::from(2);
    };
    let seed: u64 = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_240_601);
    let mut rng = Rng(seed);
    let result = Writer::create(out, Format::Delphes).and_then(|mut w| {
        for i in 0..n {
            w.write_event(&make_event(&mut rng, i))?;
        }
        w.close()
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_lhco: {out}: {e}");
            ExitCode::FAILURE
        }
    }
}
