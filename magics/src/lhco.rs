//! `%lhco FILE`: what is in an LHCO file, before writing an analysis for it.

use crate::context::MagicContext;
use crate::magic::{Magic, MagicError};
use crate::parse_args;
use clap::Parser;
use collm_analysis::lhco::{Mode, ReadReport, Reader};
use collm_analysis::text::html_escape;
use collm_analysis::{Event, Hist1D, Kind};
use serde_json::json;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Object types in table order, with the pT range of their plot.
const KINDS: [(Kind, f64); 6] = [
    (Kind::Photon, 300.0),
    (Kind::Electron, 300.0),
    (Kind::Muon, 300.0),
    (Kind::Tau, 300.0),
    (Kind::Jet, 600.0),
    (Kind::Met, 500.0),
];

/// How often the progress display is refreshed.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

/// `%lhco FILE [--lenient] [--no-plots]`.
pub struct Lhco;

/// Summarise an LHCO file: events, objects per type, multiplicities, reader
/// warnings, and pT/η plots per object type.
#[derive(Parser)]
#[command(
    name = "%lhco",
    about = "Summarise an LHCO file (.lhco or .lhco.gz): events, objects per type, multiplicities, warnings and kinematics plots"
)]
struct LhcoArgs {
    /// The file to read (plain or gzip).
    file: PathBuf,
    /// Skip broken events and stray lines, and report them, instead of stopping at the first.
    #[arg(long)]
    lenient: bool,
    /// Only the tables, no plots.
    #[arg(long)]
    no_plots: bool,
}

/// Per-type accumulators.
struct TypeStats {
    kind: Kind,
    multiplicity: Vec<u64>,
    pt: Hist1D,
    eta: Hist1D,
}

impl TypeStats {
    fn new(kind: Kind, pt_max: f64) -> TypeStats {
        let name = kind.name();
        TypeStats {
            kind,
            multiplicity: Vec::new(),
            pt: Hist1D::new(50, 0.0, pt_max)
                .x_label(if kind == Kind::Met {
                    r"E_{T}^{miss} [GeV]"
                } else {
                    r"p_{T} [GeV]"
                })
                .title(name),
            eta: Hist1D::new(50, -5.0, 5.0).x_label(r"\eta").title(name),
        }
    }

    fn add(&mut self, ev: &Event) {
        let mut n = 0;
        if self.kind == Kind::Met {
            // The event keeps its one MET row apart from the other objects.
            n = 1;
            self.pt.fill(ev.met_pt());
        }
        for o in ev.objects().iter().filter(|o| o.kind == self.kind) {
            n += 1;
            self.pt.fill(o.pt);
            self.eta.fill(o.eta);
        }
        if self.multiplicity.len() <= n {
            self.multiplicity.resize(n + 1, 0);
        }
        self.multiplicity[n] += 1;
    }
}

impl Magic for Lhco {
    crate::describe_magic!(
        "lhco",
        Line,
        "summarise an LHCO file: events, objects, warnings, kinematics plots",
        LhcoArgs
    );
    fn run(
        &self,
        args: &str,
        _body: Option<&str>,
        ctx: &mut dyn MagicContext,
    ) -> Result<(), MagicError> {
        let args: LhcoArgs = parse_args("lhco", args)?;
        let mode = if args.lenient {
            Mode::Lenient
        } else {
            Mode::Strict
        };
        let total = std::fs::metadata(&args.file).map(|m| m.len()).unwrap_or(0);
        let mut reader =
            Reader::open(&args.file, mode).map_err(|e| anyhow::anyhow!(e.to_string()))?;
        let gzip = reader.is_gzip();
        let mut stats: Vec<TypeStats> = KINDS.iter().map(|&(k, m)| TypeStats::new(k, m)).collect();
        let progress_id = format!("lhco-progress-{}", std::process::id());
        let start = Instant::now();
        let mut last = start;
        let mut shown = false;
        loop {
            let ev = match reader.next_event() {
                Ok(Some(ev)) => ev,
                Ok(None) => break,
                Err(e) => return Err(MagicError::Failed(anyhow::anyhow!(e.to_string()))),
            };
            for s in &mut stats {
                s.add(ev);
            }
            if reader.report().events % 4096 == 0 {
                ctx.check_cancelled()?;
                if last.elapsed() >= PROGRESS_EVERY {
                    last = Instant::now();
                    let data = progress(reader.report(), total, gzip, start.elapsed());
                    if shown {
                        ctx.update_display(data, json!({}), &progress_id);
                    } else {
                        ctx.display(data, json!({}), Some(&progress_id));
                        shown = true;
                    }
                }
            }
        }
        let report = reader.into_report();
        let elapsed = start.elapsed();
        if shown {
            let done = format!(
                "read {} events in {:.2} s",
                report.events,
                elapsed.as_secs_f64()
            );
            ctx.update_display(json!({"text/plain": done}), json!({}), &progress_id);
        }
        let (html, text) = summary(&args.file, &report, &stats, elapsed);
        ctx.display(
            json!({"text/html": html, "text/plain": text}),
            json!({}),
            None,
        );
        if !args.no_plots {
            let grid = plots(&stats).map_err(MagicError::Failed)?;
            if !grid.is_empty() {
                ctx.display(
                    json!({"text/html": grid, "text/plain": "pT and η distributions per object type"}),
                    json!({}),
                    None,
                );
            }
        }
        Ok(())
    }
}

