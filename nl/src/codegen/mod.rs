//! IR → a readable Rust cell on `collm-analysis`, shaped like a Rivet analysis:
//!
//! - **book**: the data files, the output folder, the cutflow (its steps are the canonical
//!   text of the cuts, so labels cannot drift from the code), one histogram per plot, the
//!   feature table;
//! - **analyze**: per event, the named collections declared once, then each cut commented
//!   with its canonical text, then the fills;
//! - **finalize**: the cutflow and plots shown inline, and the output contract written.
//!
//! The cell is one block (evcxr cannot keep closures as top-level variables); the notebook and
//! `collm run` run it on evcxr. The same code with a `main` is a standalone program, which the
//! correctness corpus compiles and runs without a kernel.

mod analyze;
mod expr;
mod value;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::canon;
use crate::ir::{Analysis, Cmp, Cut, Filter, Kind, Quantity, Stmt, Sys, Target};
use expr::{lit, slug};

/// Where the analysis reads and writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// LHCO files (`--data`), read in order as one sample. Empty in [`codegen_main`] means
    /// "take them from the command line".
    pub data: Vec<String>,
    /// Output directory (`--out`).
    pub out: String,
    /// Whether a standalone program ([`codegen_main`]) writes its own text to `analysis.rs`
    /// (the output contract). A notebook cell never does: the kernel writes `analysis.rs`
    /// from the cell that actually ran, repairs and edits included.
    pub write_source: bool,
    /// Read the data in lenient mode: broken events are skipped, counted by reason and
    /// reported after the loop, instead of stopping the analysis at the first one.
    pub lenient: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            data: Vec::new(),
            out: "collm-out".to_owned(),
            write_source: true,
            lenient: false,
        }
    }
}

/// What the emitters share: the collections in use, whether MET is read, the cutflow
/// labels and the histogram names.
pub struct Plan {
    kinds: BTreeSet<Kind>,
    met: bool,
    labels: Vec<String>,
    hists: Vec<String>,
}

/// The notebook cell: `:dep`, `use`, then the analysis in one block.
pub fn codegen(a: &Analysis, opts: &Options) -> String {
    let mut s = String::from(":dep collm-analysis\nuse collm_analysis::prelude::*;\n\n{\n");
    let data: Vec<String> = opts.data.iter().map(|d| format!("{d:?}")).collect();
    book_files(&mut s, &format!("[{}]", data.join(", ")), &opts.out);
    body(&mut s, a, opts.lenient);
    s.push_str("}\n");
    s
}

/// The same analysis as an ordinary program, for running without a kernel (the corpus tests).
/// With no data files in `opts`, it is run as `PROGRAM OUT_DIR FILE...`.
pub fn codegen_main(a: &Analysis, opts: &Options) -> String {
    let mut s = String::from(
        "use collm_analysis::prelude::*;\n\npub fn main() -> Result<(), Box<dyn std::error::Error>> {\n",
    );
    if opts.data.is_empty() {
        s.push_str("    // ---- book ----\n");
        s.push_str("    let mut args = std::env::args().skip(1);\n");
        s.push_str("    let out_dir = args.next().ok_or(\"usage: PROGRAM OUT_DIR FILE...\")?;\n");
        s.push_str("    let out = std::path::Path::new(&out_dir);\n");
        s.push_str("    let data: Vec<String> = args.collect();\n");
    } else {
        let data: Vec<String> = opts.data.iter().map(|d| format!("{d:?}")).collect();
        book_files(&mut s, &format!("[{}]", data.join(", ")), &opts.out);
    }
    body(&mut s, a, opts.lenient);
    finish(s, opts)
}

fn book_files(s: &mut String, data: &str, out: &str) {
    s.push_str("    // ---- book ----\n");
    let _ = writeln!(s, "    let data = {data};");
    let _ = writeln!(s, "    let out = std::path::Path::new({out:?});");
}

/// Appends a standalone program's self-writing tail (a quine, so `analysis.rs` is exactly
/// this code; with no kernel around, nothing else knows the code) and the closing brace.
fn finish(mut s: String, opts: &Options) -> String {
    let end = "    Ok(())\n}\n";
    if !opts.write_source {
        s.push_str(end);
        return s;
    }
    const MARK: &str = "@@COLLM_SOURCE@@";
    s.push_str("    // The output contract includes this code itself as analysis.rs.\n");
    let _ = writeln!(s, "    const SOURCE: &str = {MARK};");
    s.push_str("    let marker = concat!(\"@@COLLM_\", \"SOURCE@@\");\n");
    s.push_str(
        "    output::write_bytes(out.join(\"analysis.rs\"), SOURCE.replacen(marker, &format!(\"{SOURCE:?}\"), 1).as_bytes())?;\n",
    );
    s.push_str(end);
    let literal = format!("{s:?}");
    s.replacen(MARK, &literal, 1)
}

