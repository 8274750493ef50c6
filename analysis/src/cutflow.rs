//! Cutflows: how many events survive each cut, in the order the cuts are applied.
//!
//! Step 0 is always the input ("all events"); [`Cutflow::pass`] both applies a cut and records
//! it, so the table cannot drift from the code that made it.

use std::fmt::{self, Write as _};
use std::path::Path;

use crate::merge::Merge;
use crate::output::{self, OutputError};
use crate::text::{csv_field, html_escape};

/// An ordered list of labelled cuts with the number of events passing each.
///
/// ```
/// use collm_analysis::prelude::*;
/// let mut cf = Cutflow::new();
/// for met in [10.0, 40.0, 55.0] {
///     cf.start();
///     if !cf.pass("MET > 30", met > 30.0) { continue; }
///     if !cf.pass("MET < 50", met < 50.0) { continue; }
/// }
/// assert_eq!(cf.counts(), vec![3, 2, 1]);
/// ```
#[derive(Debug, Clone)]
pub struct Cutflow {
    labels: Vec<String>,
    counts: Vec<u64>,
    weights: Vec<f64>,
    /// The step after the last one passed in this event: cuts run in order, so it is almost
    /// always the next label asked for, found with one comparison instead of a search.
    next: usize,
}

impl PartialEq for Cutflow {
    fn eq(&self, other: &Self) -> bool {
        self.labels == other.labels && self.counts == other.counts && self.weights == other.weights
    }
}

impl Default for Cutflow {
    fn default() -> Self {
        Cutflow::new()
    }
}

impl Cutflow {
    /// A cutflow whose step 0 is "all events".
    pub fn new() -> Cutflow {
        Cutflow::titled("all events")
    }

    /// A cutflow with a custom label for step 0.
    pub fn titled(first: &str) -> Cutflow {
        Cutflow {
            labels: vec![first.to_owned()],
            counts: vec![0],
            weights: vec![0.0],
            next: 1,
        }
    }

    /// Declares the cut labels up front, so steps no event reaches still appear (with 0) and in
    /// the intended order.
    pub fn with_steps<S: AsRef<str>>(steps: impl IntoIterator<Item = S>) -> Cutflow {
        let mut cf = Cutflow::new();
        for s in steps {
            cf.index_of(s.as_ref());
        }
        cf
    }

    #[inline]
    fn index_of(&mut self, label: &str) -> usize {
        if self.labels.get(self.next).is_some_and(|l| l == label) {
            self.next += 1;
            return self.next - 1;
        }
        self.search(label)
    }

    /// The step of a label that is not the next one, added at the end when new.
    #[cold]
    fn search(&mut self, label: &str) -> usize {
        // Linear search: cutflows have a handful of steps and the last one is usually the hit.
        let i = match self.labels.iter().rposition(|l| l == label) {
            Some(i) => i,
            None => {
                self.labels.push(label.to_owned());
                self.counts.push(0);
                self.weights.push(0.0);
                self.labels.len() - 1
            }
        };
        self.next = i + 1;
        i
    }

    /// Counts one input event (step 0).
    #[inline]
    pub fn start(&mut self) {
        self.start_weighted(1.0);
    }

    /// Counts one input event with a weight (the weighted column is kept alongside counts).
    #[inline]
    pub fn start_weighted(&mut self, w: f64) {
        self.counts[0] += 1;
        self.weights[0] += w;
        self.next = 1;
    }

    /// Applies a cut: records the step (first use fixes its position) and counts the event if
    /// `passed`. Returns `passed`, so `if !cf.pass("MET > 30", met > 30.0) { continue; }`.
    #[inline]
    pub fn pass(&mut self, label: &str, passed: bool) -> bool {
        self.pass_weighted(label, passed, 1.0)
    }

    /// [`Cutflow::pass`] with an event weight.
    #[inline]
    pub fn pass_weighted(&mut self, label: &str, passed: bool, w: f64) -> bool {
        let i = self.index_of(label);
        if passed {
            self.counts[i] += 1;
            self.weights[i] += w;
        }
        passed
    }

