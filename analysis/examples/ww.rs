//! WW → ℓνjj selection: the reference analysis for the notebook and the benchmark.
//!
//! Usage: `cargo run --release --example ww -- FILE OUTDIR [--threads N] [--no-plots]`
//!
//! Writes `cutflow.csv`, `features.csv` and one normalised PNG per histogram into OUTDIR, prints
//! the cutflow, and prints a `ww ...` timing line that bench/lhco_ww.sh reads.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use collm_analysis::prelude::*;

/// Everything the selection accumulates; one per parallel chunk, merged in file order.
struct Ww {
    cutflow: Cutflow,
    hists: Vec<(&'static str, Hist1D)>,
    features: Features,
}

const CUTS: [&str; 8] = [
    "exactly 1 lepton",
    ">= 2 jets",
    "MET > 30",
    "b-jet veto",
    "40 < MT < 120",
    "60 < m_jj < 100",
    "dR(j1, j2) < 3.0",
    "selected",
];

impl Ww {
    fn new() -> Ww {
        let pi = std::f64::consts::PI;
        let h = |lo: f64, hi: f64, label: &str| Hist1D::new(40, lo, hi).x_label(label);
        Ww {
            cutflow: Cutflow::with_steps(&CUTS[..7]),
            hists: vec![
                ("mt", h(40.0, 120.0, r"M_{T}(\ell, E_{T}^{miss}) [GeV]")),
                ("mjj", h(60.0, 100.0, r"m_{jj} [GeV]")),
                ("met", h(0.0, 200.0, r"E_{T}^{miss} [GeV]")),
                ("lep_pt", h(0.0, 200.0, r"p_{T}^{\ell} [GeV]")),
                ("j1_pt", h(0.0, 300.0, r"p_{T}^{j_1} [GeV]")),
                ("j2_pt", h(0.0, 200.0, r"p_{T}^{j_2} [GeV]")),
                ("drjj", h(0.0, 3.0, r"\Delta R(j_1, j_2)")),
                ("dphi_lmet", h(0.0, pi, r"\Delta\phi(\ell, E_{T}^{miss})")),
                ("lep_eta", h(-2.5, 2.5, r"\eta^{\ell}")),
                ("dphi_ww", h(0.0, pi, r"\Delta\phi(W_{\ell\nu}, W_{jj})")),
            ],
            features: Features::new(["mt", "mjj", "met", "lep_pt", "drjj", "dphi_ww"]),
        }
    }

    fn process(&mut self, ev: &Event) {
        let cf = &mut self.cutflow;
        cf.start();
        let electrons = ev
            .electrons()
            .filter(|e| e.pt() > 25.0 && e.abs_eta() < 2.5);
        let muons = ev.muons().filter(|m| m.pt() > 20.0 && m.abs_eta() < 2.4);
        let leptons: Objects = electrons.chain(muons).collect();
        if !cf.pass("exactly 1 lepton", leptons.len() == 1) {
            return;
        }
        let jets: Objects = ev
            .jets()
            .filter(|j| j.pt() > 30.0 && j.abs_eta() < 2.5)
            .collect();
        if !cf.pass(">= 2 jets", jets.len() >= 2) {
            return;
        }
        let met = ev.met();
        if !cf.pass("MET > 30", met.pt() > 30.0) {
            return;
        }
        if !cf.pass("b-jet veto", jets.count_btagged(BTag::Loose) == 0) {
            return;
        }
        let lep = leptons[0];
        let mt = mt(lep, met);
        if !cf.pass("40 < MT < 120", 40.0 < mt && mt < 120.0) {
            return;
        }
        let (j1, j2) = (jets[0], jets[1]);
        let mjj = inv_mass(j1, j2);
        if !cf.pass("60 < m_jj < 100", 60.0 < mjj && mjj < 100.0) {
            return;
        }
        let drjj = delta_r(j1, j2);
        if !cf.pass("dR(j1, j2) < 3.0", drjj < 3.0) {
            return;
        }
        let w_lep = lep.p4() + P4::transverse(met.pt(), met.phi());
        let w_had = j1.p4() + j2.p4();
        let dphi_ww = delta_phi(&w_lep, &w_had);
        let values = [
            mt,
            mjj,
            met.pt(),
            lep.pt(),
            j1.pt(),
            j2.pt(),
            drjj,
            delta_phi(lep, met),
            lep.eta(),
            dphi_ww,
        ];
        for ((_, h), v) in self.hists.iter_mut().zip(values) {
            h.fill(v);
        }
        self.features
            .push(ev.number, &[mt, mjj, met.pt(), lep.pt(), drjj, dphi_ww]);
    }

    fn write(&self, dir: &Path, plots: bool) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        self.cutflow.write_csv(dir.join("cutflow.csv"))?;
        self.features.write_csv(dir.join("features.csv"))?;
        if plots {
            for (name, h) in &self.hists {
                h.normalised().save_png(dir.join(format!("{name}.png")))?;
            }
        }
        Ok(())
    }
}

impl Merge for Ww {
    fn merge(&mut self, later: Ww) {
        self.cutflow.merge(later.cutflow);
        for ((_, a), (_, b)) in self.hists.iter_mut().zip(later.hists) {
            a.merge(b);
        }
        self.features.merge(later.features);
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut positional = Vec::new();
    let mut threads = 1;
    let mut plots = true;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => threads = args.next().and_then(|t| t.parse().ok()).unwrap_or(1),
            "--no-plots" => plots = false,
            _ => positional.push(a),
        }
    }
    let [file, out] = positional.as_slice() else {
        eprintln!("usage: ww FILE OUTDIR [--threads N] [--no-plots]");
        return ExitCode::from(2);
    };
    let start = Instant::now();
    let (ww, report) = match lhco::par_fold(file, Mode::Strict, threads, Ww::new, Ww::process) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let analysis = start.elapsed().as_secs_f64();
    if let Err(e) = ww.write(&PathBuf::from(out), plots) {
        eprintln!("ww: writing {out}: {e}");
        return ExitCode::FAILURE;
    }
    let total = start.elapsed().as_secs_f64();
    print!("{}", ww.cutflow);
    println!(
        "ww threads={threads} events={} selected={} analysis_seconds={analysis:.3} total_seconds={total:.3} events/s={:.0} MB/s={:.1}",
        report.events,
        ww.features.len(),
        report.events as f64 / analysis,
        report.bytes as f64 / analysis / 1e6
    );
    ExitCode::SUCCESS
}
