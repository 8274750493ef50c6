//! IR → a readable Rust cell on `collm-analysis`.
//!
//! The cell is one block (evcxr cannot keep closures as top-level variables), reads every
//! `--data` file strictly, applies the cuts in order through `cutflow.pass(label, ...)` with
//! labels taken from the canonical text, and writes the output contract into `--out`.

mod expr;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::canon;
use crate::ir::{Analysis, Cmp, Cut, Filter, Kind, ObjRef, PairRel, Quantity, Stmt, Sys, Target};
use expr::{coll, lit, obj_prop, obj_var, slug, test, value, z_var};

/// Where the analysis reads and writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// LHCO files (`--data`), read in order as one sample. Empty in [`codegen_main`] means
    /// "take them from the command line".
    pub data: Vec<String>,
    /// Output directory (`--out`).
    pub out: String,
    /// Whether the code writes its own text to `analysis.rs` (the output contract); a caller
    /// that writes the file itself can turn it off to keep the cell short.
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

/// The notebook cell: `:dep`, `use`, then the analysis in one block.
pub fn codegen(a: &Analysis, opts: &Options) -> String {
    let mut s = String::from(":dep collm-analysis\nuse collm_analysis::prelude::*;\n\n{\n");
    let data: Vec<String> = opts.data.iter().map(|d| format!("{d:?}")).collect();
    let _ = writeln!(s, "    let data = [{}];", data.join(", "));
    let _ = writeln!(s, "    let out = std::path::Path::new({:?});", opts.out);
    body(&mut s, a, opts.lenient);
    finish(s, opts, false)
}

/// The same analysis as an ordinary program, for tests and `collm run` outside Jupyter.
/// With no data files in `opts`, it is run as `PROGRAM OUT_DIR FILE...`.
pub fn codegen_main(a: &Analysis, opts: &Options) -> String {
    let mut s = String::from(
        "use collm_analysis::prelude::*;\n\npub fn main() -> Result<(), Box<dyn std::error::Error>> {\n",
    );
    if opts.data.is_empty() {
        s.push_str("    let mut args = std::env::args().skip(1);\n");
        s.push_str("    let out_dir = args.next().ok_or(\"usage: PROGRAM OUT_DIR FILE...\")?;\n");
        s.push_str("    let out = std::path::Path::new(&out_dir);\n");
        s.push_str("    let data: Vec<String> = args.collect();\n");
    } else {
        let data: Vec<String> = opts.data.iter().map(|d| format!("{d:?}")).collect();
        let _ = writeln!(s, "    let data = [{}];", data.join(", "));
        let _ = writeln!(s, "    let out = std::path::Path::new({:?});", opts.out);
    }
    body(&mut s, a, opts.lenient);
    finish(s, opts, true)
}

/// Appends the self-writing tail (a quine, so `analysis.rs` is exactly this code) and the
/// closing brace.
fn finish(mut s: String, opts: &Options, main: bool) -> String {
    let end = if main { "    Ok(())\n}\n" } else { "}\n" };
    if !opts.write_source {
        s.push_str(end);
        return s;
    }
    const MARK: &str = "@@COLLM_SOURCE@@";
    s.push_str("    // The output contract includes this code itself as analysis.rs.\n");
    let _ = writeln!(s, "    const SOURCE: &str = {MARK};");
    s.push_str("    let marker = concat!(\"@@COLLM_\", \"SOURCE@@\");\n");
    s.push_str(
        "    std::fs::write(out.join(\"analysis.rs\"), SOURCE.replacen(marker, &format!(\"{SOURCE:?}\"), 1))?;\n",
    );
    s.push_str(end);
    // A quine: the literal holds the text with the marker in its own place.
    let literal = format!("{s:?}");
    s.replacen(MARK, &literal, 1)
}

/// Objects each statement needs; collected so every binding is made exactly once.
#[derive(Default)]
struct Uses {
    kinds: BTreeSet<Kind>,
    objs: BTreeSet<(Kind, usize)>,
    z: BTreeSet<Kind>,
    /// Whether anything reads the event's MET (an unused binding would be a warning).
    met: bool,
}

