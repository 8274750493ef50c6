//! Selection bullets: object definitions, counts, vetoes, pair relations, overlap removal and
//! value cuts on event quantities.

use super::cursor::Cursor;
use super::{quantity, Ctx};
use crate::ir::{Cmp, CountCmp, Cut, Filter, Kind, Quantity, Stmt, Target};
use crate::lex::Tok;

/// "remove jets within dR < 0.4 of electrons", "jets overlapping with leptons (dR < 0.4) are
/// removed": the first kind is removed, the second is the reference, the number after `dR`
/// is the radius.
pub fn overlap(toks: &[Tok]) -> Option<Vec<Stmt>> {
    let mut c = Cursor::new(toks);
    let mut kinds = Vec::new();
    let mut dr = None;
    while !c.done() {
        if let Some((k, _)) = quantity::kind(&mut c) {
            kinds.push(k);
            continue;
        }
        match c.next_word()? {
            "dr" => {
                c.eat_any(&["<", "=", "of"]);
                dr = Some(c.number()?);
            }
            "overlap" | "removal" | ":" | "remove" | "removed" | "discard" | "drop" | "clean"
            | "within" | "of" | "with" | "overlapping" | "close" | "closer" | "than" | "near"
            | "if" | "they" | "lie" | "from" | "that" | "which" | "to" | "against" | "<" => {}
            _ => return None,
        }
    }
    match (kinds.as_slice(), dr) {
        ([remove, near], Some(dr)) if *remove != Kind::Met && *near != Kind::Met => {
            Some(vec![Stmt::Overlap {
                remove: *remove,
                near: *near,
                dr,
            }])
        }
        _ => None,
    }
}

pub fn veto(c: &mut Cursor, ctx: &Ctx) -> Option<Vec<Stmt>> {
    c.eat_any(&["veto", "reject", "vetoing"])?;
    c.skip(&["events", "event", "with", "containing", "on", "if", "there"]);
    let (kind, _) = quantity::kind(c)?;
    // "veto electrons and muons": one veto per kind.
    let save = *c;
    if c.eat_any(&["and", "or", ","]).is_some() {
        if let Some((other, _)) = quantity::kind(c).filter(|_| c.done()) {
            let mut v = count_stmts(kind, Vec::new(), CountCmp::Exactly(0), ctx);
            v.extend(count_stmts(other, Vec::new(), CountCmp::Exactly(0), ctx));
            return Some(v);
        }
        *c = save;
    }
    c.skip(&["with", "having", "of"]);
    let filters = filters(c).unwrap_or_default();
    Some(count_stmts(kind, filters, CountCmp::Exactly(0), ctx))
}

fn count_word(c: &mut Cursor) -> Option<CountCmp> {
    let save = *c;
    let r = (|| {
        Some(match c.peek()? {
            "exactly" => {
                c.pos += 1;
                CountCmp::Exactly(int(c)?)
            }
            ">=" => {
                c.pos += 1;
                CountCmp::AtLeast(int(c)?)
            }
            "<=" => {
                c.pos += 1;
                CountCmp::AtMost(int(c)?)
            }
            "no" | "none" => {
                c.pos += 1;
                CountCmp::Exactly(0)
            }
            _ => {
                let n = int(c)?;
                match c.eat_any(&["ormore", "orfewer"]) {
                    Some("ormore") => CountCmp::AtLeast(n),
                    Some(_) => CountCmp::AtMost(n),
                    None => CountCmp::Exactly(n),
                }
            }
        })
    })();
    if r.is_none() {
        *c = save;
    }
    r
}

fn int(c: &mut Cursor) -> Option<usize> {
    let n = c.number()?;
    (n >= 0.0 && n.fract() == 0.0 && n < 100.0).then_some(n as usize)
}

