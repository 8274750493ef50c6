//! Correctness corpus: every spec in tests/collm-corpus is read, turned into a program (all
//! of them as modules of one scratch binary, so the corpus compiles once), run on every
//! sample file, and compared with the independent Python reference: the same selected
//! events with the same features (within 1e-6 relative), and the same count at every step
//! where the reference yields one step per cut.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn samples() -> Vec<PathBuf> {
    let r = root();
    let mut v = Vec::new();
    let generated = r.join("tests/collm-corpus/data");
    let mut gen: Vec<PathBuf> = std::fs::read_dir(&generated)
        .map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    gen.sort();
    for p in gen.into_iter().chain([
        r.join("notebooks/data/ww_lnujj_10k.lhco.gz"),
        r.join("../shared/data/lhco/aeacus/pgs_uncleaned_events.lhco"),
        r.join("../shared/data/lhco/aeacus/LMNW_pgs_events_run_01_0.lhco.gz"),
        r.join("../shared/data/lhco/cutexperiment/nTGC_sm.lhco"),
        r.join("../shared/data/lhco/cutexperiment/nTGC_np.lhco"),
    ]) {
        if p.exists() {
            v.push(p);
        } else {
            eprintln!("skipping {}: not present", p.display());
        }
    }
    v
}

/// Every spec of the corpus, by name.
pub fn specs() -> Vec<(String, String)> {
    let dir = root().join("tests/collm-corpus");
    let mut v: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .filter_map(|e| {
            let p = e.ok()?.path();
            if p.extension()? != "txt" {
                return None;
            }
            let name = p.file_stem()?.to_string_lossy().into_owned();
            Some((name, std::fs::read_to_string(&p).ok()?))
        })
        .collect();
    v.sort();
    v
}

