//! One-dimensional histograms with fixed binning.
//!
//! Conventions follow ROOT so numbers can be compared with existing analyses: bins are
//! half-open `[low, high)`, values below/above the range go to underflow/overflow, the mean and
//! RMS (standard deviation) are computed from the unbinned in-range values, and "normalised to
//! unity" means the in-range contents sum to 1.

use std::io;
use std::path::Path;

use crate::merge::Merge;
use crate::output::{self, OutputError};
use crate::plot::{self, PlotError};

/// A weighted 1D histogram with labels for plotting.
///
/// ```
/// use collm_analysis::prelude::*;
/// let mut h = Hist1D::new(40, 0.0, 200.0).x_label(r"m_{jj} [GeV]");
/// h.fill(80.0);
/// h.fill(95.0);
/// assert_eq!(h.entries(), 2);
/// assert_eq!(h.mean(), 87.5);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Hist1D {
    low: f64,
    high: f64,
    contents: Vec<f64>,
    sumw2: Vec<f64>,
    underflow: f64,
    overflow: f64,
    invalid: u64,
    entries: u64,
    sum_w: f64,
    sum_wx: f64,
    sum_wx2: f64,
    normalised: bool,
    title: String,
    x_label: String,
    y_label: Option<String>,
}

impl Hist1D {
    /// `bins` equal bins covering `[low, high)`.
    ///
    /// # Panics
    /// If `bins` is 0 or the range is empty or not finite: such a histogram is a bug in the
    /// calling code, better caught at once than drawn empty.
    pub fn new(bins: usize, low: f64, high: f64) -> Hist1D {
        assert!(bins > 0, "Hist1D needs at least one bin");
        assert!(
            low.is_finite() && high.is_finite() && low < high,
            "Hist1D range must be finite with low < high (got {low}..{high})"
        );
        Hist1D {
            low,
            high,
            contents: vec![0.0; bins],
            sumw2: vec![0.0; bins],
            underflow: 0.0,
            overflow: 0.0,
            invalid: 0,
            entries: 0,
            sum_w: 0.0,
            sum_wx: 0.0,
            sum_wx2: 0.0,
            normalised: false,
            title: String::new(),
            x_label: String::new(),
            y_label: None,
        }
    }

    /// Sets the x-axis label; LaTeX-like (`p_{T}^{\ell} [GeV]`), a unit in brackets is reused in
    /// the default y label.
    pub fn x_label(mut self, label: &str) -> Hist1D {
        self.x_label = label.to_owned();
        self
    }

    /// Overrides the default y label (`Events / 5 GeV`, or `Fraction of events / 5 GeV` once
    /// normalised).
    pub fn y_label(mut self, label: &str) -> Hist1D {
        self.y_label = Some(label.to_owned());
        self
    }

    /// Sets the title shown in the legend box.
    pub fn title(mut self, title: &str) -> Hist1D {
        self.title = title.to_owned();
        self
    }

    /// Adds one value with weight 1.
    pub fn fill(&mut self, x: f64) {
        self.fill_weighted(x, 1.0);
    }

    /// Adds one value with a weight. NaN values are counted as invalid, not binned: they would
    /// otherwise vanish or corrupt the mean.
    pub fn fill_weighted(&mut self, x: f64, w: f64) {
        self.entries += 1;
        if x.is_nan() {
            self.invalid += 1;
            return;
        }
        match self.bin_of(x) {
            Some(i) => {
                self.contents[i] += w;
                self.sumw2[i] += w * w;
                self.sum_w += w;
                self.sum_wx += w * x;
                self.sum_wx2 += w * x * x;
            }
            None if x < self.low => self.underflow += w,
            None => self.overflow += w,
        }
    }

    /// The bin holding `x`, `None` outside `[low, high)`.
    pub fn bin_of(&self, x: f64) -> Option<usize> {
        if !(x >= self.low && x < self.high) {
            return None;
        }
        let n = self.contents.len();
        let i = ((x - self.low) / (self.high - self.low) * n as f64) as usize;
        Some(i.min(n - 1))
    }

