//! Histogram plots in the usual HEP look: a step outline over a light fill, a closed frame
//! with inward ticks, axis titles at the far ends of the axes, real sub/superscripts from
//! LaTeX-like labels, and a legend box with entries, mean and RMS.
//!
//! Text is drawn with DejaVu Sans embedded in the crate through plotters' pure-Rust `ab_glyph`
//! path, so rendering needs no system fonts or C libraries (it runs the same inside evcxr, CI
//! and a bare container).

mod legend;
mod png;

use std::fmt;
use std::sync::Once;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

use crate::text::{latex_segments, latex_to_unicode, Script};
use legend::draw_legend;

pub use png::encode_rgb;

const FONT_BYTES: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
const FONT: &str = "sans-serif";
const LINE: RGBColor = RGBColor(0, 70, 160);
const FILL: RGBColor = RGBColor(120, 160, 220);

/// A plot could not be drawn (for example the embedded font failed to load).
#[derive(Debug, Clone, PartialEq)]
pub struct PlotError(pub String);

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "plot error: {}", self.0)
    }
}

impl std::error::Error for PlotError {}

fn plot_err<E: fmt::Debug>(e: E) -> PlotError {
    PlotError(format!("{e:?}"))
}

fn register_font() -> Result<(), PlotError> {
    static ONCE: Once = Once::new();
    let mut result = Ok(());
    ONCE.call_once(|| {
        result = plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES)
            .map_err(|_| PlotError("embedded DejaVu Sans font is invalid".to_owned()));
    });
    result
}

/// What a histogram plot shows: the binning, the contents and the legend's numbers. Plots
/// take this plain view rather than the histogram type, so that the histogram module builds
/// on plotting and not the other way round.
#[derive(Debug, Clone)]
pub struct Bins<'a> {
    /// Lower edge of the first bin.
    pub low: f64,
    /// Upper edge of the last bin.
    pub high: f64,
    /// Bin contents, in order.
    pub contents: &'a [f64],
    /// Sum of weights below `low` and above `high`.
    pub underflow: f64,
    /// See `underflow`.
    pub overflow: f64,
    /// Number of fills.
    pub entries: u64,
    /// Mean and RMS of the filled values.
    pub mean: f64,
    /// See `mean`.
    pub rms: f64,
    /// Axis labels and title (LaTeX-like).
    pub x_label: &'a str,
    /// See `x_label`.
    pub y_label: String,
    /// See `x_label`.
    pub title: &'a str,
}

impl Bins<'_> {
    fn low(&self) -> f64 {
        self.low
    }
    fn high(&self) -> f64 {
        self.high
    }
    fn contents(&self) -> &[f64] {
        self.contents
    }
    fn bin_low(&self, i: usize) -> f64 {
        self.low + i as f64 * (self.high - self.low) / self.contents.len().max(1) as f64
    }
    fn underflow(&self) -> f64 {
        self.underflow
    }
    fn overflow(&self) -> f64 {
        self.overflow
    }
    fn entries(&self) -> u64 {
        self.entries
    }
    fn mean(&self) -> f64 {
        self.mean
    }
    fn rms(&self) -> f64 {
        self.rms
    }
    fn x_label_text(&self) -> &str {
        self.x_label
    }
    fn y_label_text(&self) -> String {
        self.y_label.clone()
    }
    fn title_text(&self) -> &str {
        self.title
    }
}

/// Renders a histogram to PNG bytes.
pub fn hist_png(h: &Bins<'_>, width: u32, height: u32) -> Result<Vec<u8>, PlotError> {
    register_font()?;
    let mut rgb = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
        draw_hist(&root, h)?;
        root.present().map_err(plot_err)?;
    }
    Ok(encode_rgb(width, height, &rgb))
}

/// Renders a histogram to an SVG document.
pub fn hist_svg(h: &Bins<'_>, width: u32, height: u32) -> Result<String, PlotError> {
    register_font()?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        draw_hist(&root, h)?;
        root.present().map_err(plot_err)?;
    }
    Ok(svg)
}

/// Tick label text with as many decimals as the tick spacing needs.
fn tick_format(step: f64) -> impl Fn(&f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil().clamp(0.0, 6.0) as usize
    };
    move |v: &f64| format!("{:.*}", decimals, v)
}

/// The chart a histogram is drawn on: value against count, both linear.
type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

fn draw_hist<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    h: &Bins<'_>,
) -> Result<(), PlotError> {
    root.fill(&WHITE).map_err(plot_err)?;
    let (w, hgt) = root.dim_in_pixel();
    let scale = f64::from(hgt) / 600.0;
    let font_size = 22.0 * scale;
    let ymax = y_max(h);
    let (lo, hi) = (h.low(), h.high());

    let mut chart = ChartBuilder::on(root)
        .margin_top((20.0 * scale) as u32)
        .margin_right((30.0 * scale) as u32)
        .x_label_area_size((75.0 * scale) as u32)
        .y_label_area_size((100.0 * scale) as u32)
        .build_cartesian_2d(lo..hi, 0.0..ymax)
        .map_err(plot_err)?;
    draw_axes(&mut chart, (hi - lo) / 8.0, ymax / 8.0, font_size, scale)?;
    draw_steps(&mut chart, h, scale)?;
    // Close the frame (the mesh draws only the left and bottom axes).
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(lo, 0.0), (hi, ymax)],
            BLACK.stroke_width(2),
        )))
        .map_err(plot_err)?;

    let (xr, yr) = chart.plotting_area().get_pixel_range();
    draw_axis_titles(root, h, (xr.end, yr.start, yr.end), font_size, scale)?;
    draw_legend(root, h, (xr.end, yr.start), font_size * 0.8, w)?;
    Ok(())
}

