//! Quantities as Rust expressions, and the bindings they need.
//!
//! An object the event may not have (a second jet in a one-jet event) is an
//! `Option<&Object>` until a cut guarantees it; from then on the cell rebinds it with
//! `let Some(j1) = j1 else { continue };` and uses it directly. A quantity that still needs an
//! optional object is an `Option<f64>` computed in a closure, so a missing object fails a cut
//! or skips a fill instead of panicking.

use std::fmt::Write as _;

use super::expr::{cand_var, coll, lit, obj_var, rest_var};
use crate::ir::{
    Cand, Delta, Filter, Func, Kind, ObjRef, Op, PairRel, Prop, Quantity, Reduce, Sys,
};
use crate::read::MZ;

/// Something a quantity needs bound: an object, a candidate pair, or an object outside a pair.
#[derive(Debug, Clone, PartialEq)]
pub enum Need {
    Obj(ObjRef),
    Cand(Cand),
    Rest(Cand, usize),
}

impl Need {
    /// The variable that holds it.
    pub fn var(&self) -> String {
        match self {
            Need::Obj(o) => obj_var(o),
            Need::Cand(c) => cand_var(c),
            Need::Rest(c, i) => rest_var(c, *i),
        }
    }
}

/// What is bound so far in the event loop.
#[derive(Default)]
pub struct Scope {
    /// Variables holding plain values (`&Object`, `Pair`).
    bound: Vec<String>,
    /// Variables holding `Option`s.
    declared: Vec<String>,
}

impl Scope {
    /// Whether a need is a plain value here.
    pub fn is_bound(&self, n: &Need) -> bool {
        self.bound.contains(&n.var())
    }

    /// Declares what `needs` lists and is not there yet, as `Option`s.
    pub fn declare(&mut self, s: &mut String, needs: &[Need], ind: &str) {
        for n in needs {
            let v = n.var();
            if self.bound.contains(&v) || self.declared.contains(&v) {
                continue;
            }
            let _ = writeln!(s, "{ind}let {v} = {};", self.decl(n));
            self.declared.push(v);
        }
    }

    /// The `Option` expression of a need.
    fn decl(&self, n: &Need) -> String {
        match n {
            Need::Obj(o) => format!("{}.nth({})", coll(o.kind), o.index),
            Need::Cand(c) => cand_decl(c),
            Need::Rest(c, i) => {
                let z = cand_var(c);
                if self.bound.contains(&z) {
                    format!("{}.excluding(&{z}).nth({i})", coll(c.kind))
                } else {
                    format!("{z}.and_then(|z| {}.excluding(&z).nth({i}))", coll(c.kind))
                }
            }
        }
    }

    /// After a cut that fails without them: rebinds the needs that later code uses as plain
    /// values (`let Some(j1) = j1 else { continue };`).
    pub fn bind(&mut self, s: &mut String, needs: &[Need], later: &[Need], ind: &str) {
        for n in needs {
            let v = n.var();
            if self.bound.contains(&v) || !self.used_later(n, later) {
                continue;
            }
            if self.declared.contains(&v) {
                let _ = writeln!(s, "{ind}let Some({v}) = {v} else {{ continue }};");
            } else {
                let _ = writeln!(
                    s,
                    "{ind}let Some({v}) = {} else {{ continue }};",
                    self.decl(n)
                );
            }
            self.bound.push(v);
        }
    }

    /// Whether later code names the variable: a candidate pair is named by uses of the pair
    /// and its legs, and by the declaration of an object outside it not declared yet.
    fn used_later(&self, n: &Need, later: &[Need]) -> bool {
        match n {
            Need::Cand(c) => later.iter().any(|m| match m {
                Need::Cand(c2) => c2 == c,
                Need::Rest(c2, _) => {
                    c2 == c && !self.declared.contains(&m.var()) && !self.bound.contains(&m.var())
                }
                Need::Obj(_) => false,
            }),
            n => later.contains(n),
        }
    }

    /// The needs that are `Option`s here.
    pub fn optional(&self, needs: &[Need]) -> Vec<Need> {
        needs
            .iter()
            .filter(|n| !self.is_bound(n))
            .cloned()
            .collect()
    }

    /// An `f64` expression (`Some` = plain) or an `Option<f64>` one (`None` = it needs a
    /// closure): returns the expression and whether it is optional.
    pub fn value(&self, q: &Quantity) -> (String, bool) {
        let mut needs = Vec::new();
        quantity_needs(q, &mut needs);
        let opt = self.optional(&needs);
        if opt.is_empty() && !reduces_to_option(q) {
            return (strip_parens(rust(q)), false);
        }
        (
            guarded(&opt, &format!("Some({})", strip_parens(rust(q)))),
            true,
        )
    }