/// book (the rest), analyze, finalize.
fn body(s: &mut String, a: &Analysis, lenient: bool) {
    let plan = plan(a);
    book(s, a, &plan);
    s.push_str("\n    // ---- analyze ----\n");
    if lenient {
        s.push_str("    for path in &data {\n        let mut events = lhco::read_lenient(path)?;\n        for ev in events.by_ref() {\n            let ev = ev?;\n            cutflow.start();\n");
    } else {
        s.push_str("    for path in &data {\n        for ev in lhco::read(path)? {\n            let ev = ev?;\n            cutflow.start();\n");
    }
    analyze::event(s, a, &plan);
    if lenient {
        s.push_str("        }\n        println!(\"{path}: {}\", events.report());\n    }\n");
    } else {
        s.push_str("        }\n    }\n");
    }
    finalize(s, a, &plan);
}

/// The cutflow, the histograms and the feature table.
fn book(s: &mut String, a: &Analysis, plan: &Plan) {
    let quoted: Vec<String> = plan.labels.iter().map(|l| format!("{l:?}")).collect();
    // An empty list needs its element type spelled out.
    let steps = if quoted.is_empty() {
        "[] as [&str; 0]".to_owned()
    } else {
        format!("[\n        {},\n    ]", quoted.join(",\n        "))
    };
    let _ = writeln!(s, "    let mut cutflow = Cutflow::with_steps({steps});");
    for (p, n) in a.plots.iter().zip(&plan.hists) {
        let range = p
            .range
            .or_else(|| cut_window(a, &p.q))
            .unwrap_or_else(|| expr::default_range(&p.q));
        let bins = p.bins.unwrap_or(40);
        let _ = writeln!(
            s,
            "    let mut h_{n} = Hist1D::new({bins}, {}, {}).x_label(r\"{}\");",
            lit(range.0),
            lit(range.1),
            expr::tex(&p.q)
        );
    }
    let cols: Vec<String> = a
        .features
        .iter()
        .map(|q| format!("{:?}", slug(q)))
        .collect();
    // Without features nothing is pushed, and a `mut` binding would be a warning.
    let _ = writeln!(
        s,
        "    let {}features = Features::new([{}] as [&str; {}]);",
        if cols.is_empty() { "" } else { "mut " },
        cols.join(", "),
        cols.len()
    );
    // A failed run must not leave an earlier run's results looking like its own.
    let files: Vec<String> = files_of(plan).iter().map(|f| format!("{f:?}")).collect();
    let _ = writeln!(s, "    output::clear(out, &[{}])?;", files.join(", "));
}

/// The files an analysis writes into its output folder: the output contract.
pub fn output_files(a: &Analysis) -> Vec<String> {
    files_of(&plan(a))
}

fn files_of(plan: &Plan) -> Vec<String> {
    let mut files: Vec<String> = ["cutflow.csv", "features.csv", "analysis.rs"]
        .iter()
        .map(|f| f.to_string())
        .collect();
    files.extend(plan.hists.iter().map(|n| format!("{n}.png")));
    files
}

/// Shows the cutflow and plots and writes the output contract.
fn finalize(s: &mut String, a: &Analysis, plan: &Plan) {
    s.push_str("\n    // ---- finalize ----\n");
    s.push_str("    cutflow.show();\n");
    s.push_str("    cutflow.write_csv(out.join(\"cutflow.csv\"))?;\n");
    s.push_str("    features.write_csv(out.join(\"features.csv\"))?;\n");
    for (p, n) in a.plots.iter().zip(&plan.hists) {
        let h = if p.normalised {
            format!("h_{n}.normalised()")
        } else {
            format!("h_{n}")
        };
        let _ = writeln!(
            s,
            "    {h}.show();\n    {h}.save_png(out.join(\"{n}.png\"))?;"
        );
    }
}

/// A plot without a range uses the window a cut puts on the same quantity, if any.
fn cut_window(a: &Analysis, q: &Quantity) -> Option<(f64, f64)> {
    a.cuts.iter().find_map(|c| match c {
        Cut::Value {
            q: cq,
            cmp: Cmp::Between(lo, hi),
        } if cq == q => Some((*lo, *hi)),
        Cut::Value {
            q: cq,
            cmp: Cmp::Within { center, width },
        } if cq == q => Some((center - width, center + width)),
        _ => None,
    })
}

