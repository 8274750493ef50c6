//! The `analyze` section: per event, the named collections (declared once, like Rivet's
//! projections), then the cuts in order, each commented with its canonical text and followed
//! by `let Some(..) else { continue }` for the objects it guarantees, then the fills.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::expr::{coll, test};
use super::value::{
    direct_needs, filter_needs, predicate, quantity_needs, rel_test, sys_needs, Need, Scope,
};
use super::Plan;
use crate::canon;
use crate::ir::{Analysis, CountCmp, Cut, Filter, Kind, ObjRef, PairRel, Quantity, Stmt, Target};

const IND: &str = "            ";

/// The per-event code: collections, cuts, fills.
pub fn event(s: &mut String, a: &Analysis, plan: &Plan) {
    collections(s, a, &plan.kinds);
    if plan.met {
        let _ = writeln!(s, "{IND}let met = ev.met();");
    }
    let mut scope = Scope::default();
    let mut values: Vec<(String, bool)> = Vec::new();
    for (k, (c, label)) in a.cuts.iter().zip(&plan.labels).enumerate() {
        let _ = writeln!(s, "{IND}// require {}", canon::cut_label(c));
        let needs = cut_needs(c);
        scope.declare(s, &needs, IND);
        let cond = condition(s, c, &mut scope, &mut values);
        let later = needs_after(a, k, &values);
        let _ = writeln!(
            s,
            "{IND}if !cutflow.pass({label:?}, {cond}) {{\n{IND}    continue;\n{IND}}}"
        );
        scope.bind(s, &needs, &later, IND);
        let guaranteed = guarantees(c, &later);
        scope.bind(s, &guaranteed, &later, IND);
    }
    fills(s, a, plan, &mut scope, &mut values);
}

/// The plots and features of a selected event.
fn fills(
    s: &mut String,
    a: &Analysis,
    plan: &Plan,
    scope: &mut Scope,
    values: &mut Vec<(String, bool)>,
) {
    if a.plots.is_empty() && a.features.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "{IND}// the selected event: fill the plots, write the features"
    );
    for (p, n) in a.plots.iter().zip(&plan.hists) {
        let (v, opt) = value(s, &p.q, scope, values);
        if opt {
            let _ = writeln!(
                s,
                "{IND}if let Some(x) = {v} {{\n{IND}    h_{n}.fill(x);\n{IND}}}"
            );
        } else {
            let _ = writeln!(s, "{IND}h_{n}.fill({v});");
        }
    }
    if !a.features.is_empty() {
        let vals: Vec<String> = a
            .features
            .iter()
            .map(|q| {
                let (v, opt) = value(s, q, scope, values);
                if opt {
                    format!("{v}.unwrap_or(f64::NAN)")
                } else {
                    v
                }
            })
            .collect();
        let _ = writeln!(s, "{IND}features.push(ev.number, &[{}]);", vals.join(", "));
    }
}

/// The value of a quantity in a named variable (computed once); returns the name and
/// whether it is an `Option<f64>`.
fn value(
    s: &mut String,
    q: &Quantity,
    scope: &mut Scope,
    values: &mut Vec<(String, bool)>,
) -> (String, bool) {
    let mut needs = Vec::new();
    quantity_needs(q, &mut needs);
    scope.declare(s, &needs, IND);
    let name = value_name(q);
    if let Some((_, opt)) = values.iter().find(|(n, _)| *n == name) {
        return (name, *opt);
    }
    let (e, opt) = scope.value(q);
    if opt {
        let _ = writeln!(s, "{IND}let {name}: Option<f64> = {e};");
    } else {
        let _ = writeln!(s, "{IND}let {name} = {e};");
    }
    values.push((name.clone(), opt));
    (name, opt)
}

/// The variable holding a quantity's value.
fn value_name(q: &Quantity) -> String {
    let base = super::expr::slug(q);
    if RESERVED.contains(&base.as_str())
        || base.starts_with("z_")
        || base.starts_with("pair_")
        || base.contains("_not_")
    {
        format!("{base}_value")
    } else {
        base
    }
}

/// Names the generated code uses for itself.
const RESERVED: &[&str] = &[
    "met",
    "jets",
    "leptons",
    "electrons",
    "muons",
    "taus",
    "photons",
    "b_jets",
    "light_jets",
    "out",
    "data",
    "ev",
    "path",
    "cutflow",
    "features",
    "events",
    "o",
    "x",
];