fn progress(report: &ReadReport, total: u64, gzip: bool, elapsed: Duration) -> serde_json::Value {
    let rate = report.events as f64 / elapsed.as_secs_f64().max(1e-9);
    let text = if gzip || total == 0 {
        format!("{} events read ({rate:.0} events/s)", report.events)
    } else {
        let pct = 100.0 * report.bytes as f64 / total as f64;
        format!(
            "{pct:.0}%: {} events read ({rate:.0} events/s)",
            report.events
        )
    };
    let html = if gzip || total == 0 {
        format!("<progress></progress> {}", html_escape(&text))
    } else {
        format!(
            "<progress value=\"{}\" max=\"{total}\"></progress> {}",
            report.bytes.min(total),
            html_escape(&text)
        )
    };
    json!({"text/plain": text, "text/html": html})
}

fn summary(
    file: &std::path::Path,
    report: &ReadReport,
    stats: &[TypeStats],
    elapsed: Duration,
) -> (String, String) {
    let events = report.events.max(1) as f64;
    let mut html = format!(
        "<p><b>{}</b>: {} events, {} lines, read in {:.2} s</p>\n<table>\n\
         <thead><tr><th style=\"text-align:left\">type</th><th>objects</th><th>per event</th>\
         <th>events with ≥ 1</th><th>max per event</th><th>mean p<sub>T</sub> [GeV]</th></tr></thead>\n<tbody>\n",
        html_escape(&file.display().to_string()),
        report.events,
        report.lines,
        elapsed.as_secs_f64()
    );
    let mut text = format!(
        "{}: {} events, {} lines\n{:<10} {:>10} {:>10} {:>12} {:>8} {:>12}\n",
        file.display(),
        report.events,
        report.lines,
        "type",
        "objects",
        "per event",
        "events ≥ 1",
        "max",
        "mean pT"
    );
    for s in stats {
        let objects = report.count(s.kind);
        let with_one = report.events - s.multiplicity.first().copied().unwrap_or(0);
        let max = s.multiplicity.len().saturating_sub(1);
        let mean_pt = if objects > 0 { s.pt.mean() } else { f64::NAN };
        let _ = writeln!(
            html,
            "<tr><td style=\"text-align:left\">{}</td><td>{objects}</td><td>{:.3}</td><td>{with_one}</td><td>{max}</td><td>{:.1}</td></tr>",
            s.kind.name(),
            objects as f64 / events,
            mean_pt
        );
        let _ = writeln!(
            text,
            "{:<10} {:>10} {:>10.3} {:>12} {:>8} {:>12.1}",
            s.kind.name(),
            objects,
            objects as f64 / events,
            with_one,
            max,
            mean_pt
        );
    }
    html.push_str("</tbody>\n</table>\n");
    let mut warnings = Vec::new();
    if report.marker_lines > 0 {
        warnings.push(format!(
            "{} non-LHCO marker lines skipped (MG5/pythia-pgs BeginEvent and the like)",
            report.marker_lines
        ));
    }
    for (reason, n) in &report.skipped {
        warnings.push(format!("skipped ×{n}: {reason}"));
    }
    if warnings.is_empty() {
        html.push_str("<p>Reader warnings: none.</p>\n");
        text.push_str("Reader warnings: none.\n");
    } else {
        html.push_str("<p>Reader warnings:</p><ul>\n");
        text.push_str("Reader warnings:\n");
        for w in &warnings {
            let _ = writeln!(html, "<li>{}</li>", html_escape(w));
            let _ = writeln!(text, "  - {w}");
        }
        html.push_str("</ul>\n");
    }
    (html, text)
}

