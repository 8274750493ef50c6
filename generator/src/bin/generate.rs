//! `generate --channel C --events N --pileup P --seed S --out FILE [--parquet FILE]`: writes a
//! parametric fast-simulation sample (not Geant4) as LHCO, and optionally Parquet.

use std::process::ExitCode;

use clap::Parser;
use collm_generator::cli::{run, summary_line, GenerateArgs};

#[derive(Parser, Debug)]
#[command(
    name = "generate",
    about = "Generate a ColliderML channel with the parametric fast simulation (not Geant4)"
)]
struct Args {
    #[command(flatten)]
    generate: GenerateArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args.generate) {
        Ok(s) => {
            eprintln!("{}", summary_line(&args.generate, &s));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("generate: {e}");
            ExitCode::FAILURE
        }
    }
}