/// The boolean a cut passes on.
fn condition(
    s: &mut String,
    c: &Cut,
    scope: &mut Scope,
    values: &mut Vec<(String, bool)>,
) -> String {
    match c {
        Cut::Value { q, cmp } => {
            let (v, opt) = value(s, q, scope, values);
            if opt {
                format!("{v}.is_some_and(|x| {})", test("x", cmp))
            } else {
                test(&v, cmp)
            }
        }
        Cut::Count { target, cmp } => count_cond(target, cmp),
        Cut::Pair { a, b, rel } => {
            let x = super::value::object(a).unwrap_or_default();
            let y = super::value::object(b).unwrap_or_default();
            scope.condition(&cut_needs(c), &rel_test(&x, &y, *rel))
        }
        Cut::Every {
            kind,
            first,
            filter,
        } => {
            let c2 = match first {
                Some(n) => format!("{}.leading_n({n})", coll(*kind)),
                None => coll(*kind).to_owned(),
            };
            let cond = format!(
                "{c2}.iter().all(|o| {})",
                predicate(std::slice::from_ref(filter))
            );
            let mut needs = Vec::new();
            filter_needs(filter, &mut needs);
            scope.condition(&needs, &cond)
        }
    }
}

fn count_cond(t: &Target, cmp: &CountCmp) -> String {
    let n = match t {
        Target::Objects { kind, filters } if filters.is_empty() => format!("{}.len()", coll(*kind)),
        Target::Objects { kind, filters } => {
            format!("{}.filter(|o| {}).len()", coll(*kind), predicate(filters))
        }
        Target::Pairs { kind, rel } => {
            let c = coll(*kind);
            match rel {
                PairRel::Os => format!("{c}.os_pairs().count()"),
                PairRel::Sfos => format!("{c}.sfos_pairs().count()"),
                r => format!(
                    "{c}.pairs().filter(|p| {}).count()",
                    rel_test("p.a", "p.b", *r)
                ),
            }
        }
    };
    match cmp {
        CountCmp::Exactly(k) => format!("{n} == {k}"),
        CountCmp::AtLeast(k) => format!("{n} >= {k}"),
        CountCmp::AtMost(k) => format!("{n} <= {k}"),
    }
}

/// What a cut reads.
fn cut_needs(c: &Cut) -> Vec<Need> {
    let mut v = Vec::new();
    match c {
        Cut::Value { q, .. } => quantity_needs(q, &mut v),
        Cut::Pair { a, b, .. } => {
            sys_needs(a, &mut v);
            sys_needs(b, &mut v);
        }
        Cut::Every { filter, .. } => filter_needs(filter, &mut v),
        Cut::Count {
            target: Target::Objects { filters, .. },
            ..
        } => filters.iter().for_each(|f| filter_needs(f, &mut v)),
        Cut::Count { .. } => {}
    }
    v
}

/// What a passed cut guarantees that later code uses: "at least two jets" makes `j1` and
/// `j2` sure; "at least one SFOS pair" makes the Z candidate sure.
fn guarantees(c: &Cut, later: &[Need]) -> Vec<Need> {
    match c {
        Cut::Count {
            target: Target::Objects { kind, filters },
            cmp: CountCmp::Exactly(n) | CountCmp::AtLeast(n),
        } if filters.is_empty() => (0..*n)
            .map(|index| Need::Obj(ObjRef { kind: *kind, index }))
            .filter(|n| later.contains(n))
            .collect(),
        Cut::Count {
            target: Target::Pairs { kind, rel },
            cmp: CountCmp::Exactly(n) | CountCmp::AtLeast(n),
        } if *n >= 1 => later
            .iter()
            .filter(|need| matches!(need, Need::Cand(c) if c.kind == *kind && c.rel == Some(*rel)))
            .cloned()
            .collect(),
        _ => Vec::new(),
    }
}

/// Everything used after cut `k`: later cuts, plots and features.
fn needs_after(a: &Analysis, k: usize, values: &[(String, bool)]) -> Vec<Need> {
    // A quantity already computed is reused by name and names nothing else.
    let computed = |q: &Quantity| values.iter().any(|(n, _)| *n == value_name(q));
    let mut v = Vec::new();
    for c in &a.cuts[k + 1..] {
        match c {
            Cut::Value { q, .. } if computed(q) => {}
            Cut::Value { q, .. } => direct_needs(q, &mut v),
            Cut::Every { filter, .. } => direct_needs(&filter.q, &mut v),
            c => {
                for n in cut_needs(c) {
                    if !v.contains(&n) {
                        v.push(n);
                    }
                }
            }
        }
    }
    for q in a.plots.iter().map(|p| &p.q).chain(&a.features) {
        if !computed(q) {
            direct_needs(q, &mut v);
        }
    }
    v
}

