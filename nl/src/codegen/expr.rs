//! Names, literals, tests and labels of the generated code.

use crate::canon;
use crate::ir::{Cand, Cmp, Delta, Kind, ObjRef, Op, Prop, Quantity, Reduce, Sys};

/// Variable holding a selected collection: the plural name, as an identifier.
pub fn coll(k: Kind) -> &'static str {
    match k {
        Kind::BJet => "b_jets",
        Kind::LightJet => "light_jets",
        Kind::Met => "met",
        _ => k.plural(),
    }
}

/// Variable holding the n-th object, or `met`.
pub fn obj_var(o: &ObjRef) -> String {
    if o.kind == Kind::Met {
        "met".to_owned()
    } else {
        format!("{}{}", o.kind.symbol(), o.index + 1)
    }
}

/// Variable holding a candidate pair: `z_ll`, `z_mumu`, `pair_jets_80`.
pub fn cand_var(c: &Cand) -> String {
    let z = canon::cand(c);
    match z.as_str() {
        "Z(ll)" => "z_ll".to_owned(),
        "Z(ee)" => "z_ee".to_owned(),
        "Z(mumu)" => "z_mumu".to_owned(),
        _ => format!("pair_{}_{}", coll(c.kind), c.mass.round() as i64),
    }
}

/// Variable holding the `i`-th object of a candidate's kind outside the pair.
pub fn rest_var(c: &Cand, i: usize) -> String {
    format!("{}{}_not_{}", c.kind.symbol(), i + 1, cand_var(c))
}

/// `f64` literal that reads back to the same value.
pub fn lit(x: f64) -> String {
    format!("{x:?}")
}

/// Boolean test of `x` (an `f64` expression).
pub fn test(x: &str, c: &Cmp) -> String {
    match *c {
        Cmp::Gt(v) => format!("{x} > {}", lit(v)),
        Cmp::Ge(v) => format!("{x} >= {}", lit(v)),
        Cmp::Lt(v) => format!("{x} < {}", lit(v)),
        Cmp::Le(v) => format!("{x} <= {}", lit(v)),
        Cmp::Eq(v) => format!("{x} == {}", lit(v)),
        Cmp::Ne(v) => format!("{x} != {}", lit(v)),
        Cmp::Between(a, b) => format!("{} < {x} && {x} < {}", lit(a), lit(b)),
        Cmp::Outside(a, b) => format!("!({} < {x} && {x} < {})", lit(a), lit(b)),
        Cmp::Within { center, width } => format!("({x} - {}).abs() < {}", lit(center), lit(width)),
        Cmp::Away { center, width } => format!("({x} - {}).abs() > {}", lit(center), lit(width)),
    }
}

/// Identifier-friendly name: `MT(l1, MET)` → `mt_l1_met`.
pub fn slug(q: &Quantity) -> String {
    let t = canon::quantity(q)
        .replace("|eta|", "abseta")
        .replace('+', " plus ")
        .replace('/', " over ")
        .replace('*', " times ")
        .replace('^', " pow ");
    let mut s = String::new();
    for ch in t.chars() {
        if ch.is_ascii_alphanumeric() {
            s.push(ch.to_ascii_lowercase());
        } else if !s.ends_with('_') {
            s.push('_');
        }
    }
    let mut s = s.trim_matches('_').to_owned();
    if s.len() > 40 {
        s.truncate(40);
        s = s.trim_end_matches('_').to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) || s.is_empty() {
        s.insert_str(0, "q_");
    }
    s
}

fn tex_obj(o: &ObjRef) -> String {
    let n = o.index + 1;
    match o.kind {
        Kind::Electron => format!("e_{{{n}}}"),
        Kind::Muon => format!(r"\mu_{{{n}}}"),
        Kind::Lepton => format!(r"\ell_{{{n}}}"),
        Kind::Tau => format!(r"\tau_{{{n}}}"),
        Kind::Photon => format!(r"\gamma_{{{n}}}"),
        Kind::Jet => format!("j_{{{n}}}"),
        Kind::BJet => format!("b_{{{n}}}"),
        Kind::LightJet => format!("j^{{light}}_{{{n}}}"),
        Kind::Met => "E_{T}^{miss}".to_owned(),
    }
}

fn tex_sys(s: &Sys) -> String {
    match s {
        Sys::Obj(o) => tex_obj(o),
        Sys::Sum(v) => v.iter().map(tex_sys).collect::<Vec<_>>().join(" + "),
        Sys::Cand(_) => r"Z \to \ell\ell".to_owned(),
        Sys::Leg(_, i) => format!(r"\ell_{{{}}}^{{Z}}", i + 1),
        Sys::Rest(_, i) => format!(r"\ell_{{{}}}^{{W}}", i + 1),
        Sys::All(k) => format!(r"\sum {}", k.plural()),
        Sys::Each(k) => k.singular().to_owned(),
    }
}