pub fn count(c: &mut Cursor, ctx: &Ctx) -> Option<Vec<Stmt>> {
    let cmp = count_word(c)?;
    let rel = pair_word(c);
    let (kind, _) = quantity::kind(c)?;
    if kind == Kind::Met {
        return None;
    }
    if let Some(rel) = rel {
        let paired = c.eat("pair") || c.eat("pairs");
        return Some(match (cmp, paired) {
            (CountCmp::Exactly(2), false) => {
                let mut v = count_stmts(kind, Vec::new(), cmp, ctx);
                v.push(Stmt::Cut(Cut::Pair {
                    a: crate::ir::ObjRef { kind, index: 0 },
                    b: crate::ir::ObjRef { kind, index: 1 },
                    rel,
                }));
                v
            }
            (_, true) => vec![Stmt::Cut(Cut::Count {
                target: Target::Pairs { kind, rel },
                cmp,
            })],
            _ => return None,
        });
    }
    if c.eat("pair") || c.eat("pairs") {
        return None;
    }
    // "exactly two electrons with opposite charge"
    if let (CountCmp::Exactly(2), Some(rel)) = (cmp, {
        let s = *c;
        let r = c
            .eat_any(&["with", "of", "having", "in"])
            .and_then(|_| pair_word(c));
        if r.is_none() {
            *c = s;
        }
        r
    }) {
        c.skip(&["charge", "charges", "flavour", "sign"]);
        let mut v = count_stmts(kind, Vec::new(), cmp, ctx);
        v.push(Stmt::Cut(Cut::Pair {
            a: crate::ir::ObjRef { kind, index: 0 },
            b: crate::ir::ObjRef { kind, index: 1 },
            rel,
        }));
        return Some(v);
    }
    let f = if c
        .eat_any(&["with", "having", "satisfying", "passing", "of", ":"])
        .is_some()
    {
        filters(c)?
    } else {
        filters(c).unwrap_or_default()
    };
    Some(count_stmts(kind, f, cmp, ctx))
}

/// A count with predicates defines the collection the first time a kind is mentioned and
/// sub-selects it afterwards.
fn count_stmts(kind: Kind, filters: Vec<Filter>, cmp: CountCmp, ctx: &Ctx) -> Vec<Stmt> {
    let definable = !matches!(kind, Kind::BJet | Kind::LightJet | Kind::Met);
    if !filters.is_empty() && definable && !ctx.is_defined(kind) {
        vec![
            Stmt::Select { kind, filters },
            Stmt::Cut(Cut::Count {
                target: Target::Objects {
                    kind,
                    filters: Vec::new(),
                },
                cmp,
            }),
        ]
    } else {
        vec![Stmt::Cut(Cut::Count {
            target: Target::Objects { kind, filters },
            cmp,
        })]
    }
}

fn pair_word(c: &mut Cursor) -> Option<crate::ir::PairRel> {
    use crate::ir::PairRel;
    Some(match c.eat_any(&["os", "ss", "sf", "sfos"])? {
        "os" if c.eat("sf") => PairRel::Sfos,
        "sf" if c.eat("os") => PairRel::Sfos,
        "os" => PairRel::Os,
        "ss" => PairRel::Ss,
        "sf" => PairRel::Sf,
        _ => PairRel::Sfos,
    })
}

/// `OS(l1, l2)`, "the two leptons os", "leptons with os".
pub fn pair_rel(c: &mut Cursor, _ctx: &Ctx) -> Option<Vec<Stmt>> {
    let (a, b, rel) = if let Some(rel) = pair_word(c) {
        c.eat("(").then_some(())?;
        let a = quantity::objref(c)?;
        c.eat(",").then_some(())?;
        let b = quantity::objref(c)?;
        c.eat(")").then_some(())?;
        (a, b, rel)
    } else {
        let s = quantity::sys(c)?;
        let crate::ir::Sys::Sum(v) = s else {
            return None;
        };
        if v.len() != 2 {
            return None;
        }
        c.skip(&["with", "of", "in"]);
        let rel = pair_word(c)?;
        c.skip(&["charge", "charges", "flavour", "sign"]);
        (v[0], v[1], rel)
    };
    Some(vec![Stmt::Cut(Cut::Pair { a, b, rel })])
}