impl Uses {
    fn sys(&mut self, s: &Sys) {
        match s {
            Sys::Obj(o) => self.obj(o),
            Sys::Sum(v) => v.iter().for_each(|o| self.obj(o)),
            Sys::Z(k) => {
                self.kinds.insert(*k);
                self.z.insert(*k);
            }
        }
    }
    fn obj(&mut self, o: &ObjRef) {
        if o.kind == Kind::Met {
            self.met = true;
        } else {
            self.kinds.insert(o.kind);
            self.objs.insert((o.kind, o.index));
        }
    }
    fn q(&mut self, q: &Quantity) {
        match q {
            Quantity::Ht => {
                self.kinds.insert(Kind::Jet);
            }
            Quantity::Count(k) => {
                self.kinds.insert(*k);
            }
            Quantity::Prop(_, s) => self.sys(s),
            Quantity::Mt(s) => {
                self.met = true;
                self.sys(s);
            }
            Quantity::Delta(_, a, b) => {
                self.sys(a);
                self.sys(b);
            }
            Quantity::Bin(_, a, b) => {
                self.q(a);
                self.q(b);
            }
            Quantity::Sqrt(a) => self.q(a),
            Quantity::Met => self.met = true,
        }
    }
}

fn pred(fs: &[Filter], var: &str) -> String {
    fs.iter()
        .map(|f| test(&obj_prop(var, f.prop), &f.cmp))
        .collect::<Vec<_>>()
        .join(" && ")
}

