//! `generate --channel C --events N --pileup P --seed S --out FILE [--parquet FILE]`: writes a
//! parametric fast-simulation sample (not Geant4) as LHCO, and optionally Parquet.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use collm_generator::{generate, Channel, LhcoSink, Sink};

#[derive(Parser, Debug)]
#[command(
    name = "generate",
    about = "Generate a ColliderML channel with the parametric fast simulation (not Geant4)"
)]
struct Args {
    /// One of: ttbar, higgs_portal, zmumu, zee, diphoton, jets, susy_gmsb, hidden_valley,
    /// zprime, single_muon.
    #[arg(long)]
    channel: Channel,
    /// Number of events.
    #[arg(long, default_value_t = 1000)]
    events: u64,
    /// Mean number of pileup interactions.
    #[arg(long, default_value_t = 0)]
    pileup: u32,
    /// Random seed; the same seed gives the same file.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// LHCO output (`.gz` for gzip).
    #[arg(long)]
    out: PathBuf,
    /// Also write Parquet (one row per object) to this file.
    #[cfg(feature = "parquet")]
    #[arg(long)]
    parquet: Option<PathBuf>,
}

fn run(args: &Args) -> Result<collm_generator::Summary, Box<dyn std::error::Error>> {
    let mut sinks: Vec<Box<dyn Sink + Send>> = vec![Box::new(
        LhcoSink::create(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?,
    )];
    #[cfg(feature = "parquet")]
    if let Some(p) = &args.parquet {
        sinks.push(Box::new(
            collm_generator::ParquetSink::create(p).map_err(|e| format!("{}: {e}", p.display()))?,
        ));
    }
    Ok(generate(
        args.channel,
        args.events,
        args.pileup,
        args.seed,
        &mut sinks,
    )?)
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(s) => {
            eprintln!(
                "{}: {} events, {} objects -> {} (parametric fast simulation, not Geant4)",
                args.channel,
                s.events,
                s.objects,
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("generate: {e}");
            ExitCode::FAILURE
        }
    }
}
