//! `collm run`: the `%%collm` pipeline without Jupyter, on the same engine.

use crate::fixer::Fixer;
use crate::publish::Publisher;
use crate::ran;
use crate::rust::RustEngine;
use crate::wire::Message;
use collm_analysis::lhco::{self, Mode, Reader};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Prints what a cell publishes: streams as they are, displays by their text
/// form (images are saved by the analysis itself, so only their types are noted).
fn print_outputs(mut rx: tokio::sync::mpsc::UnboundedReceiver<Message>) {
    while let Some(msg) = rx.blocking_recv() {
        let c = &msg.content;
        match msg.msg_type() {
            "stream" => {
                let text = c.get("text").and_then(Value::as_str).unwrap_or_default();
                if c.get("name").and_then(Value::as_str) == Some("stderr") {
                    eprint!("{text}");
                } else {
                    print!("{text}");
                }
            }
            "display_data" | "execute_result" => {
                println!("{}", collm_magics::plain_text(&c["data"]))
            }
            _ => {}
        }
        let _ = std::io::stdout().flush();
    }
}

/// Why `collm run` failed. Each reason has its own exit status, so that a script or CI job
/// can tell a typo in the text from a broken data file (see `collm run --help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The command line asks for something that cannot be done.
    Usage,
    /// The analysis text could not be read or understood.
    Text,
    /// A data file is missing or malformed.
    Data,
    /// The generated analysis did not compile.
    Compile,
    /// The analysis failed while it ran.
    Runtime,
    /// An output file could not be written.
    Output,
}

impl Failure {
    /// The process exit status for this failure.
    pub fn exit_code(self) -> i32 {
        match self {
            Failure::Usage => 2,
            Failure::Text => 3,
            Failure::Data => 4,
            Failure::Compile => 5,
            Failure::Runtime => 6,
            Failure::Output => 7,
        }
    }

    /// The failure a cell error stands for, by the error's type.
    fn of_cell(ename: &str) -> Failure {
        match ename {
            "CompileError" => Failure::Compile,
            "lhco::Error" => Failure::Data,
            "OutputError" => Failure::Output,
            _ => Failure::Runtime,
        }
    }
}

/// A failed `collm run`: the reason (for the exit status) and the message.
#[derive(Debug)]
pub struct RunError {
    /// What kind of failure, for the exit status.
    pub failure: Failure,
    /// What went wrong, naming the file and place where known.
    pub message: String,
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RunError {}

fn failed(failure: Failure, message: String) -> anyhow::Error {
    anyhow::Error::new(RunError { failure, message })
}

/// What `collm run` was asked to do.
pub struct RunArgs<'a> {
    /// The analysis text, or an `analysis.rs` to run again as it is.
    pub spec: &'a Path,
    /// LHCO files (for an analysis text).
    pub data: &'a [PathBuf],
    /// The output folder (for an analysis text).
    pub out: &'a Path,
    /// Skip broken events instead of stopping.
    pub lenient: bool,
    /// A model directory for unread bullets and repairs.
    pub model: Option<&'a Path>,
    /// At most this many repairs of a failing analysis.
    pub max_fix: usize,
}

/// Reads the analysis, runs it with repairs, and leaves the output contract in its folder.
pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(args.spec).map_err(|e| {
        let what = format!("reading the analysis {}: {e}", args.spec.display());
        failed(Failure::Text, what)
    })?;
    let models = match args.model {
        Some(dir) if dir.as_os_str() == "none" => None,
        Some(dir) => Some(
            collm_magics::Models::open(dir)
                .map_err(|e| anyhow::anyhow!("--model {}: {e}", dir.display()))?,
        ),
        None => Some(collm_magics::Models::installed()),
    };
    let models = std::cell::RefCell::new(models);
    let analysis = if args.spec.extension().is_some_and(|e| e == "rs") {
        analysis_as_written(args, text)
    } else {
        analysis_from_text(args, &text, models.borrow_mut().as_mut())
    };
    tell_model_loads(&models);
    let (code, out) = analysis?;
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let printer = std::thread::spawn(move || print_outputs(rx));
    let publisher = Publisher::new(tx, "headless");
    let mut engine = start_checking(&publisher, args.data, args.lenient)?;
    let model = |code: &str, error: &str, attempt: u64| match models.borrow_mut().as_mut() {
        Some(m) => crate::fixer::model::propose(m, code, error, attempt),
        None => Ok(None),
    };
    let fixer = Fixer::new(args.max_fix, Some(&model), publisher.clone());
    let result = fixer.run(&code, &mut |c| {
        engine
            .execute(c, &|_, _| String::new(), &|| false)
            .map(|_| ())
    });
    // The printer ends when the last publisher (the fixer's and the engine's) is gone.
    drop(fixer);
    drop(engine);
    drop(publisher);
    let _ = printer.join();
    tell_model_loads(&models);
    match result {
        Ok(_) => {
            println!("outputs in {}", out.display());
            Ok(())
        }
        Err((_, e)) => Err(failed(
            Failure::of_cell(&e.ename),
            format!("{}\n{}", e.ename, e.traceback.join("\n")),
        )),
    }
}

