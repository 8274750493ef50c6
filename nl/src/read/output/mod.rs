//! Plots and saved features: "Plot m_γγ and m_jj, 20 bins each", "hist m_μμ 70..110 40
//! bins", "m_ee (60 bins between 76 and 106 GeV)", "CSV: m_ll, pT(l1) and ΔR(l1, l2)",
//! "E, px, py, pz of the leading jet", "the pT of both muons (leading first)", "the pT of the
//! leading jet and that of the second one".

mod features;

use crate::ir::{Plot, Quantity, Stmt};

use super::base::{P, R};
use super::Reading;
use features::focus_of_quantity;

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

/// Words between a plotted quantity and its options: "with", "in", "each histogram should
/// be".
const OPTS_LEAD: &[&str] = &[
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
            let k = self.skip_of(k, OPTS_LEAD);
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
            if let Some((range, e)) = self.plot_range(k, q) {
                o.range = Some(range);
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

    /// "from 0 to 200", "between 76 and 106 GeV", "in the same range": a plot's range at `k`;
    /// "the same range" is the window last cut on `q`.
    fn plot_range(&self, k: usize, q: &Quantity) -> R<(f64, f64)> {
        let r = self.skip_of(
            k,
            &[
                "from", "between", "range", "over", "window", "interval", "the", "of",
            ],
        );
        if self.is(r, &["same"]) && self.is(r + 1, &["range", "window", "interval"]) {
            if let Some((_, w)) = self.ctx.windows.iter().rev().find(|(wq, _)| wq == q) {
                return Some((*w, r + 2));
            }
        }
        let ((a, b, _), e) = self.range(r)?;
        Some(((a, b), e))
    }
}
