//! Object references, systems and quantities: "the two leading jets", "lepton + MET",
//! "leptonic W", "invariant mass of the two leading jets", `dR(j1, j2)`, "HT / MET".

use super::cursor::Cursor;
use crate::ir::{Delta, Kind, ObjRef, Op, Prop, Quantity, Sys};

/// Adjectives that do not change which objects are meant.
const ADJ: &[&str] = &[
    "selected",
    "isolated",
    "signal",
    "good",
    "reconstructed",
    "charged",
];

/// A kind word; returns the kind and whether it was plural.
pub fn kind(c: &mut Cursor) -> Option<(Kind, bool)> {
    let save = *c;
    c.skip(ADJ);
    let r = kind_inner(c);
    if r.is_none() {
        *c = save;
    }
    r
}

fn kind_inner(c: &mut Cursor) -> Option<(Kind, bool)> {
    let w = c.next_word()?;
    let (k, plural) = match w {
        "b" => {
            let j = c.eat_any(&["jet", "jets"])?;
            (Kind::BJet, j == "jets")
        }
        "light" | "untagged" => {
            let j = c.eat_any(&["jet", "jets"])?;
            (Kind::LightJet, j == "jets")
        }
        "hadronic" => {
            let t = c.eat_any(&["tau", "taus"])?;
            (Kind::Tau, t == "taus")
        }
        "jet" | "j" => (Kind::Jet, false),
        "jets" => (Kind::Jet, true),
        "lepton" | "l" => (Kind::Lepton, false),
        "leptons" => (Kind::Lepton, true),
        "electron" | "e" => (Kind::Electron, false),
        "electrons" => (Kind::Electron, true),
        "muon" => (Kind::Muon, false),
        "muons" => (Kind::Muon, true),
        "tau" => (Kind::Tau, false),
        "taus" => (Kind::Tau, true),
        "photon" => (Kind::Photon, false),
        "photons" => (Kind::Photon, true),
        "met" => (Kind::Met, false),
        _ => return None,
    };
    Some((k, plural))
}

fn ordinal(w: &str) -> Option<usize> {
    Some(match w {
        "leading" | "first" | "1st" | "hardest" => 0,
        "subleading" | "second" | "2nd" => 1,
        "third" | "3rd" => 2,
        "fourth" | "4th" => 3,
        "fifth" => 4,
        "sixth" => 5,
        _ => {
            let n: usize = w
                .strip_suffix("th")
                .or_else(|| w.strip_suffix("st"))
                .or_else(|| w.strip_suffix("nd"))
                .or_else(|| w.strip_suffix("rd"))?
                .parse()
                .ok()?;
            n.checked_sub(1)?
        }
    })
}

/// `j1`, `l2`, `mu1`, `ph1`, `b1`, `lj1`, `tau1`, `e1`; LaTeX subscripts (`\mu_1`, `j_2`) and
/// `γ1` read the same.
fn symbol(w: &str) -> Option<ObjRef> {
    let split = w.find(|c: char| c.is_ascii_digit())?;
    let (stem, n) = w.split_at(split);
    let kind = match stem.strip_suffix('_').unwrap_or(stem) {
        "gamma" | "photon" => Kind::Photon,
        "j" => Kind::Jet,
        "l" => Kind::Lepton,
        "e" => Kind::Electron,
        "mu" => Kind::Muon,
        "tau" => Kind::Tau,
        "ph" => Kind::Photon,
        "b" => Kind::BJet,
        "lj" => Kind::LightJet,
        _ => return None,
    };
    let n: usize = n.parse().ok()?;
    Some(ObjRef {
        kind,
        index: n.checked_sub(1)?,
    })
}

fn met() -> ObjRef {
    ObjRef {
        kind: Kind::Met,
        index: 0,
    }
}

fn first_n(kind: Kind, n: usize) -> Sys {
    Sys::Sum((0..n).map(|index| ObjRef { kind, index }).collect())
}