    /// A boolean test that needs `needs`: plain when they are bound, else `false` when one is
    /// missing.
    pub fn condition(&self, needs: &[Need], cond: &str) -> String {
        let opt = self.optional(needs);
        if opt.is_empty() {
            return cond.to_owned();
        }
        format!(
            "{}.unwrap_or(false)",
            guarded(&opt, &format!("Some({cond})"))
        )
    }
}

/// `(|| { let j1 = j1?; Some(...) })()`.
fn guarded(opt: &[Need], body: &str) -> String {
    let mut s = String::from("(|| { ");
    for n in opt {
        let v = n.var();
        let _ = write!(s, "let {v} = {v}?; ");
    }
    let _ = write!(s, "{body} }})()");
    s
}

fn strip_parens(e: String) -> String {
    if e.starts_with('(') && e.ends_with(')') && balanced(&e[1..e.len() - 1]) {
        e[1..e.len() - 1].to_owned()
    } else {
        e
    }
}

fn balanced(s: &str) -> bool {
    let mut d = 0i32;
    for c in s.chars() {
        match c {
            '(' => d += 1,
            ')' => {
                d -= 1;
                if d < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    d == 0
}

/// The `Option<Pair>` of a candidate.
fn cand_decl(c: &Cand) -> String {
    let m = if c.mass == MZ {
        "M_Z".to_owned()
    } else {
        lit(c.mass)
    };
    let pairs = match c.rel {
        Some(PairRel::Sfos) => ".sfos_pairs()".to_owned(),
        Some(PairRel::Os) => ".os_pairs()".to_owned(),
        None => ".pairs()".to_owned(),
        Some(r) => format!(".pairs().filter(|p| {})", rel_test("p.a", "p.b", r)),
    };
    format!("{}{pairs}.closest_to_mass({m})", coll(c.kind))
}

/// The test of a charge/flavour relation between two objects.
pub fn rel_test(a: &str, b: &str, r: PairRel) -> String {
    match r {
        PairRel::Os => format!("{a}.charge() * {b}.charge() < 0"),
        PairRel::Ss => format!("{a}.charge() * {b}.charge() > 0"),
        PairRel::Sf => format!("{a}.kind == {b}.kind"),
        PairRel::Sfos => format!("{a}.kind == {b}.kind && {a}.charge() * {b}.charge() < 0"),
        PairRel::Df => format!("{a}.kind != {b}.kind"),
        PairRel::Dfos => format!("{a}.kind != {b}.kind && {a}.charge() * {b}.charge() < 0"),
    }
}

/// Whether the quantity is missing for some events even with every object present (a min
/// or max over an empty collection).
fn reduces_to_option(q: &Quantity) -> bool {
    match q {
        Quantity::Reduce { reduce, .. } => *reduce != Reduce::Sum,
        Quantity::Bin(_, a, b) => reduces_to_option(a) || reduces_to_option(b),
        Quantity::Func(_, v) => v.iter().any(reduces_to_option),
        _ => false,
    }
}

/// What later code names directly: like [`quantity_needs`], but an object outside a pair
/// does not name the pair.
pub fn direct_needs(q: &Quantity, out: &mut Vec<Need>) {
    let mut all = Vec::new();
    quantity_needs(q, &mut all);
    let mut rests_only = Vec::new();
    rest_free_needs(q, &mut rests_only);
    for n in all {
        let direct = match &n {
            Need::Cand(c) => rests_only.contains(&Need::Cand(*c)),
            _ => true,
        };
        if direct && !out.contains(&n) {
            out.push(n);
        }
    }
}

/// The candidates a quantity names through the pair or its legs.
fn rest_free_needs(q: &Quantity, out: &mut Vec<Need>) {
    let sys = |s: &Sys, out: &mut Vec<Need>| {
        walk_sys(s, &mut |p| {
            if let Sys::Cand(c) | Sys::Leg(c, _) = p {
                out.push(Need::Cand(*c));
            }
        })
    };
    match q {
        Quantity::Prop(_, s) | Quantity::Mt(s) => sys(s, out),
        Quantity::Delta(_, a, b) => {
            sys(a, out);
            sys(b, out);
        }
        Quantity::Bin(_, a, b) => {
            rest_free_needs(a, out);
            rest_free_needs(b, out);
        }
        Quantity::Func(_, v) => v.iter().for_each(|a| rest_free_needs(a, out)),
        Quantity::Reduce { of, .. } => rest_free_needs(of, out),
        Quantity::Count(_, fs) => fs.iter().for_each(|f| rest_free_needs(&f.q, out)),
        Quantity::Num(_) | Quantity::Met | Quantity::Ht => {}
    }
}

/// Visits a system and its parts.
fn walk_sys(s: &Sys, f: &mut impl FnMut(&Sys)) {
    f(s);
    if let Sys::Sum(v) = s {
        v.iter().for_each(|p| walk_sys(p, f));
    }
}

/// Everything a quantity needs, in order of first use.
pub fn quantity_needs(q: &Quantity, out: &mut Vec<Need>) {
    match q {
        Quantity::Count(_, fs) => fs.iter().for_each(|f| quantity_needs(&f.q, out)),
        Quantity::Prop(_, s) | Quantity::Mt(s) => sys_needs(s, out),
        Quantity::Delta(_, a, b) => {
            sys_needs(a, out);
            sys_needs(b, out);
        }
        Quantity::Bin(_, a, b) => {
            quantity_needs(a, out);
            quantity_needs(b, out);
        }
        Quantity::Func(_, v) => v.iter().for_each(|a| quantity_needs(a, out)),
        Quantity::Reduce { of, .. } => quantity_needs(of, out),
        Quantity::Num(_) | Quantity::Met | Quantity::Ht => {}
    }
}

/// Everything a system needs.
pub fn sys_needs(s: &Sys, out: &mut Vec<Need>) {
    let mut push = |n: Need| {
        if !out.contains(&n) {
            out.push(n);
        }
    };
    match s {
        Sys::Obj(o) if o.kind != Kind::Met => push(Need::Obj(*o)),
        Sys::Sum(v) => v.iter().for_each(|p| sys_needs(p, out)),
        Sys::Cand(c) | Sys::Leg(c, _) => push(Need::Cand(*c)),
        Sys::Rest(c, i) => {
            push(Need::Cand(*c));
            push(Need::Rest(*c, *i));
        }
        Sys::Obj(_) | Sys::All(_) | Sys::Each(_) => {}
    }
}

/// The needs of a filter.
pub fn filter_needs(f: &Filter, out: &mut Vec<Need>) {
    quantity_needs(&f.q, out);
}

/// A single object as an `&Object` expression, if the system is one.
pub fn object(s: &Sys) -> Option<String> {
    Some(match s {
        Sys::Obj(o) => obj_var(o),
        Sys::Leg(c, i) => format!("{}.{}", cand_var(c), if *i == 0 { "a" } else { "b" }),
        Sys::Rest(c, i) => rest_var(c, *i),
        Sys::Each(_) => "o".to_owned(),
        _ => return None,
    })
}

/// The four-vector of a system.
fn p4(s: &Sys) -> String {
    match s {
        Sys::Obj(o) if o.kind == Kind::Met => "P4::transverse(met.pt(), met.phi())".to_owned(),
        Sys::Sum(v) => {
            let terms: Vec<String> = v.iter().map(p4).collect();
            format!("({})", terms.join(" + "))
        }
        Sys::Cand(c) => format!("{}.p4()", cand_var(c)),
        Sys::All(k) => format!("{}.p4()", coll(*k)),
        s => format!("{}.p4()", object(s).unwrap_or_default()),
    }
}

/// An argument for the physics functions (anything with `Kinematics`).
fn arg(s: &Sys) -> String {
    match s {
        Sys::Obj(o) if o.kind == Kind::Met => "met".to_owned(),
        s => match object(s) {
            Some(o) => o,
            None => format!("&{}", p4(s)),
        },
    }
}

/// A property of an `&Object` expression.
pub fn obj_prop(o: &str, p: Prop) -> String {
    match p {
        Prop::Pt => format!("{o}.pt()"),
        Prop::Eta => format!("{o}.eta()"),
        Prop::AbsEta => format!("{o}.abs_eta()"),
        Prop::Phi => format!("{o}.phi()"),
        Prop::Energy => format!("{o}.p4().e"),
        Prop::Mass => format!("{o}.mass()"),
        Prop::Px => format!("{o}.p4().px"),
        Prop::Py => format!("{o}.p4().py"),
        Prop::Pz => format!("{o}.p4().pz"),
        Prop::Charge => format!("f64::from({o}.charge())"),
        Prop::Ntrk => format!("{o}.ntrk"),
        Prop::Btag => format!("{o}.btag"),
    }
}

/// A property of a system.
fn sys_prop(p: Prop, s: &Sys) -> String {
    if let Sys::Obj(o) = s {
        if o.kind == Kind::Met && matches!(p, Prop::Pt | Prop::Phi) {
            return obj_prop("met", p);
        }
    }
    if let Some(o) = object(s).filter(|_| !matches!(s, Sys::Obj(o) if o.kind == Kind::Met)) {
        return obj_prop(&o, p);
    }
    if let (Prop::Charge | Prop::Ntrk | Prop::Btag, Sys::Sum(v)) = (p, s) {
        let t: Vec<String> = v.iter().map(|m| sys_prop(p, m)).collect();
        return format!("({})", t.join(" + "));
    }
    let v = p4(s);
    match p {
        Prop::Energy => format!("{v}.e"),
        Prop::Px => format!("{v}.px"),
        Prop::Py => format!("{v}.py"),
        Prop::Pz => format!("{v}.pz"),
        Prop::Pt => format!("{v}.pt()"),
        Prop::Eta => format!("{v}.eta()"),
        Prop::AbsEta => format!("{v}.abs_eta()"),
        Prop::Phi => format!("{v}.phi()"),
        _ => format!("{v}.mass()"),
    }
}

/// The `f64` expression of a quantity with every need bound (min and max use `?`).
pub fn rust(q: &Quantity) -> String {
    match q {
        Quantity::Num(x) => lit(*x),
        Quantity::Met => "met.pt()".to_owned(),
        Quantity::Ht => "jets.ht()".to_owned(),
        Quantity::Count(k, fs) if fs.is_empty() => format!("{}.len() as f64", coll(*k)),
        Quantity::Count(k, fs) => {
            format!("{}.filter(|o| {}).len() as f64", coll(*k), predicate(fs))
        }
        Quantity::Prop(p, s) => sys_prop(*p, s),
        Quantity::Mt(s) => format!("mt({}, met)", arg(s)),
        Quantity::Delta(d, a, b) => format!("{}({}, {})", delta_fn(*d), arg(a), arg(b)),
        Quantity::Bin(Op::Pow, a, b) => format!("{}.powf({})", rust(a), rust(b)),
        Quantity::Bin(op, a, b) => format!("({} {} {})", rust(a), op.symbol(), rust(b)),
        Quantity::Func(f, args) => func(*f, args),
        Quantity::Reduce {
            of,
            reduce,
            kind,
            first,
        } => reduction(*reduce, &leading(*kind, *first), &rust(of)),
    }
}

/// The collection a reduction runs over: `jets`, `jets.leading_n(3)`.
fn leading(kind: Kind, first: Option<usize>) -> String {
    match first {
        Some(n) => format!("{}.leading_n({n})", coll(kind)),
        None => coll(kind).to_owned(),
    }
}

/// `body` (about each object `o`) reduced over the collection `c`; min and max of none is
/// `None`, so they use `?`.
fn reduction(reduce: Reduce, c: &str, body: &str) -> String {
    match reduce {
        Reduce::Min => format!("{c}.min_of(|o| {body})?"),
        Reduce::Max => format!("{c}.max_of(|o| {body})?"),
        Reduce::Sum => format!("{c}.sum_of(|o| {body})"),
    }
}

/// The `collm-analysis` function computing a separation.
fn delta_fn(d: Delta) -> &'static str {
    match d {
        Delta::R => "delta_r",
        Delta::Phi => "delta_phi",
        Delta::Eta => "delta_eta",
    }
}

fn func(f: Func, args: &[Quantity]) -> String {
    // A literal needs its type spelled out to take a method (`2.0_f64.sqrt()`).
    let a = |k: usize| match args.get(k) {
        Some(Quantity::Num(x)) => format!("({}_f64)", lit(*x)),
        Some(q) => rust(q),
        None => String::new(),
    };
    match f {
        Func::Sqrt => format!("{}.sqrt()", a(0)),
        Func::Abs => format!("{}.abs()", a(0)),
        Func::Exp => format!("{}.exp()", a(0)),
        Func::Log => format!("{}.ln()", a(0)),
        Func::Log10 => format!("{}.log10()", a(0)),
        Func::Tanh => format!("{}.tanh()", a(0)),
        Func::Sin => format!("{}.sin()", a(0)),
        Func::Cos => format!("{}.cos()", a(0)),
        Func::Min => format!("{}.min({})", a(0), a(1)),
        Func::Max => format!("{}.max({})", a(0), a(1)),
    }
}

/// Filters as a predicate on `o`.
pub fn predicate(fs: &[Filter]) -> String {
    fs.iter()
        .map(|f| super::expr::test(&rust(&f.q), &f.cmp))
        .collect::<Vec<_>>()
        .join(" && ")
}
