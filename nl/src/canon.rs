//! Canonical one-line text for statements and quantities. The reader reads this text back to
//! the same statements in the same context, so the echo is also an editable spec.

use crate::ir::{
    Cand, Cmp, CountCmp, Cut, Filter, Kind, Note, ObjRef, Op, PairRel, Quantity, Stmt, Sys, Target,
};
use crate::read::MZ;

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

/// `Z(ll)`, or the pair in words.
pub fn cand(c: &Cand) -> String {
    if c.rel == Some(PairRel::Sfos) && c.mass == MZ {
        return match c.kind {
            Kind::Electron => "Z(ee)".to_owned(),
            Kind::Muon => "Z(mumu)".to_owned(),
            Kind::Lepton => "Z(ll)".to_owned(),
            k => format!(
                "(SFOS {} pair closest to {} GeV)",
                k.singular(),
                num(c.mass)
            ),
        };
    }
    let rel = c.rel.map(|r| format!("{} ", rel(r))).unwrap_or_default();
    format!(
        "({rel}{} pair closest to {} GeV)",
        c.kind.singular(),
        num(c.mass)
    )
}

/// `j1 + j2`, `Z(ll)`, `l1 not in Z(ll)`, `all jets`, `jet` (each jet).
pub fn sys(s: &Sys) -> String {
    match s {
        Sys::Obj(o) => obj(o),
        Sys::Sum(v) => v.iter().map(sys).collect::<Vec<_>>().join(" + "),
        Sys::Cand(c) => cand(c),
        Sys::Leg(c, i) => format!("{}{} of {}", c.kind.symbol(), i + 1, cand(c)),
        Sys::Rest(c, i) => format!("{}{} not in {}", c.kind.symbol(), i + 1, cand(c)),
        Sys::All(k) => format!("all {}", k.plural()),
        Sys::Each(k) => k.singular().to_owned(),
    }
}

/// `pT(j1)`, `MT(l1, MET)`, `dR(j1, j2)`, `HT / MET`, `min dPhi(jet, MET) over jets`.
pub fn quantity(q: &Quantity) -> String {
    match q {
        Quantity::Num(x) => num(*x),
        Quantity::Met => "MET".to_owned(),
        Quantity::Ht => "HT".to_owned(),
        Quantity::Count(k, f) if f.is_empty() => format!("N({})", k.plural()),
        Quantity::Count(k, f) => format!("(the number of {} with {})", k.plural(), filters(f)),
        Quantity::Prop(p, s) => format!("{}({})", p.name(), sys(s)),
        Quantity::Mt(s) => format!("MT({}, MET)", sys(s)),
        Quantity::Delta(d, a, b) => format!("{}({}, {})", d.name(), sys(a), sys(b)),
        Quantity::Bin(Op::Sub, a, b) if **a == Quantity::Num(0.0) => format!("-{}", side(b, 3)),
        Quantity::Bin(op, a, b) => {
            let p = op.precedence();
            // Left-associative: the right operand needs parentheses at equal precedence.
            format!("{} {} {}", side(a, p), op.symbol(), side(b, p + 1))
        }
        Quantity::Func(f, args) => {
            let a: Vec<String> = args.iter().map(quantity).collect();
            format!("{}({})", f.name(), a.join(", "))
        }
        Quantity::Reduce {
            reduce,
            kind,
            first,
            of,
        } => format!(
            "({} {} over {})",
            reduce.name(),
            quantity(of),
            leading(*kind, *first)
        ),
    }
}

/// The objects a reduction runs over: "jets", "the 3 leading jets".
fn leading(kind: Kind, first: Option<usize>) -> String {
    match first {
        Some(n) => format!("the {n} leading {}", kind.plural()),
        None => kind.plural().to_owned(),
    }
}

/// An operand, parenthesised when it binds less tightly than `prec`.
fn side(q: &Quantity, prec: u8) -> String {
    match q {
        Quantity::Bin(op, a, _)
            if !(*op == Op::Sub && **a == Quantity::Num(0.0)) && op.precedence() < prec =>
        {
            format!("({})", quantity(q))
        }
        Quantity::Num(x) if *x < 0.0 => format!("({})", num(*x)),
        _ => quantity(q),
    }
}

fn unit(gev: bool) -> &'static str {
    if gev {
        " GeV"
    } else {
        ""
    }
}