/// A single object: `j1`, "the leading jet", "the lepton", "MET", "the 3rd jet".
pub fn objref(c: &mut Cursor) -> Option<ObjRef> {
    let save = *c;
    let r = (|| {
        let w = c.peek()?;
        if let Some(r) = symbol(w) {
            c.pos += 1;
            return Some(r);
        }
        let index = match ordinal(w) {
            Some(i) => {
                c.pos += 1;
                i
            }
            None => 0,
        };
        let (k, plural) = kind(c)?;
        if plural && index == 0 && !matches!(k, Kind::Met) {
            // "the jets" is not one object.
            return None;
        }
        Some(if k == Kind::Met {
            met()
        } else {
            ObjRef { kind: k, index }
        })
    })();
    if r.is_none() {
        *c = save;
    }
    r
}

/// A system: named candidates, "dijet", "the two leading jets", or objects joined by `+`.
pub fn sys(c: &mut Cursor) -> Option<Sys> {
    let save = *c;
    let r = sys_inner(c);
    if r.is_none() {
        *c = save;
    }
    r
}

fn sys_inner(c: &mut Cursor) -> Option<Sys> {
    let first = sys_atom(c)?;
    let mut parts = match first {
        Sys::Obj(o) => vec![o],
        Sys::Sum(v) => v,
        z @ Sys::Z(_) => return Some(z),
    };
    while c.peek() == Some("+") || c.peek() == Some("plus") {
        let save = *c;
        c.pos += 1;
        match sys_atom(c) {
            Some(Sys::Obj(o)) => parts.push(o),
            Some(Sys::Sum(v)) => parts.extend(v),
            _ => {
                *c = save;
                break;
            }
        }
    }
    Some(if parts.len() == 1 {
        Sys::Obj(parts[0])
    } else {
        Sys::Sum(parts)
    })
}

fn sys_atom(c: &mut Cursor) -> Option<Sys> {
    let save = *c;
    let w = c.next_word()?;
    let named = match w {
        "z" => {
            if c.peek() == Some("(") && c.peek_glued() {
                c.pos += 1;
                let k = match c.next_word()? {
                    "ll" => Kind::Lepton,
                    "ee" => Kind::Electron,
                    "mumu" | "muonmuon" => Kind::Muon,
                    _ => return None,
                };
                c.eat(")").then_some(Sys::Z(k))
            } else {
                c.eat("boson");
                closest_to_mz(c).then_some(Sys::Z(Kind::Lepton))
            }
        }
        // "the SFOS lepton pair closest to the Z mass"
        "sfos" => {
            let (k, _) = kind(c)?;
            c.eat("pair").then_some(())?;
            (c.peek() == Some("closest") && closest_to_mz(c)).then_some(Sys::Z(k))
        }
        "leptonic" => c.eat("w").then(lep_w),
        "hadronic" if c.peek() == Some("w") => {
            c.pos += 1;
            Some(first_n(Kind::Jet, 2))
        }
        "w" => match c.next_word() {
            Some("leptonic") => Some(lep_w()),
            Some("hadronic") => Some(first_n(Kind::Jet, 2)),
            _ => None,
        },
        "w_lep" => Some(lep_w()),
        "w_had" => Some(first_n(Kind::Jet, 2)),
        "dijet" => Some(first_n(Kind::Jet, 2)),
        "dilepton" => Some(first_n(Kind::Lepton, 2)),
        "diphoton" => Some(first_n(Kind::Photon, 2)),
        "dimuon" => Some(first_n(Kind::Muon, 2)),
        "dielectron" => Some(first_n(Kind::Electron, 2)),
        "ditau" => Some(first_n(Kind::Tau, 2)),
        "two" | "three" | "four" => {
            let n = match w {
                "two" => 2,
                "three" => 3,
                _ => 4,
            };
            c.eat("leading");
            let (k, plural) = kind(c)?;
            plural.then(|| first_n(k, n))
        }
        "leading" if matches!(c.peek(), Some("two" | "and")) => {
            if c.eat("two") {
                let (k, plural) = kind(c)?;
                plural.then(|| first_n(k, 2))
            } else {
                c.eat("and");
                c.eat("subleading").then_some(())?;
                let (k, _) = kind(c)?;
                Some(first_n(k, 2))
            }
        }
        _ => None,
    };
    if named.is_some() {
        return named;
    }
    *c = save;
    if c.peek() == Some("(") {
        c.pos += 1;
        let s = sys(c)?;
        return c.eat(")").then_some(s);
    }
    objref(c).map(Sys::Obj)
}

