//! Canonical one-line text for statements and quantities. The grammar reads this text back to
//! the same statements, so the echo is also an editable spec.

use crate::ir::{
    Cmp, CountCmp, Cut, Delta, Filter, Kind, Note, ObjRef, Op, PairRel, Quantity, Stmt, Sys, Target,
};

/// `2.5`, `30`, `91.1876`: shortest text that reads back to the same number.
pub fn num(x: f64) -> String {
    format!("{x}")
}

/// `j1`, `l2`, `MET`.
pub fn obj(o: &ObjRef) -> String {
    if o.kind == Kind::Met {
        "MET".to_owned()
    } else {
        format!("{}{}", o.kind.symbol(), o.index + 1)
    }
}

/// `j1 + j2`, `Z(ll)`.
pub fn sys(s: &Sys) -> String {
    match s {
        Sys::Obj(o) => obj(o),
        Sys::Sum(v) => v.iter().map(obj).collect::<Vec<_>>().join(" + "),
        Sys::Z(k) => format!(
            "Z({})",
            match k {
                Kind::Electron => "ee",
                Kind::Muon => "mumu",
                _ => "ll",
            }
        ),
    }
}

/// `pT(j1)`, `MT(l1, MET)`, `dR(j1, j2)`, `HT / MET`.
pub fn quantity(q: &Quantity) -> String {
    match q {
        Quantity::Met => "MET".to_owned(),
        Quantity::Ht => "HT".to_owned(),
        Quantity::Count(k) => format!("N({})", k.plural()),
        Quantity::Prop(p, s) => format!("{}({})", p.name(), sys(s)),
        Quantity::Mt(s) => format!("MT({}, MET)", sys(s)),
        Quantity::Delta(d, a, b) => {
            let n = match d {
                Delta::R => "dR",
                Delta::Phi => "dPhi",
                Delta::Eta => "dEta",
            };
            format!("{n}({}, {})", sys(a), sys(b))
        }
        Quantity::Bin(op, a, b) => {
            let o = op.symbol();
            let side = |q: &Quantity| match q {
                Quantity::Bin(..) => format!("({})", quantity(q)),
                _ => quantity(q),
            };
            format!("{} {o} {}", side(a), side(b))
        }
        Quantity::Sqrt(a) => format!("sqrt({})", quantity(a)),
    }
}

/// Whether values of the quantity are in GeV, so thresholds print a unit.
pub fn has_gev(q: &Quantity) -> bool {
    match q {
        Quantity::Met | Quantity::Ht | Quantity::Mt(_) => true,
        Quantity::Prop(p, _) => p.has_gev(),
        Quantity::Bin(Op::Add | Op::Sub, a, _) => has_gev(a),
        _ => false,
    }
}

fn unit(gev: bool) -> &'static str {
    if gev {
        " GeV"
    } else {
        ""
    }
}

/// `x > 30 GeV`, `40 < x < 120 GeV`, `|x - 91.1876| < 10 GeV`, `not 1.37 < x < 1.52`.
pub fn cmp(x: &str, c: &Cmp, gev: bool) -> String {
    let u = unit(gev);
    match *c {
        Cmp::Gt(v) => format!("{x} > {}{u}", num(v)),
        Cmp::Ge(v) => format!("{x} >= {}{u}", num(v)),
        Cmp::Lt(v) => format!("{x} < {}{u}", num(v)),
        Cmp::Le(v) => format!("{x} <= {}{u}", num(v)),
        Cmp::Eq(v) => format!("{x} = {}{u}", num(v)),
        Cmp::Between(a, b) => format!("{} < {x} < {}{u}", num(a), num(b)),
        Cmp::Outside(a, b) => format!("not {} < {x} < {}{u}", num(a), num(b)),
        Cmp::Within { center, width } => format!("|{x} - {}| < {}{u}", num(center), num(width)),
    }
}

fn filters(fs: &[Filter]) -> String {
    fs.iter()
        .map(|f| cmp(f.prop.name(), &f.cmp, f.prop.has_gev()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn count(k: Kind, c: &CountCmp) -> String {
    let (w, n) = match *c {
        CountCmp::Exactly(0) => return format!("no {}", k.plural()),
        CountCmp::Exactly(n) => ("exactly ", n),
        CountCmp::AtLeast(n) => (">= ", n),
        CountCmp::AtMost(n) => ("<= ", n),
    };
    let name = if n == 1 { k.singular() } else { k.plural() };
    format!("{w}{n} {name}")
}

fn rel(r: PairRel) -> &'static str {
    match r {
        PairRel::Os => "OS",
        PairRel::Ss => "SS",
        PairRel::Sf => "SF",
        PairRel::Sfos => "SFOS",
    }
}

/// The cutflow label of a cut: its canonical text without the leading "require".
pub fn cut_label(c: &Cut) -> String {
    match c {
        Cut::Count {
            target: Target::Objects { kind, filters: f },
            cmp: n,
        } => {
            let base = count(*kind, n);
            if f.is_empty() {
                base
            } else {
                format!("{base} with {}", filters(f))
            }
        }
        Cut::Count {
            target: Target::Pairs { kind, rel: r },
            cmp: n,
        } => {
            let base = count(*kind, n);
            let (head, _) = base.rsplit_once(' ').unwrap_or((&base, ""));
            format!("{head} {} {} pairs", rel(*r), kind.singular())
        }
        Cut::Value { q, cmp: c } => cmp(&quantity(q), c, has_gev(q)),
        Cut::Pair { a, b, rel: r } => format!("{}({}, {})", rel(*r), obj(a), obj(b)),
    }
}

/// Canonical text of one statement.
pub fn stmt(s: &Stmt) -> String {
    match s {
        Stmt::Select { kind, filters: f } => format!("{}: {}", kind.plural(), filters(f)),
        Stmt::Overlap { remove, near, dr } => format!(
            "remove {} within dR < {} of {}",
            remove.plural(),
            num(*dr),
            near.plural()
        ),
        Stmt::Cut(c) => format!("require {}", cut_label(c)),
        Stmt::Plot(p) => {
            let mut t = format!("plot {}", quantity(&p.q));
            if let Some((a, b)) = p.range {
                t += &format!(" in {} to {}{}", num(a), num(b), unit(has_gev(&p.q)));
            }
            if let Some(n) = p.bins {
                t += &format!(", {n} bins");
            }
            if p.normalised {
                t += ", normalised";
            }
            t
        }
        Stmt::Feature(q) => format!("feature {}", quantity(q)),
        Stmt::AllBins(n) => format!("each histogram {n} bins"),
        Stmt::AllNormalised => "all histograms normalised".to_owned(),
        Stmt::Note(n) => match n {
            Note::LatexLabels => "axis labels in LaTeX",
            Note::PngPlots => "plots saved as PNG",
            Note::ShowCutflow => "show the cutflow",
            Note::PlotsFollow => "plot the following",
            Note::FeaturesFollow => "save the following features to CSV",
        }
        .to_owned(),
    }
}

/// Canonical text of a bullet: its statements joined by `; `.
pub fn stmts(v: &[Stmt]) -> String {
    v.iter().map(stmt).collect::<Vec<_>>().join("; ")
}