fn parse_rows(text: &str, skip_header: bool) -> Vec<Vec<f64>> {
    text.lines()
        .skip(usize::from(skip_header))
        .map(|l| {
            l.split(',')
                .map(|x| x.parse::<f64>().unwrap_or(f64::NAN))
                .collect()
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a == b || (a - b).abs() <= 1e-6 * a.abs().max(b.abs())
}

fn counts(text: &str) -> Vec<u64> {
    text.lines()
        .skip(1)
        .filter_map(|l| l.rsplit(',').next()?.parse().ok())
        .collect()
}

/// The scratch crate: one module per spec, `main` dispatching on the spec name.
fn build(specs: &[(String, String)], failures: &mut Vec<String>) -> (PathBuf, Vec<String>) {
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root().join("target"));
    let scratch = target.join("collm-corpus-scratch");
    std::fs::create_dir_all(scratch.join("src")).unwrap();
    let analysis = root().join("analysis").canonicalize().unwrap();
    let manifest = format!(
        "[package]\nname = \"collm-corpus\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[lints.rust]\nwarnings = \"deny\"\n\n[profile.dev]\nopt-level = 1\n\n[dependencies]\ncollm-analysis = {{ path = {:?} }}\n",
        analysis.display().to_string()
    );
    let mut main = String::from("fn main() {\n    let name = std::env::var(\"COLLM_SPEC\").unwrap_or_default();\n    let r = match name.as_str() {\n");
    let mut modules = String::new();
    let mut built = Vec::new();
    for (name, text) in specs {
        let u = match collm_nl::understand(text) {
            Ok(u) => u,
            Err(e) => {
                failures.push(format!("{name}: cannot read it:\n{e}"));
                continue;
            }
        };
        let code = collm_nl::codegen_main(&u.analysis, &collm_nl::Options::default());
        std::fs::write(scratch.join(format!("src/{name}.rs")), &code).unwrap();
        modules += &format!("#[path = \"{name}.rs\"]\nmod {name};\n");
        main += &format!("        {name:?} => {name}::main(),\n");
        built.push(name.clone());
    }
    main += "        _ => Err(\"unknown spec\".into()),\n    };\n    if let Err(e) = r {\n        eprintln!(\"{e}\");\n        std::process::exit(1);\n    }\n}\n";
    let src = format!("{modules}\n{main}");
    if std::fs::read_to_string(scratch.join("src/main.rs"))
        .ok()
        .as_deref()
        != Some(src.as_str())
    {
        std::fs::write(scratch.join("src/main.rs"), src).unwrap();
    }
    std::fs::write(scratch.join("Cargo.toml"), manifest).unwrap();
    if !scratch.join("Cargo.lock").exists() {
        std::fs::copy(root().join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    }
    let out = Command::new(env!("CARGO"))
        .args(["build", "--offline", "--manifest-path"])
        .arg(scratch.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "scratch build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (scratch, built)
}

/// Compares one spec's run on one file with the reference; `None` when they agree. The
/// selected events and their features must be the same; the counts step by step too when
/// the reference has one step per cut.
fn compare(name: &str, stem: &str, out: &Path, rdir: &Path, scratch: &Path) -> Option<String> {
    let got = counts(&std::fs::read_to_string(out.join("cutflow.csv")).ok()?);
    let want = counts(&std::fs::read_to_string(rdir.join("cutflow.csv")).ok()?);
    let fg = parse_rows(
        &std::fs::read_to_string(out.join("features.csv")).ok()?,
        true,
    );
    let fw = parse_rows(
        &std::fs::read_to_string(rdir.join("features.csv")).ok()?,
        false,
    );
    let same = |a: &Vec<f64>, b: &Vec<f64>| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| close(*x, *y))
    };
    if fg.len() != fw.len() || !fg.iter().zip(&fw).all(|(a, b)| same(a, b)) {
        let first = fg.iter().zip(&fw).find(|(a, b)| !same(a, b));
        return Some(format!(
            "{name}/{stem}: {} selected events, reference {} (cutflow {got:?}, reference {want:?}); first difference {first:?}",
            fg.len(),
            fw.len()
        ));
    }
    // The reference's cutflow only reaches as far as some event got; it has one step per cut
    // when some event passed them all.
    if !fw.is_empty() && want.len() == got.len() && want != got {
        return Some(format!(
            "{name}/{stem}: cutflow {got:?} != reference {want:?}"
        ));
    }
    let src = std::fs::read_to_string(out.join("analysis.rs")).ok()?;
    let code = std::fs::read_to_string(scratch.join(format!("src/{name}.rs"))).ok()?;
    (src != code).then(|| format!("{name}/{stem}: analysis.rs is not the program's own code"))
}

/// Runs one spec on one file and compares it with the reference.
fn run_one(bin: &Path, name: &str, d: &Path, scratch: &Path, refdir: &Path) -> Option<String> {
    let stem = d
        .file_name()?
        .to_string_lossy()
        .split('.')
        .next()?
        .to_owned();
    let out = scratch.join("out").join(name).join(&stem);
    let _ = std::fs::remove_dir_all(&out);
    let r = Command::new(bin)
        .env("COLLM_SPEC", name)
        .arg(&out)
        .arg(d)
        .output()
        .ok()?;
    if !r.status.success() {
        return Some(format!(
            "{name}/{stem}: run failed: {}",
            String::from_utf8_lossy(&r.stderr)
        ));
    }
    compare(name, &stem, &out, &refdir.join(name).join(&stem), scratch)
}

#[test]
fn corpus_matches_reference() {
    let specs = specs();
    assert!(specs.len() >= 150, "the corpus has {} specs", specs.len());
    let data = samples();
    assert!(!data.is_empty(), "no sample data");
    let mut failures = Vec::new();
    let (scratch, built) = build(&specs, &mut failures);
    let refdir = scratch.join("reference");
    let mut py = Command::new("python3");
    py.arg(root().join("tests/collm-corpus/reference.py"))
        .arg(&refdir)
        .args(&data);
    assert!(py.status().unwrap().success(), "reference.py failed");
    let bin = scratch.join("target/debug/collm-corpus");
    let runs: Vec<(&String, &PathBuf)> = built
        .iter()
        .flat_map(|n| data.iter().map(move |d| (n, d)))
        .collect();
    // Two workers: the machines here have two cores.
    let results: Vec<Option<String>> = std::thread::scope(|s| {
        let half = runs.len().div_ceil(2);
        let handles: Vec<_> = runs
            .chunks(half.max(1))
            .map(|chunk| {
                s.spawn(|| {
                    chunk
                        .iter()
                        .map(|(name, d)| run_one(&bin, name, d, &scratch, &refdir))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let passed = results.iter().filter(|r| r.is_none()).count();
    failures.extend(results.into_iter().flatten());
    eprintln!(
        "corpus: {} specs, {passed} spec×file runs exact, {} failures",
        specs.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
