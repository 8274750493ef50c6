//! The backend on its own, for servers that do not need the kernel:
//! `collm-backend serve|add-user|grant|freeze|ban|check` (the same as `collm backend …`).

use clap::Parser;

/// The local ColliderML-compatible backend.
#[derive(Parser)]
#[command(name = "collm-backend", version)]
struct Cli {
    #[command(subcommand)]
    command: collm_backend::cli::BackendCommand,
}

fn main() {
    if let Err(e) = collm_backend::cli::run(Cli::parse().command) {
        eprintln!("collm-backend: {e:#}");
        std::process::exit(1);
    }
}
