//! Rust expressions for quantities, predicates and labels. Quantities are `Option<f64>`: an
//! object the event does not have (a second jet in a one-jet event) makes the value `None`,
//! which fails a cut and skips a fill instead of panicking.

use crate::canon;
use crate::ir::{Cmp, Delta, Kind, ObjRef, Op, Prop, Quantity, Sys};

/// Variable holding a selected collection.
pub fn coll(k: Kind) -> &'static str {
    match k {
        Kind::Electron => "electrons",
        Kind::Muon => "muons",
        Kind::Lepton => "leptons",
        Kind::Tau => "taus",
        Kind::Photon => "photons",
        Kind::Jet => "jets",
        Kind::BJet => "b_jets",
        Kind::LightJet => "light_jets",
        Kind::Met => "met",
    }
}

/// Variable holding the n-th object (`Option<&Object>`), or `met`.
pub fn obj_var(o: &ObjRef) -> String {
    if o.kind == Kind::Met {
        "met".to_owned()
    } else {
        format!("{}{}", o.kind.symbol(), o.index + 1)
    }
}

/// Variable holding a Z candidate pair.
pub fn z_var(k: Kind) -> String {
    format!("z_{}", coll(k))
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
        Cmp::Between(a, b) => format!("{} < {x} && {x} < {}", lit(a), lit(b)),
        Cmp::Outside(a, b) => format!("!({} < {x} && {x} < {})", lit(a), lit(b)),
        Cmp::Within { center, width } => format!("({x} - {}).abs() < {}", lit(center), lit(width)),
    }
}

/// Property of an `&Object` named `o`.
pub fn obj_prop(o: &str, p: Prop) -> String {
    match p {
        Prop::Pt => format!("{o}.pt()"),
        Prop::Eta => format!("{o}.eta()"),
        Prop::AbsEta => format!("{o}.abs_eta()"),
        Prop::Phi => format!("{o}.phi()"),
        Prop::Energy => format!("{o}.p4().e"),
        Prop::Mass => format!("{o}.mass()"),
        Prop::Charge => format!("f64::from({o}.charge())"),
        Prop::Ntrk => format!("{o}.ntrk"),
        Prop::Btag => format!("{o}.btag"),
    }
}

fn p4(s: &Sys) -> String {
    match s {
        Sys::Obj(o) if o.kind == Kind::Met => "P4::transverse(met.pt(), met.phi())".to_owned(),
        Sys::Obj(o) => format!("{}?.p4()", obj_var(o)),
        Sys::Sum(v) => {
            let terms: Vec<String> = v.iter().map(|o| p4(&Sys::Obj(*o))).collect();
            format!("({})", terms.join(" + "))
        }
        Sys::Z(k) => format!("{}?.p4()", z_var(*k)),
    }
}

/// Something implementing `Kinematics` by reference: the object itself when single (so
/// stored η and φ are used exactly), else the summed four-vector.
fn arg(s: &Sys) -> String {
    match s {
        Sys::Obj(o) if o.kind == Kind::Met => "met".to_owned(),
        Sys::Obj(o) => format!("{}?", obj_var(o)),
        _ => format!("&{}", p4(s)),
    }
}

/// The `f64` expression of a quantity, using `?` on missing objects.
pub fn value(q: &Quantity) -> String {
    match q {
        Quantity::Met => "met.pt()".to_owned(),
        Quantity::Ht => "jets.ht()".to_owned(),
        Quantity::Count(k) => format!("{}.len() as f64", coll(*k)),
        Quantity::Prop(Prop::Charge, Sys::Sum(v)) => {
            let t: Vec<String> = v
                .iter()
                .map(|o| obj_prop(&format!("{}?", obj_var(o)), Prop::Charge))
                .collect();
            format!("({})", t.join(" + "))
        }
        Quantity::Prop(p, Sys::Obj(o)) => {
            let v = if o.kind == Kind::Met {
                "met".to_owned()
            } else {
                format!("{}?", obj_var(o))
            };
            obj_prop(&v, *p)
        }
        Quantity::Prop(p, s) => {
            let v = p4(s);
            match p {
                Prop::Energy => format!("{v}.e"),
                _ => obj_prop(&v, *p),
            }
        }
        Quantity::Mt(s) => format!("mt({}, met)", arg(s)),
        Quantity::Delta(d, a, b) => {
            let f = match d {
                Delta::R => "delta_r",
                Delta::Phi => "delta_phi",
                Delta::Eta => "delta_eta",
            };
            format!("{f}({}, {})", arg(a), arg(b))
        }
        Quantity::Bin(op, a, b) => {
            let o = op.symbol();
            format!("({} {o} {})", value(a), value(b))
        }
        Quantity::Sqrt(a) => format!("{}.sqrt()", value(a)),
    }
}

