//! The deterministic phrase grammar: one bullet (or sentence) → statements.
//!
//! Reading is all-or-nothing: a bullet is understood only if every token is accounted for, so
//! a word the grammar does not know makes the bullet an error instead of being skipped.

mod cursor;
mod quantity;

use std::collections::BTreeSet;

use crate::ir::{Cmp, CountCmp, Cut, Filter, Kind, Note, Plot, Quantity, Stmt, Target};
use crate::lex::{tokenize, Tok};
use cursor::Cursor;
pub use cursor::{MH, MTOP, MW, MZ};

/// Which part of the spec a bullet is in; decides what a bare quantity means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `[SELECTION_CUTS]` or free prose.
    Cuts,
    /// `[PLOTS_FOR_VALIDATION]`: a bare quantity is a plot.
    Plots,
    /// `[OUTPUT_STRUCTURE]`: a bare quantity is a saved feature.
    Output,
}

/// What earlier bullets established: the kinds already given a selection (so "at least 2 jets
/// with pT > 30" defines the jets the first time and sub-selects afterwards), and whether a
/// "the following" list header is open.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ctx {
    pub defined: BTreeSet<Kind>,
    pub list: Option<Note>,
}

impl Ctx {
    /// Records what statements establish for later bullets.
    pub fn absorb(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            match s {
                Stmt::Select {
                    kind: Kind::Lepton, ..
                } => {
                    self.defined.insert(Kind::Electron);
                    self.defined.insert(Kind::Muon);
                }
                Stmt::Select { kind, .. } => {
                    self.defined.insert(*kind);
                }
                Stmt::Note(n @ (Note::PlotsFollow | Note::FeaturesFollow)) => self.list = Some(*n),
                _ => {}
            }
        }
    }

    fn is_defined(&self, k: Kind) -> bool {
        match k {
            Kind::Lepton => {
                self.defined.contains(&Kind::Electron) || self.defined.contains(&Kind::Muon)
            }
            Kind::BJet | Kind::LightJet => self.defined.contains(&Kind::Jet),
            k => self.defined.contains(&k),
        }
    }
}

/// Reads one bullet. `None` means the grammar cannot account for every word.
pub fn read(text: &str, section: Section, ctx: &Ctx) -> Option<Vec<Stmt>> {
    let toks = unwrap_remarks(tokenize(text));
    let mut out = Vec::new();
    for clause in toks.split(|t| t.text == ";") {
        let clause: Vec<Tok> = clause.iter().filter(|t| t.text != ".").cloned().collect();
        if clause.is_empty() {
            continue;
        }
        let mut local = ctx.clone();
        local.absorb(&out);
        out.extend(statement(&clause, section, &local)?);
    }
    (!out.is_empty()).then_some(out)
}

/// Parenthetical remarks with no number, such as "(W leptonic candidate)" or "(electron or
/// muon)", are notes to the reader; remarks with numbers ("(ΔR < 0.4)") carry the cut and are
/// unwrapped. Parentheses glued to a word are calls (`pT(j1)`) and stay.
fn unwrap_remarks(toks: Vec<Tok>) -> Vec<Tok> {
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        if toks[i].text == "(" && !toks[i].glued {
            if let Some(len) = toks[i + 1..].iter().position(|t| t.text == ")") {
                let inner = &toks[i + 1..i + 1 + len];
                if inner.iter().any(|t| t.num.is_some()) {
                    out.extend(inner.iter().cloned());
                }
                i += len + 2;
                continue;
            }
        }
        out.push(toks[i].clone());
        i += 1;
    }
    out
}

const LEAD: &[&str] = &[
    "select",
    "selection",
    "require",
    "requires",
    "requiring",
    "required",
    "apply",
    "cut",
    "keep",
    "demand",
    "we",
    "that",
    "only",
    "accept",
    "choose",
    "also",
    "then",
    "need",
    "needs",
    "on",
    "events",
    "event",
    "with",
    "containing",
    "where",
];

/// One way of reading a clause; tried in order until one accounts for every token.
type Reader = fn(&mut Cursor, &Ctx) -> Option<Vec<Stmt>>;

const TRAIL: &[&str] = &["in", "per", "event", "events", "each", "required", "gev"];

fn statement(toks: &[Tok], section: Section, ctx: &Ctx) -> Option<Vec<Stmt>> {
    let mut c = Cursor::new(toks);
    if let Some(s) = note(toks, section) {
        return Some(vec![s]);
    }
    match c.peek()? {
        "plot" | "histogram" | "draw" | "histogramme" => {
            c.pos += 1;
            return plot(&mut c).map(|p| vec![Stmt::Plot(p)]);
        }
        "feature" | "save" | "store" | "write" | "export" => {
            c.pos += 1;
            return features(&mut c);
        }
        "overlap" | "remove" | "discard" | "drop" | "clean" => return overlap(toks),
        _ => {}
    }
    let bare = match (section, ctx.list) {
        (_, Some(Note::FeaturesFollow)) | (Section::Output, _) => Some(false),
        (_, Some(Note::PlotsFollow)) | (Section::Plots, _) => Some(true),
        _ => None,
    };
    if let Some(is_plot) = bare {
        return if is_plot {
            plot(&mut c).map(|p| vec![Stmt::Plot(p)])
        } else {
            features(&mut c)
        };
    }
    if toks
        .iter()
        .any(|t| t.text == "removed" || t.text == "overlapping")
    {
        return overlap(toks);
    }
    c.skip(LEAD);
    let attempts: [Reader; 5] = [veto, count, pair_rel, selection, value_cut];
    for f in attempts {
        let mut t = c;
        if let Some(s) = f(&mut t, ctx) {
            t.skip(TRAIL);
            if t.done() {
                return Some(s);
            }
        }
    }
    None
}