/// The top of the y axis: head-room above the highest bin so the legend never covers the
/// histogram's peak.
fn y_max(h: &Bins<'_>) -> f64 {
    let ymax_data = h.contents().iter().copied().fold(0.0f64, f64::max);
    if ymax_data > 0.0 {
        ymax_data * 1.35
    } else {
        1.0
    }
}

/// The left and bottom axes with inward ticks and labels, and no grid.
fn draw_axes<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    x_step: f64,
    y_step: f64,
    font_size: f64,
    scale: f64,
) -> Result<(), PlotError> {
    let x_fmt = tick_format(x_step);
    let y_fmt = tick_format(y_step);
    let label_font = (FONT, font_size * 0.85).into_font().color(&BLACK);
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(8)
        .y_labels(8)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(label_font)
        .axis_style(BLACK.stroke_width(2))
        .set_all_tick_mark_size((8.0 * scale) as i32)
        .draw()
        .map_err(plot_err)
}

/// The histogram itself: a light fill under a step outline.
fn draw_steps<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    h: &Bins<'_>,
    scale: f64,
) -> Result<(), PlotError> {
    let bins = h.contents();
    let mut outline = Vec::with_capacity(2 * bins.len() + 2);
    outline.push((h.low(), 0.0));
    for (i, &c) in bins.iter().enumerate() {
        outline.push((h.bin_low(i), c));
        outline.push((h.bin_low(i + 1), c));
    }
    outline.push((h.high(), 0.0));
    chart
        .draw_series(std::iter::once(Polygon::new(
            outline.clone(),
            FILL.mix(0.35).filled(),
        )))
        .map_err(plot_err)?;
    chart
        .draw_series(std::iter::once(PathElement::new(
            outline,
            LINE.stroke_width((2.0 * scale).max(1.0) as u32),
        )))
        .map_err(plot_err)?;
    Ok(())
}

/// The axis titles, placed from the plotting area's right edge and its top and bottom
/// (`plot` is right, top, bottom in pixels).
fn draw_axis_titles<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    h: &Bins<'_>,
    plot: (i32, i32, i32),
    font_size: f64,
    scale: f64,
) -> Result<(), PlotError> {
    let (right, top, bottom) = plot;
    // HEP convention: x title flush right under the axis, y title flush top beside it.
    draw_rich(
        root,
        h.x_label_text(),
        (right, bottom + (58.0 * scale) as i32),
        font_size,
        HPos::Right,
    )?;
    let y_text = latex_to_unicode(&h.y_label_text());
    let y_style = (FONT, font_size)
        .into_font()
        .transform(FontTransform::Rotate270)
        .color(&BLACK)
        .pos(Pos::new(HPos::Right, VPos::Center));
    root.draw_text(&y_text, &y_style, ((18.0 * scale) as i32, top))
        .map_err(plot_err)
}

/// Draws LaTeX-like text at `anchor` (x = left or right edge per `align`, y = vertical
/// centre), with sub/superscripts smaller and shifted; returns the drawn width.
fn draw_rich<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    label: &str,
    anchor: (i32, i32),
    size: f64,
    align: HPos,
) -> Result<i32, PlotError> {
    let segments = latex_segments(label);
    let pieces: Vec<(String, f64, f64)> = segments
        .into_iter()
        .map(|(text, script)| match script {
            Script::Normal => (text, size, 0.0),
            Script::Sub => (text, size * 0.7, size * 0.28),
            Script::Sup => (text, size * 0.7, -size * 0.33),
        })
        .collect();
    let mut widths = Vec::with_capacity(pieces.len());
    for (text, sz, _) in &pieces {
        let (tw, _) = root
            .estimate_text_size(text, &(FONT, *sz).into_text_style(root))
            .map_err(plot_err)?;
        widths.push(tw as i32);
    }
    let total: i32 = widths.iter().sum();
    let mut x = if matches!(align, HPos::Right) {
        anchor.0 - total
    } else {
        anchor.0
    };
    for ((text, sz, dy), tw) in pieces.iter().zip(widths) {
        let style = (FONT, *sz)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        root.draw_text(text, &style, (x, anchor.1 + *dy as i32))
            .map_err(plot_err)?;
        x += tw;
    }
    Ok(total)
}

/// Width of LaTeX-like text as [`draw_rich`] lays it out.
fn rich_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    label: &str,
    size: f64,
) -> Result<i32, PlotError> {
    let mut total = 0;
    for (text, script) in latex_segments(label) {
        let sz = if script == Script::Normal {
            size
        } else {
            size * 0.7
        };
        let style = (FONT, sz).into_text_style(root);
        total += root.estimate_text_size(&text, &style).map_err(plot_err)?.0 as i32;
    }
    Ok(total)
}
