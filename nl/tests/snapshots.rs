//! The generated cell for a set of corpus specs, kept under `tests/snapshots/`, so that a
//! change to the generator shows in review as the code a physicist will read. Set
//! `COLLM_UPDATE_SNAPSHOTS=1` to write the files anew after an intended change.

use collm_nl::{codegen, understand, Options};
use std::path::PathBuf;

/// Sectioned, prose and shorthand specs across the analysis types.
const SPECS: &[&str] = &[
    "ww",
    "zmumu",
    "ttbar_ljets",
    "pr_wz_3l",
    "sh_zee",
    "hig_h4l",
    "jet_vbf_cjv_prose",
    "pr_gamma_jet",
    "jet_monotop",
];

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

#[test]
fn generated_cells_match_their_snapshots() {
    let update = std::env::var_os("COLLM_UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    for name in SPECS {
        let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/collm-corpus")
            .join(format!("{name}.txt"));
        let text = std::fs::read_to_string(&spec).expect("a corpus spec");
        let u = understand(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let cell = codegen(&u.analysis, &Options::default());
        let path = dir().join(format!("{name}.rs.snap"));
        if update {
            std::fs::create_dir_all(dir()).expect("the snapshot directory");
            std::fs::write(&path, &cell).expect("writing a snapshot");
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if want != cell {
            let line = want
                .lines()
                .zip(cell.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(want.lines().count().min(cell.lines().count()));
            stale.push(format!(
                "{name}: line {}\n  snapshot:  {:?}\n  generated: {:?}",
                line + 1,
                want.lines().nth(line).unwrap_or(""),
                cell.lines().nth(line).unwrap_or("")
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "generated cells differ from tests/snapshots (COLLM_UPDATE_SNAPSHOTS=1 to accept):\n{}",
        stale.join("\n")
    );
}