    /// Step labels, step 0 first.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Event counts per step.
    pub fn counts(&self) -> Vec<u64> {
        self.counts.clone()
    }

    /// Sum of weights per step.
    pub fn weighted(&self) -> &[f64] {
        &self.weights
    }

    /// Count for a label, if the step exists.
    pub fn count(&self, label: &str) -> Option<u64> {
        self.labels
            .iter()
            .position(|l| l == label)
            .map(|i| self.counts[i])
    }

    /// Events surviving every cut.
    pub fn final_count(&self) -> u64 {
        self.counts.last().copied().unwrap_or(0)
    }

    /// Fraction of the previous step kept by step `i` (step 0: 1).
    pub fn efficiency(&self, i: usize) -> f64 {
        if i == 0 {
            return 1.0;
        }
        ratio(self.counts[i], self.counts[i - 1])
    }

    /// Fraction of all events surviving up to step `i`.
    pub fn cumulative(&self, i: usize) -> f64 {
        ratio(self.counts[i], self.counts[0])
    }

    /// `step,cut,events` rows (step 0 = all events), the output contract scripts rely on.
    pub fn to_csv(&self) -> String {
        let mut s = String::from("step,cut,events\n");
        for (i, (l, n)) in self.labels.iter().zip(&self.counts).enumerate() {
            let _ = writeln!(s, "{i},{},{n}", csv_field(l));
        }
        s
    }

    /// Writes [`Cutflow::to_csv`] to a file, whole or not at all.
    pub fn write_csv(&self, path: impl AsRef<Path>) -> Result<(), OutputError> {
        output::write_bytes(path, self.to_csv().as_bytes())
    }

    /// An HTML table with counts, relative and cumulative efficiencies.
    pub fn to_html(&self) -> String {
        let mut s = String::from(
            "<table class=\"collm-cutflow\">\n<thead><tr><th>step</th><th style=\"text-align:left\">cut</th>\
             <th>events</th><th>efficiency</th><th>cumulative</th></tr></thead>\n<tbody>\n",
        );
        for (i, (l, n)) in self.labels.iter().zip(&self.counts).enumerate() {
            let _ = writeln!(
                s,
                "<tr><td>{i}</td><td style=\"text-align:left\">{}</td><td>{n}</td><td>{:.2}%</td><td>{:.2}%</td></tr>",
                html_escape(l),
                100.0 * self.efficiency(i),
                100.0 * self.cumulative(i)
            );
        }
        s.push_str("</tbody>\n</table>\n");
        s
    }

    /// Shows the table now, as its own output, even in the middle of a cell.
    pub fn show(&self) {
        crate::notebook::show_bundle(&[
            ("text/html", &self.to_html()),
            ("text/plain", &self.to_string()),
        ]);
    }

    /// Shows the cutflow inline in an evcxr notebook cell (HTML table).
    pub fn evcxr_display(&self) {
        crate::notebook::evcxr_emit("text/html", &self.to_html());
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Aligned plain-text table, for terminals and logs.
impl fmt::Display for Cutflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self
            .labels
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(3)
            .max(3);
        writeln!(
            f,
            "{:>4}  {:<w$}  {:>10}  {:>8}  {:>8}",
            "step", "cut", "events", "eff", "cumul"
        )?;
        for (i, (l, n)) in self.labels.iter().zip(&self.counts).enumerate() {
            writeln!(
                f,
                "{i:>4}  {l:<w$}  {n:>10}  {:>7.2}%  {:>7.2}%",
                100.0 * self.efficiency(i),
                100.0 * self.cumulative(i)
            )?;
        }
        Ok(())
    }
}

/// Step 0 adds to step 0; other steps are matched by label, and labels only the later part
/// saw are appended in its order.
impl Merge for Cutflow {
    fn merge(&mut self, later: Cutflow) {
        let rows = later.labels.iter().zip(later.counts).zip(later.weights);
        for (k, ((label, n), w)) in rows.enumerate() {
            let i = if k == 0 { 0 } else { self.index_of(label) };
            self.counts[i] += n;
            self.weights[i] += w;
        }
    }
}