/// "electrons with pT > 25 GeV and |eta| < 2.5", "jets: pT > 30 GeV".
pub fn selection(c: &mut Cursor, _ctx: &Ctx) -> Option<Vec<Stmt>> {
    let (kind, plural) = quantity::kind(c)?;
    // "γ: pT > 25 GeV" names the kind with a singular symbol and a colon.
    if !(plural || c.peek() == Some(":")) || matches!(kind, Kind::Met) {
        return None;
    }
    c.skip(&[
        "with",
        "having",
        "satisfying",
        "passing",
        ":",
        "of",
        "required",
        "to",
    ]);
    let f = filters(c)?;
    Some(vec![Stmt::Select { kind, filters: f }])
}

/// Predicates joined by "and" or commas; a crack exclusion is "excluding 1.37 < |eta| < 1.52".
fn filters(c: &mut Cursor) -> Option<Vec<Filter>> {
    let mut out = vec![filter(c)?];
    loop {
        let s = *c;
        c.eat_any(&["and", ",", "within"]);
        match filter(c) {
            Some(f) => out.push(f),
            None => {
                *c = s;
                return Some(out);
            }
        }
    }
}

fn filter(c: &mut Cursor) -> Option<Filter> {
    let save = *c;
    let r = (|| {
        let negate = c.skip(&[
            "excluding",
            "except",
            "not",
            "outside",
            "veto",
            "crack",
            "region",
            "transition",
            "of",
        ]);
        if let Some(a) = c.value() {
            // a < prop < b
            c.eat("<").then_some(())?;
            let prop = quantity::filter_prop(c)?;
            c.eat("<").then_some(())?;
            let b = c.value()?;
            c.skip(&["crack", "region"]);
            let cmp = if negate {
                Cmp::Outside(a, b)
            } else {
                Cmp::Between(a, b)
            };
            return (a < b).then_some(Filter { prop, cmp });
        }
        if negate {
            return None;
        }
        let prop = quantity::filter_prop(c)?;
        c.unit = false;
        let cmp = c.cmp()?;
        (!c.unit || prop.has_gev()).then_some(Filter { prop, cmp })
    })();
    if r.is_none() {
        *c = save;
    }
    r
}

/// "MET > 30 GeV", "40 < MT(l1, MET) < 120", "|m(Z(ll)) - 91.1876| < 10", "not 1.37 < x < 1.52".
pub fn value_cut(c: &mut Cursor, _ctx: &Ctx) -> Option<Vec<Stmt>> {
    let cut = |q, cmp| Some(vec![Stmt::Cut(Cut::Value { q, cmp })]);
    let negate = c.eat("not");
    if let Some(a) = c.value() {
        c.eat("<").then_some(())?;
        let q = quantity::quantity(c)?;
        c.eat("<").then_some(())?;
        let b = c.value()?;
        (a < b).then_some(())?;
        return cut(
            q,
            if negate {
                Cmp::Outside(a, b)
            } else {
                Cmp::Between(a, b)
            },
        );
    }
    if negate {
        return None;
    }
    let save = *c;
    if c.eat("|") {
        if let Some(q) = within_form(c) {
            return Some(q);
        }
        *c = save;
    }
    let q = quantity::quantity(c)?;
    c.skip(&["value", "required", "range", "to"]);
    c.unit = false;
    let cmp = c.cmp()?;
    // A unit on a dimensionless quantity ("dR(j1, j2) < 0.4 GeV") is a misreading risk.
    (!c.unit || crate::canon::has_gev(&q)).then_some(())?;
    cut(q, cmp)
}

/// `|q - M| < X` after the opening bar.
fn within_form(c: &mut Cursor) -> Option<Vec<Stmt>> {
    let q = quantity_no_sub(c)?;
    c.eat("-").then_some(())?;
    let center = c.value_or_mass()?;
    c.eat("|").then_some(())?;
    c.eat("<").then_some(())?;
    let width = c.value()?;
    Some(vec![Stmt::Cut(Cut::Value {
        q,
        cmp: Cmp::Within { center, width },
    })])
}

fn quantity_no_sub(c: &mut Cursor) -> Option<Quantity> {
    // A subtraction of a constant is not a quantity, so read the longest quantity that stops
    // before "- number".
    let save = *c;
    let q = quantity::quantity(c)?;
    if c.peek() == Some("-") || c.peek() == Some("|") {
        return Some(q);
    }
    *c = save;
    None
}