    /// Number of bins.
    pub fn bins(&self) -> usize {
        self.contents.len()
    }

    /// Lower edge of the range.
    pub fn low(&self) -> f64 {
        self.low
    }

    /// Upper edge of the range.
    pub fn high(&self) -> f64 {
        self.high
    }

    /// Width of every bin.
    pub fn bin_width(&self) -> f64 {
        (self.high - self.low) / self.contents.len() as f64
    }

    /// Lower edge of bin `i`.
    pub fn bin_low(&self, i: usize) -> f64 {
        self.low + i as f64 * self.bin_width()
    }

    /// Centre of bin `i`.
    pub fn bin_center(&self, i: usize) -> f64 {
        self.low + (i as f64 + 0.5) * self.bin_width()
    }

    /// Bin contents (sum of weights), in-range bins only.
    pub fn contents(&self) -> &[f64] {
        &self.contents
    }

    /// Statistical uncertainty of bin `i`, sqrt(Σw²).
    pub fn error(&self, i: usize) -> f64 {
        self.sumw2[i].sqrt()
    }

    /// Sum of weights below the range.
    pub fn underflow(&self) -> f64 {
        self.underflow
    }

    /// Sum of weights at or above the upper edge.
    pub fn overflow(&self) -> f64 {
        self.overflow
    }

    /// Number of fill calls (including under/overflow and NaN), as ROOT's "Entries".
    pub fn entries(&self) -> u64 {
        self.entries
    }

    /// Fills with NaN, kept apart so they are visible rather than silently lost.
    pub fn invalid(&self) -> u64 {
        self.invalid
    }

    /// Sum of in-range contents.
    pub fn integral(&self) -> f64 {
        self.contents.iter().sum()
    }

    /// Weighted mean of the in-range values (unbinned); NaN when empty.
    pub fn mean(&self) -> f64 {
        self.sum_wx / self.sum_w
    }

    /// Weighted standard deviation of the in-range values (ROOT's "RMS"); NaN when empty.
    pub fn rms(&self) -> f64 {
        let m = self.mean();
        (self.sum_wx2 / self.sum_w - m * m).max(0.0).sqrt()
    }

    /// Whether the histogram has been normalised to unit area.
    pub fn is_normalised(&self) -> bool {
        self.normalised
    }

    /// Multiplies all contents (and under/overflow) by `factor`; entries and the shape
    /// statistics are unchanged.
    pub fn scale(&mut self, factor: f64) {
        for (c, e) in self.contents.iter_mut().zip(self.sumw2.iter_mut()) {
            *c *= factor;
            *e *= factor * factor;
        }
        self.underflow *= factor;
        self.overflow *= factor;
    }

    /// Scales so the in-range contents sum to 1 (a no-op on an empty histogram).
    pub fn normalise(&mut self) {
        let total = self.integral();
        if total != 0.0 {
            self.scale(1.0 / total);
        }
        self.normalised = true;
    }

    /// A unit-area copy, for `h.normalised().save_png(...)`.
    pub fn normalised(&self) -> Hist1D {
        let mut h = self.clone();
        h.normalise();
        h
    }

    /// The LaTeX-like x label as given.
    pub fn x_label_text(&self) -> &str {
        &self.x_label
    }

    /// The title as given.
    pub fn title_text(&self) -> &str {
        &self.title
    }

    /// The y label: the override, or `Events / <width> <unit>` (with "Fraction of events" once
    /// normalised), the unit taken from a `[...]` in the x label.
    pub fn y_label_text(&self) -> String {
        if let Some(y) = &self.y_label {
            return y.clone();
        }
        let what = if self.normalised {
            "Fraction of events"
        } else {
            "Events"
        };
        let unit = self
            .x_label
            .rsplit_once('[')
            .and_then(|(_, u)| u.split_once(']'))
            .map(|(u, _)| format!(" {}", u.trim()))
            .unwrap_or_default();
        format!("{what} / {}{unit}", format_width(self.bin_width()))
    }