/// Whether the expression needs `?` (and so a closure).
pub fn fallible(q: &Quantity) -> bool {
    value(q).contains('?')
}

/// Identifier-friendly name: `MT(l1, MET)` → `mt_l1_met`.
pub fn slug(q: &Quantity) -> String {
    match q {
        Quantity::Bin(op, a, b) => {
            let o = match op {
                Op::Add => "plus",
                Op::Sub => "minus",
                Op::Mul => "times",
                Op::Div => "over",
            };
            format!("{}_{o}_{}", slug(a), slug(b))
        }
        Quantity::Sqrt(a) => format!("sqrt_{}", slug(a)),
        _ => {
            let t = canon::quantity(q).replace("|eta|", "abseta");
            let mut s = String::new();
            for ch in t.chars() {
                if ch.is_ascii_alphanumeric() {
                    s.push(ch.to_ascii_lowercase());
                } else if !s.ends_with('_') {
                    s.push('_');
                }
            }
            s.trim_matches('_').to_owned()
        }
    }
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
        Sys::Sum(v) => v.iter().map(tex_obj).collect::<Vec<_>>().join(" + "),
        Sys::Z(_) => r"Z \to \ell\ell".to_owned(),
    }
}

fn tex_inner(q: &Quantity) -> String {
    match q {
        Quantity::Met => "E_{T}^{miss}".to_owned(),
        Quantity::Ht => "H_{T}".to_owned(),
        Quantity::Count(k) => format!("N_{{{}}}", k.plural()),
        Quantity::Prop(p, s) => {
            let f = match p {
                Prop::Pt => "p_{T}",
                Prop::Eta => r"\eta",
                Prop::AbsEta => r"|\eta|",
                Prop::Phi => r"\phi",
                Prop::Energy => "E",
                Prop::Mass => "m",
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
            };
            format!("{} {o} {}", tex_inner(a), tex_inner(b))
        }
        Quantity::Sqrt(a) => format!(r"\sqrt{{{}}}", tex_inner(a)),
    }
}

/// LaTeX-like axis label with unit.
pub fn tex(q: &Quantity) -> String {
    let u = if canon::has_gev(q) { " [GeV]" } else { "" };
    format!("{}{u}", tex_inner(q))
}

/// Physics default range when the text gives none.
pub fn default_range(q: &Quantity) -> (f64, f64) {
    let pi = std::f64::consts::PI;
    let jetlike = |s: &Sys| match s {
        Sys::Obj(o) => matches!(o.kind, Kind::Jet | Kind::BJet | Kind::LightJet),
        Sys::Sum(v) => v
            .iter()
            .all(|o| matches!(o.kind, Kind::Jet | Kind::BJet | Kind::LightJet)),
        Sys::Z(_) => false,
    };
    match q {
        Quantity::Met => (0.0, 300.0),
        Quantity::Ht => (0.0, 1500.0),
        Quantity::Count(_) => (-0.5, 10.5),
        Quantity::Prop(p, s) => match p {
            Prop::Pt => (0.0, 400.0),
            Prop::Eta if jetlike(s) => (-5.0, 5.0),
            Prop::Eta => (-2.5, 2.5),
            Prop::AbsEta if jetlike(s) => (0.0, 5.0),
            Prop::AbsEta => (0.0, 2.5),
            Prop::Phi => (-pi, pi),
            Prop::Energy => (0.0, 1000.0),
            Prop::Mass => match s {
                Sys::Z(_) => (60.0, 120.0),
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
        Quantity::Bin(..) => (0.0, 5.0),
        Quantity::Sqrt(_) => (0.0, 50.0),
    }
}
