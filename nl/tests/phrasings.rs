//! Phrasings pinned to their readings (`tests/phrasings.tsv`): each line once read wrong
//! (inverted, dropped or misread), and must now read as its canonical line or be refused.

use collm_nl::understand;

#[test]
fn phrasings_read_as_pinned() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/phrasings.tsv");
    let text = std::fs::read_to_string(&path).expect("tests/phrasings.tsv");
    let mut failures = Vec::new();
    let mut checked = 0;
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let (section, bullet, want) = match fields.as_slice() {
            [b, w] => ("SELECTION_CUTS", *b, *w),
            [s, b, w] => (*s, *b, *w),
            _ => panic!("tests/phrasings.tsv:{}: want 2 or 3 fields", n + 1),
        };
        checked += 1;
        // A count before the bullet, so that a spec with only a definition still runs.
        let spec = format!("[SELECTION_CUTS]\n- at least one jet\n[{section}]\n- {bullet}\n");
        let got = match understand(&spec) {
            Ok(u) => u
                .readings
                .last()
                .map_or(String::new(), |r| r.canonical.clone()),
            Err(_) => "ERROR".to_string(),
        };
        if got != want {
            failures.push(format!(
                "line {}: {bullet:?}\n    want {want}\n    got  {got}",
                n + 1
            ));
        } else if got != "ERROR" {
            // The canonical line is itself a spec line that reads the same.
            let again = format!("[SELECTION_CUTS]\n- at least one jet\n[{section}]\n- {got}\n");
            let back = understand(&again)
                .ok()
                .and_then(|u| u.readings.last().map(|r| r.canonical.clone()));
            if back.as_deref() != Some(got.as_str()) {
                failures.push(format!("line {}: {got:?} does not read back", n + 1));
            }
        }
    }
    assert!(checked > 0, "no phrasings read");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