    /// Renders a PNG (HEP style; see [`crate::plot`]).
    pub fn to_png(&self, width: u32, height: u32) -> Result<Vec<u8>, PlotError> {
        plot::hist_png(&self.plotted(), width, height)
    }

    /// The plain view the plots draw.
    fn plotted(&self) -> plot::Bins<'_> {
        plot::Bins {
            low: self.low,
            high: self.high,
            contents: &self.contents,
            underflow: self.underflow,
            overflow: self.overflow,
            entries: self.entries,
            mean: self.mean(),
            rms: self.rms(),
            x_label: &self.x_label,
            y_label: self.y_label_text(),
            title: &self.title,
        }
    }

    /// Renders an SVG document.
    pub fn to_svg(&self, width: u32, height: u32) -> Result<String, PlotError> {
        plot::hist_svg(&self.plotted(), width, height)
    }

    /// Writes an 800×600 PNG, whole or not at all.
    pub fn save_png(&self, path: impl AsRef<Path>) -> Result<(), OutputError> {
        let png = self.to_png(800, 600).map_err(|e| plot_failed(&path, e))?;
        output::write_bytes(path, &png)
    }

    /// Writes an 800×600 SVG, whole or not at all.
    pub fn save_svg(&self, path: impl AsRef<Path>) -> Result<(), OutputError> {
        let svg = self.to_svg(800, 600).map_err(|e| plot_failed(&path, e))?;
        output::write_bytes(path, svg.as_bytes())
    }

    /// The plot as base64 PNG, the form notebooks embed.
    pub fn to_png_base64(&self) -> Result<String, PlotError> {
        use base64::Engine;
        let png = self.to_png(800, 600)?;
        Ok(base64::engine::general_purpose::STANDARD.encode(png))
    }

    /// Shows the plot inline as the cell's result (evcxr's display protocol).
    pub fn evcxr_display(&self) {
        match self.to_png_base64() {
            Ok(b64) => crate::notebook::evcxr_emit("image/png", &b64),
            Err(e) => println!("cannot render histogram: {e}"),
        }
    }

    /// Shows the plot now, as its own output, even in the middle of a cell; call it once per
    /// plot to show several.
    pub fn show(&self) {
        match self.to_png_base64() {
            Ok(b64) => crate::notebook::show("image/png", &b64),
            Err(e) => println!("cannot render histogram: {e}"),
        }
    }
}

/// A bin width without float noise: `5`, `0.25`, `0.0785`.
fn format_width(w: f64) -> String {
    let s = format!("{:.4}", w);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

/// Adds contents and statistics of a histogram with the same binning.
///
/// # Panics
/// If the binning differs: merging such histograms would silently mis-bin events.
impl Merge for Hist1D {
    fn merge(&mut self, later: Hist1D) {
        assert!(
            self.contents.len() == later.contents.len()
                && self.low == later.low
                && self.high == later.high,
            "cannot merge histograms with different binning"
        );
        for (a, b) in self.contents.iter_mut().zip(&later.contents) {
            *a += b;
        }
        for (a, b) in self.sumw2.iter_mut().zip(&later.sumw2) {
            *a += b;
        }
        self.underflow += later.underflow;
        self.overflow += later.overflow;
        self.invalid += later.invalid;
        self.entries += later.entries;
        self.sum_w += later.sum_w;
        self.sum_wx += later.sum_wx;
        self.sum_wx2 += later.sum_wx2;
    }
}

/// A plot that could not be rendered, reported against the file it was meant for.
fn plot_failed(path: &impl AsRef<Path>, e: PlotError) -> OutputError {
    OutputError {
        path: path.as_ref().to_path_buf(),
        source: io::Error::other(e),
    }
}
