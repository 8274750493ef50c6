//! The statistics box drawn over a histogram: heading with a swatch of the histogram's look,
//! then entries, mean, RMS and any under/overflow.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{draw_rich, plot_err, rich_width, Bins, PlotError, FILL, FONT, LINE};

/// The statistics box in the top-right corner, as ROOT and most HEP plots show it.
pub(super) fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    h: &Bins<'_>,
    top_right: (i32, i32),
    size: f64,
    canvas_width: u32,
) -> Result<(), PlotError> {
    let name = legend_name(h);
    let rows = legend_rows(h);
    let b = LegendBox::fit(root, &name, &rows, top_right, size, canvas_width)?;
    b.draw_frame(root)?;
    let font = (FONT, size).into_font();
    let left = Pos::new(HPos::Left, VPos::Center);
    let right = Pos::new(HPos::Right, VPos::Center);
    draw_rich(
        root,
        &name,
        (b.x0 + 2 * b.pad + b.swatch, b.mid),
        size,
        HPos::Left,
    )?;
    for (i, (k, v)) in rows.iter().enumerate() {
        let y = b.mid + b.line_h * (i as i32 + 1);
        root.draw_text(k, &font.color(&BLACK).pos(left), (b.x0 + b.pad, y))
            .map_err(plot_err)?;
        root.draw_text(v, &font.color(&BLACK).pos(right), (b.x1 - b.pad, y))
            .map_err(plot_err)?;
    }
    Ok(())
}

/// The legend's heading: the title, else the x label without its unit.
fn legend_name(h: &Bins<'_>) -> String {
    if !h.title_text().is_empty() {
        h.title_text().to_owned()
    } else {
        let x = h.x_label_text();
        x.split('[').next().unwrap_or(x).trim().to_owned()
    }
}

/// The legend's key/value lines; under- and overflow only when there is any.
fn legend_rows(h: &Bins<'_>) -> Vec<(String, String)> {
    let mut rows = vec![
        ("Entries".to_owned(), h.entries().to_string()),
        ("Mean".to_owned(), format_stat(h.mean())),
        ("RMS".to_owned(), format_stat(h.rms())),
    ];
    if h.underflow() > 0.0 || h.overflow() > 0.0 {
        rows.push((
            "Under/over".to_owned(),
            format!(
                "{} / {}",
                format_stat(h.underflow()),
                format_stat(h.overflow())
            ),
        ));
    }
    rows
}

/// Where the legend's box and its parts go, in pixels.
struct LegendBox {
    x0: i32,
    x1: i32,
    y0: i32,
    height: i32,
    /// Vertical centre of the heading line.
    mid: i32,
    line_h: i32,
    pad: i32,
    swatch: i32,
}

impl LegendBox {
    /// A box wide enough for the heading and the widest key and value, at most half the
    /// canvas, hanging below and left of `top_right`.
    fn fit<DB: DrawingBackend>(
        root: &DrawingArea<DB, Shift>,
        name: &str,
        rows: &[(String, String)],
        top_right: (i32, i32),
        size: f64,
        canvas_width: u32,
    ) -> Result<LegendBox, PlotError> {
        let line_h = (size * 1.35) as i32;
        let pad = (size * 0.6) as i32;
        let measure = (FONT, size).into_text_style(root);
        let mut key_w = 0;
        let mut val_w = 0;
        for (k, v) in rows {
            key_w = key_w.max(root.estimate_text_size(k, &measure).map_err(plot_err)?.0 as i32);
            val_w = val_w.max(root.estimate_text_size(v, &measure).map_err(plot_err)?.0 as i32);
        }
        let swatch = (size * 1.8) as i32;
        let name_w = rich_width(root, name, size)? + swatch + pad;
        let box_w = (key_w + val_w + 3 * pad).max(name_w + 2 * pad);
        let box_w = box_w.min(canvas_width as i32 / 2);
        let height = line_h * (rows.len() as i32 + 1) + pad;
        let x1 = top_right.0 - (size * 0.8) as i32;
        let y0 = top_right.1 + (size * 0.8) as i32;
        Ok(LegendBox {
            x0: x1 - box_w,
            x1,
            y0,
            height,
            mid: y0 + pad / 2 + line_h / 2,
            line_h,
            pad,
            swatch,
        })
    }

    /// The white box with its border, and the swatch that repeats the histogram's look.
    fn draw_frame<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), PlotError> {
        let corners = [(self.x0, self.y0), (self.x1, self.y0 + self.height)];
        root.draw(&Rectangle::new(corners, WHITE.filled()))
            .map_err(plot_err)?;
        root.draw(&Rectangle::new(corners, BLACK.stroke_width(1)))
            .map_err(plot_err)?;
        let swatch = [
            (self.x0 + self.pad, self.mid - self.line_h / 4),
            (self.x0 + self.pad + self.swatch, self.mid + self.line_h / 4),
        ];
        root.draw(&Rectangle::new(swatch, FILL.mix(0.35).filled()))
            .map_err(plot_err)?;
        root.draw(&Rectangle::new(swatch, LINE.stroke_width(2)))
            .map_err(plot_err)?;
        Ok(())
    }
}

/// Four significant digits, switching to exponent form for very small or large values.
fn format_stat(v: f64) -> String {
    if !v.is_finite() {
        return "—".to_owned();
    }
    let a = v.abs();
    if a == 0.0 {
        // Both zeros read `0`: a `-0` in a legend reads as a bug.
        return "0".to_owned();
    }
    if !(1e-3..1e6).contains(&a) {
        format!("{v:.3e}")
    } else {
        let decimals = (3 - a.log10().floor() as i32).clamp(0, 6) as usize;
        format!("{v:.decimals$}")
    }
}

#[cfg(test)]
mod tests {
    use super::format_stat;

    #[test]
    fn legend_numbers_are_short_and_never_negative_zero() {
        assert_eq!(format_stat(-0.0), "0");
        assert_eq!(format_stat(0.0), "0");
        assert_eq!(format_stat(91.1876), "91.19");
        assert_eq!(format_stat(-2.5), "-2.500");
        assert_eq!(format_stat(2.0e7), "2.000e7");
        assert_eq!(format_stat(f64::NAN), "—");
    }
}