/// An optional "closest to the Z mass" after a Z candidate; false if it names another mass,
/// since only the Z candidate is built that way.
fn closest_to_mz(c: &mut Cursor) -> bool {
    if !c.eat("closest") {
        return true;
    }
    c.eat("to");
    c.value_or_mass() == Some(super::MZ)
}

fn lep_w() -> Sys {
    Sys::Sum(vec![
        ObjRef {
            kind: Kind::Lepton,
            index: 0,
        },
        met(),
    ])
}

/// Two systems for ΔR/Δφ/Δη: `(a, b)`, "between a and b", "the two leading jets",
/// "leptonic and hadronic W".
fn pair(c: &mut Cursor) -> Option<(Sys, Sys)> {
    if c.peek() == Some("(") && c.peek_glued() {
        c.pos += 1;
        let a = sys(c)?;
        c.eat(",").then_some(())?;
        let b = sys(c)?;
        return c.eat(")").then_some((a, b));
    }
    c.eat_any(&["between", "of", "for"]);
    if c.peek() == Some("leptonic") && c.peek_at(1) == Some("and") {
        c.pos += 2;
        c.eat("hadronic").then_some(())?;
        c.eat("w").then_some(())?;
        return Some((lep_w(), first_n(Kind::Jet, 2)));
    }
    let a = sys(c)?;
    if c.eat_any(&["and", ",", "with", "to"]).is_some() {
        let b = sys(c)?;
        return Some((a, b));
    }
    match a {
        Sys::Sum(v) if v.len() == 2 => Some((Sys::Obj(v[0]), Sys::Obj(v[1]))),
        _ => None,
    }
}

fn prop_word(c: &mut Cursor) -> Option<Prop> {
    let save = *c;
    let p = match c.next_word()? {
        "pt" => Prop::Pt,
        // "pseudorapidity |eta| < 2.4": the word and the symbol name one property.
        "eta"
            if c.peek() == Some("|")
                && c.peek_at(1) == Some("eta")
                && c.peek_at(2) == Some("|") =>
        {
            c.pos += 3;
            Prop::AbsEta
        }
        "eta" => Prop::Eta,
        "phi" => Prop::Phi,
        "e" | "energy" => Prop::Energy,
        "m" | "mass" => Prop::Mass,
        "charge" | "q" => Prop::Charge,
        "ntrk" | "ntracks" => Prop::Ntrk,
        "btag" => Prop::Btag,
        "abs" | "absolute" if c.eat("eta") => Prop::AbsEta,
        "|" if c.eat("eta") && c.eat("|") => Prop::AbsEta,
        _ => {
            *c = save;
            return None;
        }
    };
    Some(p)
}

/// A per-object property word, for filters ("pT", "|eta|", "charge").
pub fn filter_prop(c: &mut Cursor) -> Option<Prop> {
    prop_word(c)
}

/// A quantity with `+ - * /` ("HT + MET", "pT(j1) / m(j1 + j2)"), left to right.
pub fn quantity(c: &mut Cursor) -> Option<Quantity> {
    let save = *c;
    let r = (|| {
        let mut q = term(c)?;
        loop {
            let s = *c;
            let op = match c.next_word() {
                Some("+" | "plus") => Op::Add,
                Some("-" | "minus") => Op::Sub,
                _ => {
                    *c = s;
                    break;
                }
            };
            match term(c) {
                Some(t) => q = Quantity::Bin(op, Box::new(q), Box::new(t)),
                None => {
                    *c = s;
                    break;
                }
            }
        }
        Some(q)
    })();
    if r.is_none() {
        *c = save;
    }
    r
}