/// The selected collections, declared once in dependency order: the base kinds with their
/// conditions and overlap removals, then leptons, b-jets and light jets derived from them.
fn collections(s: &mut String, a: &Analysis, kinds: &BTreeSet<Kind>) {
    let _ = writeln!(s, "{IND}// the selected collections");
    let mut done: Vec<Kind> = Vec::new();
    let order = base_order(a, kinds);
    for k in order {
        declare_base(s, a, k);
        done.push(k);
        let leptons_ready = done.contains(&Kind::Electron) && done.contains(&Kind::Muon);
        if kinds.contains(&Kind::Lepton) && leptons_ready && !done.contains(&Kind::Lepton) {
            let _ = writeln!(s, "{IND}let leptons = electrons.union(&muons);");
            done.push(Kind::Lepton);
        }
    }
    for (k, base) in [
        (Kind::BJet, "o.is_btagged()"),
        (Kind::LightJet, "!o.is_btagged()"),
    ] {
        if kinds.contains(&k) {
            let f = filters_of(a, k);
            let extra = if f.is_empty() {
                String::new()
            } else {
                format!(" && {}", predicate(&f))
            };
            let _ = writeln!(s, "{IND}let {} = jets.filter(|o| {base}{extra});", coll(k));
        }
    }
}

/// Base kinds in an order where every overlap removal's reference comes first.
fn base_order(a: &Analysis, kinds: &BTreeSet<Kind>) -> Vec<Kind> {
    let bases: Vec<Kind> = [
        Kind::Electron,
        Kind::Muon,
        Kind::Tau,
        Kind::Photon,
        Kind::Jet,
    ]
    .into_iter()
    .filter(|k| kinds.contains(k))
    .collect();
    let deps = |k: Kind| -> Vec<Kind> {
        a.objects
            .iter()
            .filter_map(|st| match st {
                Stmt::Overlap { remove, near, .. } if expand(*remove).contains(&k) => {
                    Some(expand(*near))
                }
                _ => None,
            })
            .flatten()
            .filter(|d| *d != k)
            .collect()
    };
    let mut order: Vec<Kind> = Vec::new();
    let mut left = bases.clone();
    while !left.is_empty() {
        let pos = left.iter().position(|k| {
            deps(*k)
                .iter()
                .all(|d| order.contains(d) || !bases.contains(d))
        });
        let k = left.remove(pos.unwrap_or(0));
        order.push(k);
    }
    order
}

/// A kind as the base collections it stands for.
fn expand(k: Kind) -> Vec<Kind> {
    match k {
        Kind::Lepton => vec![Kind::Electron, Kind::Muon],
        Kind::BJet | Kind::LightJet => vec![Kind::Jet],
        k => vec![k],
    }
}

/// The conditions of a kind's definitions (leptons' apply to electrons and muons).
fn filters_of(a: &Analysis, k: Kind) -> Vec<Filter> {
    a.objects
        .iter()
        .filter_map(|st| match st {
            Stmt::Select { kind, filters }
                if *kind == k
                    || (*kind == Kind::Lepton && matches!(k, Kind::Electron | Kind::Muon)) =>
            {
                Some(
                    filters
                        .iter()
                        .map(|f| crate::read::retarget(f, k))
                        .collect::<Vec<_>>(),
                )
            }
            _ => None,
        })
        .flatten()
        .collect()
}

/// One base collection: `let jets: Objects = ev.jets().filter(...).collect();` and its
/// overlap removals.
fn declare_base(s: &mut String, a: &Analysis, k: Kind) {
    let f = filters_of(a, k);
    let c = coll(k);
    let removals: Vec<String> = a
        .objects
        .iter()
        .filter_map(|st| match st {
            Stmt::Overlap {
                remove,
                near,
                first,
                dr,
            } if expand(*remove).contains(&k) => {
                let near_c = match first {
                    Some(n) => format!("{}.leading_n({n})", coll(*near)),
                    None => coll(*near).to_owned(),
                };
                Some(format!(
                    ".remove_overlap(&{near_c}[..], {})",
                    super::expr::lit(*dr)
                ))
            }
            _ => None,
        })
        .collect();
    for st in &a.objects {
        if let Stmt::Overlap { remove, .. } = st {
            if expand(*remove).contains(&k) {
                let _ = writeln!(s, "{IND}// {}", canon::stmt(st));
            }
        }
    }
    let select = if f.is_empty() {
        format!("ev.{c}().collect()")
    } else {
        format!("ev.{c}().filter(|o| {}).collect()", predicate(&f))
    };
    if removals.is_empty() {
        let _ = writeln!(s, "{IND}let {c}: Objects = {select};");
    } else {
        let select = select.replacen(".collect()", ".collect::<Objects>()", 1);
        let _ = writeln!(s, "{IND}let {c} = {select}{};", removals.join(""));
    }
}
