//! Plots and saved features: "Plot m_γγ and m_jj, 20 bins each", "hist m_μμ 70..110 40
//! bins", "m_ee (60 bins between 76 and 106 GeV)", "CSV: m_ll, pT(l1) and ΔR(l1, l2)",
//! "E, px, py, pz of the leading jet", "the pT of both muons (leading first)", "the pT of the
//! leading jet and that of the second one".

use crate::ir::{Plot, Prop, Quantity, Stmt, Sys};
use crate::lexicon::prop_word;

use super::base::{P, R};
use super::ctx::Focus;
use super::Reading;

/// Words that introduce or close a list of plots.
const PLOT_WORDS: &[&str] = &[
    "plot",
    "plots",
    "histogram",
    "histograms",
    "hist",
    "draw",
    "make",
    "produce",
    "book",
    "fill",
    "show",
    "shown",
    "of",
    "the",
    "a",
    "an",
    "as",
    "well",
    "also",
    "another",
    "one",
    "distribution",
    "distributions",
    "for",
    "validation",
    "we",
    "i'd",
    "like",
    "please",
    "together",
    "with",
    "and",
    ",",
    ":",
    "are",
    "is",
    "be",
    "spectrum",
    "i",
    "would",
    "want",
    "you",
    "to",
    "control",
    "then",
];

/// Words that introduce or close a list of saved quantities.
const SAVE_WORDS: &[&str] = &[
    "save",
    "saved",
    "store",
    "stored",
    "write",
    "written",
    "out",
    "record",
    "recorded",
    "output",
    "outputs",
    "export",
    "csv",
    "file",
    "columns",
    "column",
    "the",
    "a",
    "with",
    "in",
    "into",
    "to",
    "for",
    "each",
    "every",
    "selected",
    "event",
    "events",
    "we",
    "are",
    "is",
    "contains",
    "contain",
    "holds",
    "hold",
    "put",
    "give",
    "me",
    "send",
    "mlp",
    "features",
    "feature",
    "quantities",
    "variables",
    "further",
    "study",
    "following",
    "per",
    ":",
    "-",
    "list",
    "ntuple",
    "table",
    "also",
    "please",
    "and",
    "as",
    "well",
    "saving",
    "of",
    "i'd",
    "like",
    "you",
    "would",
    "then",
    "dump",
    "order",
    "this",
    "passing",
    "training",
    "ml",
    "analysis",
    "row",
    "one",
    "an",
    ",",
    "also",
    "include",
    "includes",
    "including",
    "keep",
    "then",
    "values",
];

/// Options of a plot.
#[derive(Default, Clone, Copy)]
struct Opts {
    bins: Option<usize>,
    range: Option<(f64, f64)>,
    normalised: bool,
    log_y: bool,
    /// "20 bins each": the bins apply to every plot of the clause.
    each: bool,
}