/// `x > 30 GeV`, `40 < x < 120 GeV`, `|x - 91.1876| < 10 GeV`, `x outside 1.37 to 1.52`.
pub fn cmp(x: &str, c: &Cmp, gev: bool) -> String {
    let u = unit(gev);
    match *c {
        Cmp::Gt(v) => format!("{x} > {}{u}", num(v)),
        Cmp::Ge(v) => format!("{x} >= {}{u}", num(v)),
        Cmp::Lt(v) => format!("{x} < {}{u}", num(v)),
        Cmp::Le(v) => format!("{x} <= {}{u}", num(v)),
        Cmp::Eq(v) => format!("{x} = {}{u}", num(v)),
        Cmp::Ne(v) => format!("{x} != {}{u}", num(v)),
        Cmp::Between(a, b) => format!("{} < {x} < {}{u}", num(a), num(b)),
        Cmp::Outside(a, b) => format!("{x} outside {} to {}{u}", num(a), num(b)),
        Cmp::Within { center, width } => format!("|{x} - {}| < {}{u}", num(center), num(width)),
        Cmp::Away { center, width } => format!("|{x} - {}| > {}{u}", num(center), num(width)),
    }
}

/// One condition of a filter: `pT > 30 GeV`, `|eta| < 2.5`, `dR(jet, l1) > 0.4`.
fn filter(f: &Filter) -> String {
    let x = match f.as_prop() {
        Some(p) => p.name().to_owned(),
        None => quantity(&f.q),
    };
    cmp(&x, &f.cmp, f.q.has_gev())
}

fn filters(fs: &[Filter]) -> String {
    fs.iter().map(filter).collect::<Vec<_>>().join(", ")
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
        PairRel::Df => "DF",
        PairRel::Dfos => "DFOS",
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
            let (w, n) = match *n {
                CountCmp::Exactly(n) => ("exactly ", n),
                CountCmp::AtLeast(n) => (">= ", n),
                CountCmp::AtMost(n) => ("<= ", n),
            };
            let pairs = if n == 1 { "pair" } else { "pairs" };
            format!("{w}{n} {} {} {pairs}", rel(*r), kind.singular())
        }
        Cut::Value { q, cmp: c } => cmp(&quantity(q), c, q.has_gev()),
        Cut::Pair { a, b, rel: r } => format!("{}({}, {})", rel(*r), sys(a), sys(b)),
        Cut::Every {
            kind,
            first,
            filter: f,
        } => {
            let who = match first {
                Some(n) => format!("each of the {n} leading {}", kind.plural()),
                None => format!("every {}", kind.singular()),
            };
            format!("{who}: {}", cmp(&quantity(&f.q), &f.cmp, f.q.has_gev()))
        }
    }
}

/// Canonical text of one statement.
pub fn stmt(s: &Stmt) -> String {
    match s {
        Stmt::Select { kind, filters: f } => format!("{}: {}", kind.plural(), filters(f)),
        Stmt::Overlap {
            remove,
            near,
            first,
            dr,
        } => {
            let near = match first {
                Some(1) => format!("the leading {}", near.singular()),
                _ => near.plural().to_owned(),
            };
            format!(
                "remove {} within dR < {} of {near}",
                remove.plural(),
                num(*dr)
            )
        }
        Stmt::Cut(c) => format!("require {}", cut_label(c)),
        Stmt::Plot(p) => {
            let mut t = format!("plot {}", quantity(&p.q));
            if let Some((a, b)) = p.range {
                t += &format!(" in {} to {}{}", num(a), num(b), unit(p.q.has_gev()));
            }
            if let Some(n) = p.bins {
                t += &format!(", {n} bins");
            }
            if p.normalised {
                t += ", normalised";
            }
            if p.log_y {
                t += ", log scale";
            }
            t
        }
        Stmt::Feature(q) => format!("save {}", quantity(q)),
        // "we compute their invariant mass": a quantity named by itself.
        Stmt::Define { name, q } if *name == quantity(q) => format!("compute {name}"),
        Stmt::Define { name, q } => format!("define {name} = {}", quantity(q)),
        Stmt::Name { name, sys: s } => format!("let {name} = {}", sys(s)),
        Stmt::AllBins(n) => format!("each histogram {n} bins"),
        Stmt::AllNormalised => "all histograms normalised".to_owned(),
        Stmt::AllLogY => "all histograms in log scale".to_owned(),
        Stmt::Note(n) => match n {
            Note::LatexLabels => "axis labels in LaTeX",
            Note::PngPlots => "plots saved as PNG",
            Note::ShowCutflow => "show the cutflow",
            Note::PlotsFollow => "plot the following",
            Note::FeaturesFollow => "save the following features to CSV",
            Note::Description => "description",
        }
        .to_owned(),
    }
}

/// Canonical text of an item: its statements joined by `; `.
pub fn stmts(v: &[Stmt]) -> String {
    v.iter().map(stmt).collect::<Vec<_>>().join("; ")
}
