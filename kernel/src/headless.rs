//! `collm run`: the `%%collm` pipeline without Jupyter, on the same engine.

use crate::publish::Publisher;
use crate::rust::RustEngine;
use crate::wire::Message;
use anyhow::Context;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Reads `spec`, generates the analysis for `data`, runs it and leaves the
/// output contract in `out`.
pub fn run(
    spec: &Path,
    data: &[PathBuf],
    out: &Path,
    lenient: bool,
    model: Option<&Path>,
) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(spec)
        .with_context(|| format!("reading the analysis text {}", spec.display()))?;
    for file in data {
        anyhow::ensure!(file.exists(), "--data {}: no such file", file.display());
    }
    let mut models = match model {
        Some(dir) => Some(
            collm_magics::Models::open(dir)
                .map_err(|e| anyhow::anyhow!("--model {}: {e}", dir.display()))?,
        ),
        None => None,
    };
    let generated = collm_magics::generate_analysis(&text, data, out, lenient, models.as_mut())
        .map_err(|e| anyhow::anyhow!("{}: {e}", spec.display()))?;
    let code = generated.code;
    println!("{}", generated.understood.echo_text());
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let printer = std::thread::spawn(move || print_outputs(rx));
    let publisher = Publisher::new(tx, "headless");
    let mut engine = RustEngine::start(&publisher)
        .map_err(|e| anyhow::anyhow!("Rust cells cannot run here: {e}"))?;
    let result = engine.execute(&code, &|_, _| String::new(), &|| false);
    drop(engine);
    drop(publisher);
    let _ = printer.join();
    match result {
        Ok(_) => {
            println!("outputs in {}", out.display());
            Ok(())
        }
        Err(e) => anyhow::bail!("{}\n{}", e.ename, e.traceback.join("\n")),
    }
}