impl P<'_> {
    /// A list of plots with their options.
    pub fn plots(&self, i: usize) -> Option<Reading> {
        let mut plots: Vec<Plot> = Vec::new();
        let mut shared = Opts::default();
        let mut j = self.skip_of(i, PLOT_WORDS);
        // Each plot is what "them", "its" refer to next.
        let mut ctx = self.ctx.clone();
        loop {
            let p = P { ctx: &ctx, ..*self };
            let Some((q, e)) = p.plot_quantity(j, plots.last().map(|p| &p.q)) else {
                break;
            };
            let (o, e) = p.plot_opts(e, &q);
            if let Some(f) = focus_of_quantity(&q) {
                ctx.focus = Some(f);
            }
            shared.each |= o.each;
            if o.each {
                shared.bins = o.bins.or(shared.bins);
                shared.normalised |= o.normalised;
            }
            let mut p = Plot::of(q);
            p.bins = o.bins;
            p.range = o.range;
            p.normalised = o.normalised;
            p.log_y = o.log_y;
            plots.push(p);
            j = e;
            let k = self.skip_of(
                j,
                &[
                    "and", ",", "as", "well", "together", "with", "another", "one", "also", "plus",
                ],
            );
            if k == j {
                break;
            }
            // "the number of jets and of b-jets": "of" carries on the count.
            let next = if self.w(k) == "of" {
                k
            } else {
                self.skip_of(k, PLOT_WORDS)
            };
            if (P { ctx: &ctx, ..*self })
                .plot_quantity(next, plots.last().map(|p| &p.q))
                .is_none()
            {
                break;
            }
            j = next;
        }
        if plots.is_empty() {
            return None;
        }
        for p in &mut plots {
            if shared.each {
                p.bins = p.bins.or(shared.bins);
                p.normalised |= shared.normalised;
            }
        }
        let end = self.skip_of(
            j,
            &[
                "are",
                "is",
                "shown",
                "for",
                "validation",
                "each",
                "drawn",
                "plot",
                "histogram",
                "as",
                "well",
                "also",
            ],
        );
        let mut r = Reading::new(plots.into_iter().map(Stmt::Plot).collect(), end);
        r.focus = ctx.focus;
        Some(r)
    }

    /// A plotted quantity; "of b-jets" after a count is another count.
    fn plot_quantity(&self, j: usize, prev: Option<&Quantity>) -> R<Quantity> {
        if let (Some(Quantity::Count(..)), "of") = (prev, self.w(j)) {
            let ((kind, _), e) = self.kind(j + 1)?;
            return Some((Quantity::Count(kind, Vec::new()), e));
        }
        let (q, e) = self.feature_quantity(j)?;
        Some((q, e))
    }

    /// Bins, range, normalisation and log scale after a plotted quantity.
    fn plot_opts(&self, i: usize, q: &Quantity) -> (Opts, usize) {
        let mut o = Opts::default();
        let mut j = i;
        loop {
            let k = self.skip_remark(j);
            let k = self.skip_of(
                k,
                &[
                    ",",
                    "with",
                    "using",
                    "in",
                    "(",
                    ")",
                    ":",
                    ";",
                    "and",
                    "to",
                    "a",
                    "an",
                    "the",
                    "latter",
                    "of",
                    "each",
                    "histogram",
                    "plot",
                    "distribution",
                    "spectrum",
                    "should",
                    "be",
                    "is",
                    "are",
                    "shown",
                    "drawn",
                    "plotted",
                    "histogrammed",
                    "must",
                ],
            );
            if self.w(k) == "each"
                || (k > j && self.w(k - 1) == "each" && self.w(k.saturating_sub(2)) == "bins")
            {
                o.each = true;
            }
            if let Some((n, e)) = self.int(k) {
                if self.w(e) == "bins" && n >= 1 {
                    o.bins = Some(n);
                    j = e + 1;
                    if self.w(j) == "each" {
                        o.each = true;
                        j += 1;
                    }
                    continue;
                }
            }
            let r = self.skip_of(
                k,
                &[
                    "from", "between", "range", "over", "window", "interval", "the", "of",
                ],
            );
            if self.is(r, &["same"]) && self.is(r + 1, &["range", "window", "interval"]) {
                if let Some((_, w)) = self.ctx.windows.iter().rev().find(|(wq, _)| wq == q) {
                    o.range = Some(*w);
                    j = r + 2;
                    continue;
                }
            }
            if let Some(((a, b, _), e)) = self.range(r) {
                o.range = Some((a, b));
                j = e;
                continue;
            }
            if self.w(k) == "normalised" {
                o.normalised = true;
                j = self.skip_of(
                    k + 1,
                    &[
                        "to", "unity", "unit", "area", "1", "one", "(", ")", "density", "=", "true",
                    ],
                );
                continue;
            }
            if self.w(k) == "logscale" {
                o.log_y = true;
                j = self.skip_of(k + 1, &["y", "axis", "on"]);
                continue;
            }
            let e = if self.w(k) == "each" && k + 1 > j {
                k + 1
            } else {
                j
            };
            let e = if self.w(e) == ")" { e + 1 } else { e };
            return (o, e);
        }
    }

    /// A list of saved quantities.
    pub fn features(&self, i: usize) -> Option<Reading> {
        let mut out: Vec<Quantity> = Vec::new();
        let mut ctx = self.ctx.clone();
        let mut j = self.skip_of(i, SAVE_WORDS);
        loop {
            let p = P { ctx: &ctx, ..*self };
            let Some((qs, e)) = p.feature_item(j, out.last()) else {
                break;
            };
            for q in &qs {
                if let Some(f) = focus_of_quantity(q) {
                    ctx.focus = Some(f);
                }
            }
            out.extend(qs);
            j = e;
            let k = self.skip_of(j, &["and", ",", ";", "plus", "also", "then", "finally"]);
            let k = self.skip_of(k, &["the", "a", "an", "finally", "also"]);
            let p = P { ctx: &ctx, ..*self };
            if p.feature_item(k, out.last()).is_none() {
                break;
            }
            j = k;
        }
        if out.is_empty() {
            return None;
        }
        let end = self.skip_of(
            j,
            &[
                "to", "in", "into", "a", "the", "csv", "file", "for", "mlp", "training",
                "analysis", "each", "every", "selected", "event", "events", "per", "are", "saved",
                "stored", "written", "recorded",
            ],
        );
        let mut r = Reading::new(out.into_iter().map(Stmt::Feature).collect(), end);
        r.focus = ctx.focus;
        Some(r)
    }

    /// One saved item, possibly several quantities: "E, px, py, pz of the leading jet", "the
    /// mass and the pT of the top candidate", "the pT of both muons", "that of the second".
    fn feature_item(&self, j: usize, prev: Option<&Quantity>) -> R<Vec<Quantity>> {
        if let Some(r) = self.props_of(j) {
            return Some(r);
        }
        // "the leading and second jet pT".
        if let Some((objs, e)) = self.coordinated(j) {
            if let Some(p) = prop_word(self.w(e)) {
                return Some((
                    objs.into_iter().map(|s| Quantity::Prop(p, s)).collect(),
                    e + 1,
                ));
            }
        }
        // "that of the second one": the previous property of another object.
        if let (Some(Quantity::Prop(p, _)), "that" | "those") = (prev, self.w(j)) {
            let k = self.eat(j + 1, "of")?;
            let (s, e) = self.sys(k, false)?;
            return Some((vec![Quantity::Prop(*p, s)], e));
        }
        let (q, e) = self.feature_quantity(j)?;
        Some((vec![q], e))
    }

    /// Several properties of one system: "E, px, py, pz of the leading jet", "the mass and
    /// the pT of the top candidate", "the pT of both muons (leading first)".
    fn props_of(&self, j: usize) -> R<Vec<Quantity>> {
        let mut props = Vec::new();
        let mut k = j;
        loop {
            let kk = self.skip_of(k, &["the", "its"]);
            let p = match self.w(kk) {
                "e" | "energy" => Prop::Energy,
                w => prop_word(w)?,
            };
            props.push(p);
            k = kk + 1;
            let n = self.skip_of(k, &[",", "and"]);
            if n == k
                || !(prop_word(self.w(self.skip_of(n, &["the"]))).is_some()
                    || self.w(self.skip_of(n, &["the"])) == "e")
            {
                break;
            }
            k = n;
        }
        let k = self.eat(k, "of")?;
        let k2 = self.skip_of(k, &["the"]);
        let (sys, e) = self.sys(k, true)?;
        let e = self.skip_remark(e);
        // "the pT of both muons" is each muon's; "the pT of the four-lepton system" and any
        // mass are the system's.
        let system = (k2..e).any(|m| {
            self.is(
                m,
                &[
                    "system",
                    "pair",
                    "candidate",
                    "dijet",
                    "dilepton",
                    "diphoton",
                    "dimuon",
                    "dielectron",
                ],
            )
        });
        let members: Vec<Sys> = match (&sys, self.w(k2)) {
            (Sys::Sum(v), "both" | "all" | "two" | "three" | "four" | "each")
                if !system && !props.contains(&Prop::Mass) =>
            {
                v.clone()
            }
            _ => vec![sys.clone()],
        };
        if props.len() == 1 && members.len() == 1 {
            // A single property is read by the quantity grammar (it knows "pT of X and Y").
            return None;
        }
        let mut out = Vec::new();
        for s in &members {
            for p in &props {
                out.push(Quantity::Prop(*p, s.clone()));
            }
        }
        Some((out, e))
    }

    /// "(leading first)", "(in this order)", "(W leptonic)": a remark with no number or
    /// comparison in it.
    fn skip_remark(&self, e: usize) -> usize {
        if self.w(e) != "(" {
            return e;
        }
        let close = (e..self.toks.len().min(e + 8)).find(|k| self.w(*k) == ")");
        match close {
            Some(c)
                if (e + 1..c)
                    .all(|k| self.toks[k].num.is_none() && !crate::lexicon::is_hard(self.w(k))) =>
            {
                c + 1
            }
            _ => e,
        }
    }

    /// A quantity to plot or save, possibly under a label the text defined.
    pub fn feature_quantity(&self, j: usize) -> R<Quantity> {
        let ((_, q), e) = self.labeled(j)?;
        // A constant is never a distribution.
        if q.is_constant() {
            return None;
        }
        // "m_eff = H_T + E_T^miss": the definition restated.
        if self.w(e) == "=" {
            if let Some((q2, e2)) = (P {
                formula: true,
                ..*self
            })
            .expr(e + 1, None)
            {
                if q2 == q {
                    return Some((q, e2));
                }
            }
        }
        // "ΔR(γ, j1) between the leading photon and the leading jet".
        let e = self.restated_tail(self.skip_remark(e), &q);
        Some((q, e))
    }
}

/// The focus after saving a quantity of one object ("the pT of the leading lepton, the pT
/// of the second").
fn focus_of_quantity(q: &Quantity) -> Option<Focus> {
    match q {
        Quantity::Prop(_, s @ Sys::Obj(o)) if o.kind != crate::ir::Kind::Met => Some(Focus {
            kind: o.kind,
            n: None,
            sys: Some(s.clone()),
        }),
        // "the four-lepton invariant mass and its pT", "the Z candidate mass, its pT".
        Quantity::Prop(_, s @ Sys::Sum(v)) => match v.first() {
            Some(Sys::Obj(o)) => Some(Focus {
                kind: o.kind,
                n: None,
                sys: Some(s.clone()),
            }),
            _ => None,
        },
        Quantity::Prop(_, s @ (Sys::Cand(c) | Sys::Leg(c, _) | Sys::Rest(c, _))) => Some(Focus {
            kind: c.kind,
            n: None,
            sys: Some(s.clone()),
        }),
        _ => None,
    }
}
