//! Correctness corpus: every spec in tests/collm-corpus is read, turned into a program,
//! compiled (all specs as binaries of one scratch project), run on the sample files, and
//! compared with the independent Python reference: identical cutflow counts at every step and
//! features within 1e-6 relative.

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

fn specs() -> Vec<(String, String)> {
    let dir = root().join("tests/collm-corpus");
    let mut v: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "txt").then(|| {
                let name = p.file_stem().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&p).unwrap())
            })
        })
        .collect();
    v.sort();
    v
}

fn parse_features(text: &str, skip_header: bool) -> Vec<Vec<f64>> {
    text.lines()
        .skip(usize::from(skip_header))
        .map(|l| l.split(',').map(|x| x.parse::<f64>().unwrap()).collect())
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a == b || (a - b).abs() <= 1e-6 * a.abs().max(b.abs())
}

#[test]
fn corpus_matches_reference() {
    let specs = specs();
    let data = samples();
    assert!(!data.is_empty(), "no sample data");
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root().join("target"));
    let scratch = target.join("collm-corpus-scratch");
    std::fs::create_dir_all(scratch.join("src/bin")).unwrap();
    let analysis = root().join("analysis").canonicalize().unwrap();
    let mut manifest = format!(
        "[package]\nname = \"collm-corpus\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[lints.rust]\nwarnings = \"deny\"\n\n[dependencies]\ncollm-analysis = {{ path = {:?} }}\n",
        analysis.display().to_string()
    );
    for (name, text) in &specs {
        let u = collm_nl::understand(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let code = collm_nl::codegen_main(&u.analysis, &collm_nl::Options::default());
        let file = scratch.join(format!("src/bin/{name}.rs"));
        if std::fs::read_to_string(&file).ok().as_deref() != Some(code.as_str()) {
            std::fs::write(&file, code).unwrap();
        }
        manifest += &format!("\n[[bin]]\nname = \"{name}\"\npath = \"src/bin/{name}.rs\"\n");
    }
    std::fs::write(scratch.join("Cargo.toml"), manifest).unwrap();
    if !scratch.join("Cargo.lock").exists() {
        std::fs::copy(root().join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    }
    let st = Command::new(env!("CARGO"))
        .args(["build", "--offline", "-j1", "--manifest-path"])
        .arg(scratch.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .status()
        .unwrap();
    assert!(st.success(), "scratch build failed");

    let refdir = scratch.join("reference");
    let mut py = Command::new("python3");
    py.arg(root().join("tests/collm-corpus/reference.py"))
        .arg(&refdir)
        .args(&data);
    assert!(py.status().unwrap().success(), "reference.py failed");

    let mut failures = Vec::new();
    let mut passed = 0;
    for (name, _) in &specs {
        for d in &data {
            let stem = d
                .file_name()
                .unwrap()
                .to_string_lossy()
                .split('.')
                .next()
                .unwrap()
                .to_owned();
            let out = scratch.join("out").join(name).join(&stem);
            let _ = std::fs::remove_dir_all(&out);
            let bin = scratch.join("target/debug").join(name);
            let r = Command::new(&bin).arg(&out).arg(d).output().unwrap();
            if !r.status.success() {
                failures.push(format!(
                    "{name}/{stem}: run failed: {}",
                    String::from_utf8_lossy(&r.stderr)
                ));
                continue;
            }
            let rdir = refdir.join(name).join(&stem);
            let got: Vec<String> = std::fs::read_to_string(out.join("cutflow.csv"))
                .unwrap()
                .lines()
                .skip(1)
                .map(|l| l.rsplit(',').next().unwrap().to_owned())
                .collect();
            let want: Vec<String> = std::fs::read_to_string(rdir.join("cutflow.csv"))
                .unwrap()
                .lines()
                .skip(1)
                .map(|l| l.rsplit(',').next().unwrap().to_owned())
                .collect();
            // The reference stops counting at the last step any event reached; pad with zeros.
            let mut want = want;
            while want.len() < got.len() {
                want.push("0".to_owned());
            }
            if got != want {
                failures.push(format!(
                    "{name}/{stem}: cutflow {got:?} != reference {want:?}"
                ));
                continue;
            }
            let fg = parse_features(
                &std::fs::read_to_string(out.join("features.csv")).unwrap(),
                true,
            );
            let fw = parse_features(
                &std::fs::read_to_string(rdir.join("features.csv")).unwrap(),
                false,
            );
            let same = fg.len() == fw.len()
                && fg.iter().zip(&fw).all(|(a, b)| {
                    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| close(*x, *y))
                });
            if !same {
                failures.push(format!(
                    "{name}/{stem}: features differ ({} vs {} rows)",
                    fg.len(),
                    fw.len()
                ));
                continue;
            }
            let src = std::fs::read_to_string(out.join("analysis.rs")).unwrap();
            let code = std::fs::read_to_string(scratch.join(format!("src/bin/{name}.rs"))).unwrap();
            if src != code {
                failures.push(format!(
                    "{name}/{stem}: analysis.rs is not the program's own code"
                ));
                continue;
            }
            passed += 1;
        }
    }
    eprintln!(
        "corpus: {passed} spec×file runs exact, {} failures",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
