//! The command line of the generator, shared by the `generate` binary and
//! `collm generate`, so both accept the same flags and print the same summary.

use std::path::PathBuf;

use crate::{generate, Channel, LhcoSink, Sink, Summary};

/// `--channel C --events N --pileup P --seed S --out FILE [--parquet FILE]`.
#[derive(clap::Args, Debug)]
pub struct GenerateArgs {
    /// Physics channel.
    #[arg(long, value_enum)]
    pub channel: Channel,
    /// Number of events.
    #[arg(long, default_value_t = 1000)]
    pub events: u64,
    /// Mean number of pileup interactions.
    #[arg(long, default_value_t = 0)]
    pub pileup: u32,
    /// Random seed; the same seed gives the same file.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// LHCO output (`.gz` for gzip).
    #[arg(long)]
    pub out: PathBuf,
    /// Also write Parquet (one row per object) to this file.
    #[cfg(feature = "parquet")]
    #[arg(long)]
    pub parquet: Option<PathBuf>,
}

/// Generates the sample the arguments describe.
pub fn run(args: &GenerateArgs) -> Result<Summary, Box<dyn std::error::Error>> {
    let mut sinks: Vec<Box<dyn Sink + Send>> = vec![Box::new(
        LhcoSink::create(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?,
    )];
    #[cfg(feature = "parquet")]
    if let Some(p) = &args.parquet {
        sinks.push(Box::new(
            crate::ParquetSink::create(p).map_err(|e| format!("{}: {e}", p.display()))?,
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

/// The one-line report printed after a run, honest about what made the sample.
pub fn summary_line(args: &GenerateArgs, s: &Summary) -> String {
    format!(
        "{}: {} events, {} objects -> {} (parametric fast simulation, not Geant4)",
        args.channel,
        s.events,
        s.objects,
        args.out.display()
    )
}