/// Instructions that need no code: recognised by their keywords.
fn note(toks: &[Tok], section: Section) -> Option<Stmt> {
    let has = |w: &str| toks.iter().any(|t| t.text == w);
    let n = if has("latex") {
        Note::LatexLabels
    } else if has("png") {
        Note::PngPlots
    } else if has("cutflow") || (has("cut") && has("flow")) {
        Note::ShowCutflow
    } else if has("following") && (has("plot") || has("histogram")) {
        Note::PlotsFollow
    } else if (has("following") || has("features"))
        && (has("csv") || has("save") || section == Section::Output)
    {
        Note::FeaturesFollow
    } else {
        let mut c = Cursor::new(toks);
        c.skip(&[
            "use",
            "each",
            "every",
            "histogram",
            "plot",
            "with",
            "for",
            "all",
        ]);
        if let Some(n) = c.number() {
            if c.eat("bins") {
                c.skip(&["for", "each", "every", "histogram", "plot", "all", "per"]);
                if c.done() && n >= 1.0 && n.fract() == 0.0 {
                    return Some(Stmt::AllBins(n as usize));
                }
            }
            return None;
        }
        let mut c = Cursor::new(toks);
        c.skip(&[
            "normalised",
            "each",
            "every",
            "histogram",
            "plot",
            "all",
            "to",
            "unity",
            "unit",
            "area",
            "1",
            "one",
        ]);
        if c.done() && has("normalised") && (has("histogram") || has("plot") || has("all")) {
            return Some(Stmt::AllNormalised);
        }
        return None;
    };
    Some(Stmt::Note(n))
}

fn plot(c: &mut Cursor) -> Option<Plot> {
    c.skip(&["plot", "histogram", "of", "as", "for"]);
    let q = quantity::quantity(c)?;
    let mut p = Plot {
        q,
        bins: None,
        range: None,
        normalised: false,
    };
    loop {
        c.skip(&[",", "with", "and", "using", "histogram", "plot", "as"]);
        if c.done() {
            return Some(p);
        }
        let s = *c;
        if c.eat_any(&["in", "from", "range", "over"]).is_some() {
            c.skip(&["range", "of", "from"]);
            p.range = Some(c.range()?);
        } else if c.eat("normalised") {
            c.skip(&["to", "unity", "unit", "area", "1"]);
            p.normalised = true;
        } else if let Some(n) = c.number() {
            c.eat("bins").then_some(())?;
            (n >= 1.0 && n.fract() == 0.0).then_some(())?;
            p.bins = Some(n as usize);
        } else {
            *c = s;
            return None;
        }
    }
}

fn features(c: &mut Cursor) -> Option<Vec<Stmt>> {
    c.skip(&[
        "feature", "features", "save", "store", "write", "export", "to", "in", "into", "csv",
        "file", ":",
    ]);
    let mut out = Vec::new();
    loop {
        let q = quantity::quantity(c)?;
        out.push(Stmt::Feature(q));
        c.skip(&["to", "in", "into", "csv", "file"]);
        if c.done() {
            return Some(out);
        }
        c.eat_any(&[",", "and"])?;
    }
}

/// "remove jets within dR < 0.4 of electrons", "jets overlapping with leptons (dR < 0.4) are
/// removed": the first kind is removed, the second is the reference, the number after `dR`
/// is the radius.
fn overlap(toks: &[Tok]) -> Option<Vec<Stmt>> {
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

fn veto(c: &mut Cursor, ctx: &Ctx) -> Option<Vec<Stmt>> {
    c.eat_any(&["veto", "reject", "vetoing"])?;
    c.skip(&["events", "event", "with", "containing", "on", "if", "there"]);
    let (kind, _) = quantity::kind(c)?;
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

fn count(c: &mut Cursor, ctx: &Ctx) -> Option<Vec<Stmt>> {
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
fn pair_rel(c: &mut Cursor, _ctx: &Ctx) -> Option<Vec<Stmt>> {
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
fn selection(c: &mut Cursor, _ctx: &Ctx) -> Option<Vec<Stmt>> {
    let (kind, plural) = quantity::kind(c)?;
    if !plural || matches!(kind, Kind::Met) {
        return None;
    }
    c.skip(&["with", "having", "satisfying", "passing", ":", "of"]);
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
        let cmp = c.cmp()?;
        Some(Filter { prop, cmp })
    })();
    if r.is_none() {
        *c = save;
    }
    r
}

/// "MET > 30 GeV", "40 < MT(l1, MET) < 120", "|m(Z(ll)) - 91.1876| < 10", "not 1.37 < x < 1.52".
fn value_cut(c: &mut Cursor, _ctx: &Ctx) -> Option<Vec<Stmt>> {
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
    c.skip(&["value", "required", "range"]);
    let cmp = c.cmp()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plot_with_range_and_remark() {
        let r = read(
            "Plot the transverse mass of lepton + MET (W leptonic) in the range 30 to 150 GeV",
            Section::Plots,
            &Ctx::default(),
        );
        assert_eq!(
            r.map(|s| crate::canon::stmts(&s)).as_deref(),
            Some("plot MT(l1, MET) in 30 to 150 GeV")
        );
    }
}