fn body(s: &mut String, a: &Analysis, lenient: bool) {
    let mut uses = Uses::default();
    for st in &a.objects {
        match st {
            Stmt::Select {
                kind: Kind::Lepton, ..
            } => uses.kinds.extend([Kind::Electron, Kind::Muon]),
            Stmt::Select { kind, .. } => {
                uses.kinds.insert(*kind);
            }
            // Overlap removal works on the base collections; a `leptons` binding only
            // exists when something else reads it.
            Stmt::Overlap { remove, near, .. } => {
                for k in [*remove, *near] {
                    if k == Kind::Lepton {
                        uses.kinds.extend([Kind::Electron, Kind::Muon]);
                    } else {
                        uses.kinds.insert(k);
                    }
                }
            }
            _ => {}
        }
    }
    for c in &a.cuts {
        match c {
            Cut::Count {
                target: Target::Objects { kind, .. } | Target::Pairs { kind, .. },
                ..
            } => {
                uses.kinds.insert(*kind);
            }
            Cut::Value { q, .. } => uses.q(q),
            Cut::Pair { a, b, .. } => {
                uses.obj(a);
                uses.obj(b);
            }
        }
    }
    for q in a.plots.iter().map(|p| &p.q).chain(&a.features) {
        uses.q(q);
    }
    // Derived collections need their bases.
    let mut kinds = uses.kinds.clone();
    if kinds.contains(&Kind::Lepton) {
        kinds.extend([Kind::Electron, Kind::Muon]);
    }
    if kinds.contains(&Kind::BJet) || kinds.contains(&Kind::LightJet) || kinds.contains(&Kind::Jet)
    {
        kinds.insert(Kind::Jet);
    }
    kinds.remove(&Kind::Met);

    // Labels and histogram declarations.
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
    let quoted: Vec<String> = labels.iter().map(|l| format!("{l:?}")).collect();
    // An empty list needs its element type spelled out.
    let steps = if quoted.is_empty() {
        "[] as [&str; 0]".to_owned()
    } else {
        format!("[{}]", quoted.join(", "))
    };
    let _ = writeln!(s, "    let mut cutflow = Cutflow::with_steps({steps});");
    let mut hist_names: Vec<String> = Vec::new();
    for p in &a.plots {
        let mut n = slug(&p.q);
        while hist_names.contains(&n) {
            n.push_str("_2");
        }
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
        hist_names.push(n);
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
    if lenient {
        s.push_str("    for path in &data {\n        let mut events = lhco::read_lenient(path)?;\n        for ev in events.by_ref() {\n            let ev = ev?;\n            cutflow.start();\n");
    } else {
        s.push_str("    for path in &data {\n        for ev in lhco::read(path)? {\n            let ev = ev?;\n            cutflow.start();\n");
    }
    let ind = "            ";
    collections(s, a, &kinds, ind);
    if uses.met {
        let _ = writeln!(s, "{ind}let met = ev.met();");
    }
    for (k, i) in &uses.objs {
        let o = ObjRef {
            kind: *k,
            index: *i,
        };
        let _ = writeln!(s, "{ind}let {} = {}.nth({i});", obj_var(&o), coll(*k));
    }
    for k in &uses.z {
        let _ = writeln!(
            s,
            "{ind}let {} = {}.sfos_pairs().closest_to_mass(M_Z);",
            z_var(*k),
            coll(*k)
        );
    }
    let mut done: Vec<String> = Vec::new();
    for (c, label) in a.cuts.iter().zip(&labels) {
        let _ = writeln!(s, "{ind}// require {}", canon::cut_label(c));
        let cond = match c {
            Cut::Value { q, cmp } => {
                let v = bind(s, q, &mut done, ind);
                format!("{v}.is_some_and(|x| {})", test("x", cmp))
            }
            Cut::Count { target, cmp } => count_cond(target, cmp),
            Cut::Pair { a: x, b: y, rel } => {
                let t = match rel {
                    PairRel::Os => "a.charge() * b.charge() < 0",
                    PairRel::Ss => "a.charge() * b.charge() > 0",
                    PairRel::Sf => "a.kind == b.kind",
                    PairRel::Sfos => "a.kind == b.kind && a.charge() * b.charge() < 0",
                };
                format!(
                    "{}.zip({}).is_some_and(|(a, b)| {t})",
                    obj_var(x),
                    obj_var(y)
                )
            }
        };
        let _ = writeln!(
            s,
            "{ind}if !cutflow.pass({label:?}, {cond}) {{\n{ind}    continue;\n{ind}}}"
        );
    }
    if !a.plots.is_empty() || !a.features.is_empty() {
        let _ = writeln!(s, "{ind}// plots and features of the selected events");
    }
    for (p, n) in a.plots.iter().zip(&hist_names) {
        let v = bind(s, &p.q, &mut done, ind);
        let _ = writeln!(
            s,
            "{ind}if let Some(x) = {v} {{\n{ind}    h_{n}.fill(x);\n{ind}}}"
        );
    }
    if !a.features.is_empty() {
        let vals: Vec<String> = a
            .features
            .iter()
            .map(|q| format!("{}.unwrap_or(f64::NAN)", bind(s, q, &mut done, ind)))
            .collect();
        let _ = writeln!(s, "{ind}features.push(ev.number, &[{}]);", vals.join(", "));
    }
    if lenient {
        s.push_str("        }\n        println!(\"{path}: {}\", events.report());\n    }\n");
    } else {
        s.push_str("        }\n    }\n");
    }
    s.push_str("    cutflow.show();\n    std::fs::create_dir_all(out)?;\n");
    s.push_str("    cutflow.write_csv(out.join(\"cutflow.csv\"))?;\n");
    s.push_str("    features.write_csv(out.join(\"features.csv\"))?;\n");
    for (p, n) in a.plots.iter().zip(&hist_names) {
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

/// Emits `let NAME = ...;` for a quantity the first time it is needed; returns NAME.
fn bind(s: &mut String, q: &Quantity, done: &mut Vec<String>, ind: &str) -> String {
    let base = slug(q);
    let name = if [
        "met",
        "jets",
        "leptons",
        "electrons",
        "muons",
        "taus",
        "photons",
        "out",
        "data",
        "ev",
        "path",
    ]
    .contains(&base.as_str())
        || base.starts_with("z_")
    {
        format!("{base}_value")
    } else {
        base
    };
    if !done.contains(&name) {
        let v = value(q);
        let v = v
            .strip_prefix('(')
            .and_then(|x| x.strip_suffix(')'))
            .filter(|_| matches!(q, Quantity::Bin(..)))
            .unwrap_or(&v);
        let e = if expr::fallible(q) {
            format!("(|| Some({v}))()")
        } else {
            format!("Some({v})")
        };
        let _ = writeln!(s, "{ind}let {name}: Option<f64> = {e};");
        done.push(name.clone());
    }
    name
}

fn count_cond(t: &Target, cmp: &crate::ir::CountCmp) -> String {
    use crate::ir::CountCmp;
    let n = match t {
        Target::Objects { kind, filters } if filters.is_empty() => format!("{}.len()", coll(*kind)),
        Target::Objects { kind, filters } => {
            format!("{}.filter(|o| {}).len()", coll(*kind), pred(filters, "o"))
        }
        Target::Pairs { kind, rel } => {
            let c = coll(*kind);
            match rel {
                PairRel::Os => format!("{c}.os_pairs().count()"),
                PairRel::Sfos => format!("{c}.sfos_pairs().count()"),
                PairRel::Sf => format!("{c}.pairs().filter(|p| p.is_same_flavour()).count()"),
                PairRel::Ss => {
                    format!("{c}.pairs().filter(|p| p.a.charge() * p.b.charge() > 0).count()")
                }
            }
        }
    };
    match cmp {
        CountCmp::Exactly(k) => format!("{n} == {k}"),
        CountCmp::AtLeast(k) => format!("{n} >= {k}"),
        CountCmp::AtMost(k) => format!("{n} <= {k}"),
    }
}

/// Collection bindings: base kinds with their predicates, overlap removal in text order,
/// then leptons, b-jets and light jets derived from the final base collections.
fn collections(s: &mut String, a: &Analysis, kinds: &BTreeSet<Kind>, ind: &str) {
    let filters_of = |k: Kind| -> Vec<Filter> {
        a.objects
            .iter()
            .filter_map(|st| match st {
                Stmt::Select { kind, filters }
                    if *kind == k
                        || (*kind == Kind::Lepton && matches!(k, Kind::Electron | Kind::Muon)) =>
                {
                    Some(filters.clone())
                }
                _ => None,
            })
            .flatten()
            .collect()
    };
    for k in [
        Kind::Electron,
        Kind::Muon,
        Kind::Tau,
        Kind::Photon,
        Kind::Jet,
    ] {
        if !kinds.contains(&k) {
            continue;
        }
        let f = filters_of(k);
        let c = coll(k);
        if f.is_empty() {
            let _ = writeln!(s, "{ind}let {c}: Objects = ev.{c}().collect();");
        } else {
            let _ = writeln!(
                s,
                "{ind}let {c}: Objects = ev.{c}().filter(|o| {}).collect();",
                pred(&f, "o")
            );
        }
    }
    for st in &a.objects {
        if let Stmt::Overlap { remove, near, dr } = st {
            let near_expr = if *near == Kind::Lepton {
                "electrons.union(&muons)[..]".to_owned()
            } else {
                format!("{}[..]", coll(*near))
            };
            let removed: Vec<Kind> = if *remove == Kind::Lepton {
                vec![Kind::Electron, Kind::Muon]
            } else {
                vec![*remove]
            };
            let _ = writeln!(
                s,
                "{ind}// remove {} within dR < {} of {}",
                remove.plural(),
                canon::num(*dr),
                near.plural()
            );
            for r in removed {
                let _ = writeln!(
                    s,
                    "{ind}let {c} = {c}.remove_overlap(&{near_expr}, {});",
                    lit(*dr),
                    c = coll(r)
                );
            }
        }
    }
    if kinds.contains(&Kind::Lepton) {
        let _ = writeln!(s, "{ind}let leptons = electrons.union(&muons);");
    }
    for (k, base) in [
        (Kind::BJet, "j.is_btagged()"),
        (Kind::LightJet, "!j.is_btagged()"),
    ] {
        if kinds.contains(&k) {
            let f = filters_of(k);
            let extra = if f.is_empty() {
                String::new()
            } else {
                format!(" && {}", pred(&f, "j"))
            };
            let _ = writeln!(s, "{ind}let {} = jets.filter(|j| {base}{extra});", coll(k));
        }
    }
}