/// One HTML grid of PNG plots (pT and η for each type present).
fn plots(stats: &[TypeStats]) -> anyhow::Result<String> {
    let mut cells = String::new();
    for s in stats.iter().filter(|s| s.pt.entries() > 0) {
        let mut hists = vec![&s.pt];
        if s.kind != Kind::Met {
            hists.push(&s.eta);
        }
        for h in hists {
            let png = h
                .to_png_base64()
                .map_err(|e| anyhow::anyhow!("plotting {}: {e}", s.kind.name()))?;
            let _ = write!(
                cells,
                "<img style=\"width:100%\" src=\"data:image/png;base64,{png}\" alt=\"{} {}\"/>",
                s.kind.name(),
                html_escape(h.x_label_text())
            );
        }
    }
    if cells.is_empty() {
        return Ok(String::new());
    }
    Ok(format!(
        "<div style=\"display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:8px\">{cells}</div>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Recorded, RecordingContext, Registry};
    use std::sync::Arc;

    const SAMPLE: &str = "# comment\n\
    0 1 0\n\
    1 2 -0.5 1.0 40.0 0.1 -1 0 0 0 0\n\
    2 4 1.2 2.0 60.0 8.0 5 1 2.0 0 0\n\
    3 6 0.0 3.0 25.0 0.0 0 0 0 0 0\n\
    0 2 0\n\
    1 2 0.5 -2.0 35.0 0.1 1 0 0 0 0\n\
    2 2 -1.0 0.5 30.0 0.1 -1 0 0 0 0\n\
    3 6 0.0 1.0 12.0 0.0 0 0 0 0 0\n";

    fn run(args: &str) -> (RecordingContext, Result<(), MagicError>) {
        let mut r = Registry::default();
        r.register(Arc::new(Lhco));
        let mut ctx = RecordingContext::default();
        let res = r.run("lhco", args, None, &mut ctx);
        (ctx, res)
    }

    fn write_sample(name: &str, text: &str) -> PathBuf {
        let path = std::env::temp_dir().join(format!("collm-lhco-{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn summarises_counts_and_plots() {
        let path = write_sample("ok.lhco", SAMPLE);
        let (ctx, res) = run(&path.display().to_string());
        res.unwrap();
        let Recorded::Display(data, _, None) = &ctx.outputs[0] else {
            panic!("expected the summary first, got {:?}", ctx.outputs[0]);
        };
        let text = data["text/plain"].as_str().unwrap();
        assert!(text.contains(": 2 events"), "{text}");
        let muon = text.lines().find(|l| l.starts_with("muon")).unwrap();
        let cols: Vec<&str> = muon.split_whitespace().collect();
        assert_eq!(cols[1..5], ["3", "1.500", "2", "2"], "{muon}");
        let Recorded::Display(grid, _, None) = &ctx.outputs[1] else {
            panic!("expected the plot grid")
        };
        assert!(grid["text/html"]
            .as_str()
            .unwrap()
            .contains("data:image/png;base64,"));
        std::fs::remove_file(path).ok();
    }

    #[test]
    fn strict_errors_name_file_and_line() {
        let broken = SAMPLE.replace("2 4 1.2 2.0 60.0", "2 4 1.2 two 60.0");
        let path = write_sample("bad.lhco", &broken);
        let (_, res) = run(&format!("{} --no-plots", path.display()));
        let msg = res.unwrap_err().to_string();
        assert!(msg.contains("bad.lhco:4"), "{msg}");
        let (ctx, res) = run(&format!("{} --lenient --no-plots", path.display()));
        res.unwrap();
        let Recorded::Display(data, _, None) = &ctx.outputs[0] else {
            panic!()
        };
        let text = data["text/plain"].as_str().unwrap();
        assert!(text.contains(": 1 events"), "{text}");
        assert!(text.contains("skipped ×1"), "{text}");
        std::fs::remove_file(path).ok();
    }

    #[test]
    fn missing_file_is_a_clear_error() {
        let (_, res) = run("/no/such/file.lhco");
        let msg = res.unwrap_err().to_string();
        assert!(msg.contains("/no/such/file.lhco"), "{msg}");
    }
}