/// Collections, MET, labels and histogram names.
fn plan(a: &Analysis) -> Plan {
    let mut kinds = BTreeSet::new();
    let mut met = false;
    for st in &a.objects {
        match st {
            Stmt::Select { kind, filters } => {
                kinds.insert(*kind);
                filters
                    .iter()
                    .for_each(|f| uses_filter(f, &mut kinds, &mut met));
            }
            Stmt::Overlap { remove, near, .. } => {
                kinds.insert(*remove);
                kinds.insert(*near);
            }
            _ => {}
        }
    }
    for c in &a.cuts {
        match c {
            Cut::Count {
                target: Target::Objects { kind, filters },
                ..
            } => {
                kinds.insert(*kind);
                filters
                    .iter()
                    .for_each(|f| uses_filter(f, &mut kinds, &mut met));
            }
            Cut::Count {
                target: Target::Pairs { kind, .. },
                ..
            } => {
                kinds.insert(*kind);
            }
            Cut::Value { q, .. } => uses(q, &mut kinds, &mut met),
            Cut::Pair { a, b, .. } => {
                uses_sys(a, &mut kinds, &mut met);
                uses_sys(b, &mut kinds, &mut met);
            }
            Cut::Every { kind, filter, .. } => {
                kinds.insert(*kind);
                uses_filter(filter, &mut kinds, &mut met);
            }
        }
    }
    for q in a.plots.iter().map(|p| &p.q).chain(&a.features) {
        uses(q, &mut kinds, &mut met);
    }
    // Derived collections need their bases.
    if kinds.contains(&Kind::Lepton) {
        kinds.extend([Kind::Electron, Kind::Muon]);
    }
    if kinds
        .iter()
        .any(|k| matches!(k, Kind::BJet | Kind::LightJet))
    {
        kinds.insert(Kind::Jet);
    }
    kinds.remove(&Kind::Met);
    Plan {
        kinds,
        met,
        labels: labels(a),
        hists: hists(a),
    }
}

fn uses_filter(f: &Filter, kinds: &mut BTreeSet<Kind>, met: &mut bool) {
    uses(&f.q, kinds, met);
}

/// Collections and MET a quantity reads.
fn uses(q: &Quantity, kinds: &mut BTreeSet<Kind>, met: &mut bool) {
    match q {
        Quantity::Met => *met = true,
        Quantity::Ht => {
            kinds.insert(Kind::Jet);
        }
        Quantity::Count(k, fs) => {
            kinds.insert(*k);
            fs.iter().for_each(|f| uses_filter(f, kinds, met));
        }
        Quantity::Prop(_, s) => uses_sys(s, kinds, met),
        Quantity::Mt(s) => {
            *met = true;
            uses_sys(s, kinds, met);
        }
        Quantity::Delta(_, a, b) => {
            uses_sys(a, kinds, met);
            uses_sys(b, kinds, met);
        }
        Quantity::Bin(_, a, b) => {
            uses(a, kinds, met);
            uses(b, kinds, met);
        }
        Quantity::Func(_, v) => v.iter().for_each(|a| uses(a, kinds, met)),
        Quantity::Reduce { kind, of, .. } => {
            kinds.insert(*kind);
            uses(of, kinds, met);
        }
        Quantity::Num(_) => {}
    }
}

fn uses_sys(s: &Sys, kinds: &mut BTreeSet<Kind>, met: &mut bool) {
    match s {
        Sys::Obj(o) if o.kind == Kind::Met => *met = true,
        Sys::Obj(o) => {
            kinds.insert(o.kind);
        }
        Sys::Sum(v) => v.iter().for_each(|p| uses_sys(p, kinds, met)),
        Sys::Cand(c) | Sys::Leg(c, _) | Sys::Rest(c, _) => {
            kinds.insert(c.kind);
        }
        Sys::All(k) | Sys::Each(k) => {
            kinds.insert(*k);
        }
    }
}

/// Unique cutflow labels from the canonical text.
fn labels(a: &Analysis) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    for c in &a.cuts {
        let base = canon::cut_label(c);
        let mut l = base.clone();
        let mut k = 2;
        while labels.contains(&l) {
            l = format!("{base} ({k})");
            k += 1;
        }
        labels.push(l);
    }
    labels
}

/// Unique histogram names.
fn hists(a: &Analysis) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for p in &a.plots {
        let mut n = slug(&p.q);
        while names.contains(&n) {
            n.push_str("_2");
        }
        names.push(n);
    }
    names
}