/// What loading the models on first use cost, or why one could not be loaded, on stderr.
fn tell_model_loads(models: &std::cell::RefCell<Option<collm_magics::Models>>) {
    if let Some(m) = models.borrow_mut().as_mut() {
        for line in m.take_notices() {
            eprintln!("{line}");
        }
    }
}

/// An `analysis.rs` run again: it names its own data and output folder.
fn analysis_as_written(args: &RunArgs, code: String) -> anyhow::Result<(String, PathBuf)> {
    if !args.data.is_empty() {
        let what = "an .rs analysis names its own data files; edit them in the code".to_string();
        return Err(failed(Failure::Usage, what));
    }
    match ran::output_dir(&code) {
        Some(out) => Ok((code, out)),
        None => Err(failed(
            Failure::Text,
            format!(
                "{}: not an analysis that collm generated (no output folder named in it)",
                args.spec.display()
            ),
        )),
    }
}

/// The analysis generated from a text; the output folder is cleared of an earlier run's
/// results first, as the analysis itself does, so a failed run leaves none that could pass
/// for its own.
fn analysis_from_text(
    args: &RunArgs,
    text: &str,
    models: Option<&mut collm_magics::Models>,
) -> anyhow::Result<(String, PathBuf)> {
    if args.data.is_empty() {
        let what = "--data: an analysis text needs at least one LHCO file".to_string();
        return Err(failed(Failure::Usage, what));
    }
    for file in args.data {
        if !file.exists() {
            let what = format!("--data {}: no such file", file.display());
            return Err(failed(Failure::Data, what));
        }
    }
    let generated =
        collm_magics::generate_analysis(text, args.data, args.out, args.lenient, models)
            .map_err(|e| failed(Failure::Text, format!("{}: {e}", args.spec.display())))?;
    println!("{}", generated.understood.echo_text());
    let outputs = collm_nl::codegen::output_files(&generated.understood.analysis);
    let names: Vec<&str> = outputs.iter().map(String::as_str).collect();
    collm_analysis::output::clear(args.out, &names)
        .map_err(|e| failed(Failure::Output, format!("OutputError\nOutputError: {e}")))?;
    Ok((generated.code, args.out.to_path_buf()))
}

/// Starts the Rust engine while the data is read natively ([`check_data`]): a broken file is
/// reported before anything compiles.
fn start_checking(
    publisher: &Publisher,
    data: &[PathBuf],
    lenient: bool,
) -> anyhow::Result<RustEngine> {
    let ready = Arc::new(AtomicBool::new(false));
    let starting = {
        let (publisher, ready) = (publisher.clone(), ready.clone());
        std::thread::spawn(move || {
            let engine = RustEngine::start(&publisher);
            ready.store(true, Ordering::Relaxed);
            engine
        })
    };
    if let Err(e) = check_data(data, lenient, &ready) {
        let what = format!("lhco::Error\nlhco::Error: {e}");
        return Err(failed(Failure::Data, what));
    }
    starting
        .join()
        .map_err(|_| anyhow::anyhow!("the Rust engine failed while starting"))?
        .map_err(|e| anyhow::anyhow!("Rust cells cannot run here: {e}"))
}

/// Reads the data files natively while the Rust engine starts, so that a broken file is
/// reported at once rather than after compiling, with the message the analysis would give.
/// Once the engine is ready the check stops and the analysis's own read takes over, so a
/// large input is not read twice over.
fn check_data(
    data: &[PathBuf],
    lenient: bool,
    engine_ready: &AtomicBool,
) -> Result<(), lhco::Error> {
    let mode = if lenient { Mode::Lenient } else { Mode::Strict };
    for file in data {
        let mut reader = Reader::open(file, mode)?;
        while reader.next_event()?.is_some() {
            if engine_ready.load(Ordering::Relaxed) {
                return Ok(());
            }
        }
    }
    Ok(())
}