fn tex_inner(q: &Quantity) -> String {
    match q {
        Quantity::Num(x) => canon::num(*x),
        Quantity::Met => "E_{T}^{miss}".to_owned(),
        Quantity::Ht => "H_{T}".to_owned(),
        Quantity::Count(k, _) => format!("N_{{{}}}", k.plural()),
        Quantity::Prop(p, s) => {
            let f = match p {
                Prop::Pt => "p_{T}",
                Prop::Eta => r"\eta",
                Prop::AbsEta => r"|\eta|",
                Prop::Phi => r"\phi",
                Prop::Energy => "E",
                Prop::Mass => "m",
                Prop::Px => "p_{x}",
                Prop::Py => "p_{y}",
                Prop::Pz => "p_{z}",
                Prop::Charge => "q",
                Prop::Ntrk => "n_{trk}",
                Prop::Btag => "b_{tag}",
            };
            format!("{f}({})", tex_sys(s))
        }
        Quantity::Mt(s) => format!("M_{{T}}({}, E_{{T}}^{{miss}})", tex_sys(s)),
        Quantity::Delta(d, a, b) => {
            let f = match d {
                Delta::R => r"\Delta R",
                Delta::Phi => r"\Delta\phi",
                Delta::Eta => r"|\Delta\eta|",
            };
            format!("{f}({}, {})", tex_sys(a), tex_sys(b))
        }
        Quantity::Bin(op, a, b) => {
            let o = match op {
                Op::Add => "+",
                Op::Sub => "-",
                Op::Mul => r"\times",
                Op::Div => "/",
                Op::Pow => "^",
            };
            format!("{} {o} {}", tex_inner(a), tex_inner(b))
        }
        Quantity::Func(f, args) => {
            let a: Vec<String> = args.iter().map(tex_inner).collect();
            match f {
                crate::ir::Func::Sqrt => format!(r"\sqrt{{{}}}", a.join(", ")),
                f => format!(r"\{}({})", f.name(), a.join(", ")),
            }
        }
        Quantity::Reduce {
            reduce, kind, of, ..
        } => {
            let r = match reduce {
                Reduce::Min => r"\min",
                Reduce::Max => r"\max",
                Reduce::Sum => r"\sum",
            };
            format!("{r}_{{{}}} {}", kind.plural(), tex_inner(of))
        }
    }
}

/// LaTeX-like axis label with unit.
pub fn tex(q: &Quantity) -> String {
    let u = if q.has_gev() { " [GeV]" } else { "" };
    format!("{}{u}", tex_inner(q))
}

/// Physics default range when the text gives none.
pub fn default_range(q: &Quantity) -> (f64, f64) {
    let pi = std::f64::consts::PI;
    let jetlike = |s: &Sys| {
        match s {
        Sys::Obj(o) => matches!(o.kind, Kind::Jet | Kind::BJet | Kind::LightJet),
        Sys::Sum(v) => v
            .iter()
            .all(|o| matches!(o, Sys::Obj(o) if matches!(o.kind, Kind::Jet | Kind::BJet | Kind::LightJet))),
        _ => false,
    }
    };
    match q {
        Quantity::Met => (0.0, 300.0),
        Quantity::Ht => (0.0, 1500.0),
        Quantity::Count(..) => (-0.5, 10.5),
        Quantity::Prop(p, s) => match p {
            Prop::Pt | Prop::Px | Prop::Py => (0.0, 400.0),
            Prop::Pz => (-1000.0, 1000.0),
            Prop::Eta if jetlike(s) => (-5.0, 5.0),
            Prop::Eta => (-2.5, 2.5),
            Prop::AbsEta if jetlike(s) => (0.0, 5.0),
            Prop::AbsEta => (0.0, 2.5),
            Prop::Phi => (-pi, pi),
            Prop::Energy => (0.0, 1000.0),
            Prop::Mass => match s {
                Sys::Cand(_) => (60.0, 120.0),
                Sys::Obj(_) => (0.0, 100.0),
                _ if jetlike(s) => (0.0, 1000.0),
                _ => (0.0, 300.0),
            },
            Prop::Charge => (-2.5, 2.5),
            Prop::Ntrk => (0.0, 30.0),
            Prop::Btag => (-0.5, 4.5),
        },
        Quantity::Mt(_) => (0.0, 250.0),
        Quantity::Delta(Delta::R, ..) => (0.0, 6.0),
        Quantity::Delta(Delta::Phi, ..) => (0.0, pi),
        Quantity::Delta(Delta::Eta, ..) => (0.0, 8.0),
        Quantity::Reduce { of, .. } => default_range(of),
        Quantity::Num(_) | Quantity::Bin(..) | Quantity::Func(..) => (0.0, 5.0),
    }
}