fn term(c: &mut Cursor) -> Option<Quantity> {
    let mut q = atom(c)?;
    loop {
        let s = *c;
        let op = match c.next_word() {
            Some("*" | "times") => Op::Mul,
            Some("/" | "over") => Op::Div,
            Some("divided") if c.eat("by") => Op::Div,
            _ => {
                *c = s;
                break;
            }
        };
        match atom(c) {
            Some(t) => q = Quantity::Bin(op, Box::new(q), Box::new(t)),
            None => {
                *c = s;
                break;
            }
        }
    }
    Some(q)
}

fn atom(c: &mut Cursor) -> Option<Quantity> {
    let save = *c;
    if let Some(q) = atom_inner(c) {
        return Some(q);
    }
    *c = save;
    // "leading jet pT", "dijet mass", "lepton eta": system first, then the property.
    let s = sys(c)?;
    match prop_word(c) {
        Some(p) => Some(Quantity::Prop(p, s)),
        None => {
            *c = save;
            None
        }
    }
}

fn atom_inner(c: &mut Cursor) -> Option<Quantity> {
    let w = c.next_word()?;
    match w {
        "(" => {
            let q = quantity(c)?;
            c.eat(")").then_some(q)
        }
        "met" if c.peek() != Some("phi") => Some(Quantity::Met),
        "ht" => Some(Quantity::Ht),
        "sqrt" => Some(Quantity::Sqrt(Box::new(atom(c)?))),
        "n" | "number" | "multiplicity" => {
            let paren = c.eat("(");
            if !paren {
                c.eat("of");
            }
            let (k, _) = kind(c)?;
            if paren {
                c.eat(")").then_some(())?;
            }
            Some(Quantity::Count(k))
        }
        "mt" => {
            let s = if c.peek() == Some("(") && c.peek_glued() {
                c.pos += 1;
                let a = sys(c)?;
                c.eat(",").then_some(())?;
                c.eat("met").then_some(())?;
                c.eat(")").then_some(a)?
            } else {
                c.eat_any(&["of", "between"]);
                let s = sys(c)?;
                match s {
                    Sys::Sum(mut v) if v.last().is_some_and(|o| o.kind == Kind::Met) => {
                        v.pop();
                        if v.len() == 1 {
                            Sys::Obj(v[0])
                        } else {
                            Sys::Sum(v)
                        }
                    }
                    Sys::Obj(o) if o.kind != Kind::Met => {
                        c.eat_any(&["and", ","])?;
                        c.eat("met").then_some(Sys::Obj(o))?
                    }
                    _ => return None,
                }
            };
            Some(Quantity::Mt(s))
        }
        "dr" | "dphi" | "deta" => {
            let d = match w {
                "dr" => Delta::R,
                "dphi" => Delta::Phi,
                _ => Delta::Eta,
            };
            let (a, b) = pair(c)?;
            Some(Quantity::Delta(d, a, b))
        }
        "delta" => {
            let d = match c.next_word()? {
                "r" => Delta::R,
                "phi" => Delta::Phi,
                "eta" => Delta::Eta,
                _ => return None,
            };
            let (a, b) = pair(c)?;
            Some(Quantity::Delta(d, a, b))
        }
        "|" => {
            // |deta(j1, j2)| or |eta|(j1).
            if c.peek() == Some("eta") && c.peek_at(1) == Some("|") {
                c.pos += 2;
                let s = of_sys(c)?;
                return Some(Quantity::Prop(Prop::AbsEta, s));
            }
            let q = quantity(c)?;
            c.eat("|").then_some(())?;
            match q {
                Quantity::Prop(Prop::Eta, s) => Some(Quantity::Prop(Prop::AbsEta, s)),
                d @ Quantity::Delta(Delta::Eta | Delta::Phi | Delta::R, _, _) => Some(d),
                _ => None,
            }
        }
        _ => {
            c.pos -= 1;
            let p = prop_word(c)?;
            let s = of_sys(c)?;
            Some(Quantity::Prop(p, s))
        }
    }
}

/// `(sys)` glued to a function word, or "of sys".
fn of_sys(c: &mut Cursor) -> Option<Sys> {
    if c.peek() == Some("(") && c.peek_glued() {
        c.pos += 1;
        let s = sys(c)?;
        return c.eat(")").then_some(s);
    }
    c.eat("of");
    sys(c)
}
