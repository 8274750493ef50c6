//! Parse-only throughput of the LHCO reader on one file, single-threaded and in parallel.
//!
//! Usage: `cargo bench -p collm-analysis --bench lhco_parse -- FILE [THREADS [RUNS]]`
//! (bench/lhco_ww.sh runs it on the generated benchmark file). Prints one `parse` line per mode
//! with MB/s and events/s of the best of RUNS (default 3) runs, in a form the script greps: on a
//! shared machine the fastest run is the one least disturbed by other work.

use std::time::Instant;

use collm_analysis::lhco::{self, Mode};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(path) = args.first() else {
        eprintln!("usage: lhco_parse FILE [THREADS]");
        std::process::exit(2);
    };
    let threads: usize = args.get(1).and_then(|t| t.parse().ok()).unwrap_or(2);
    let runs: usize = args.get(2).and_then(|t| t.parse().ok()).unwrap_or(3).max(1);
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) as f64;

    // Warm the page cache so both modes measure parsing, not the disk.
    if let Err(e) = lhco::open(path).and_then(|r| r.for_each(|_| {})) {
        eprintln!("{e}");
        std::process::exit(1);
    }
    for t in [1, threads] {
        let mut secs = f64::INFINITY;
        let mut result = Ok((0, Default::default()));
        for _ in 0..runs {
            let start = Instant::now();
            result = lhco::par_fold(
                path,
                Mode::Strict,
                t,
                || 0u64,
                |n, ev| {
                    *n += ev.objects().len() as u64 + 1;
                },
            );
            secs = secs.min(start.elapsed().as_secs_f64());
            if result.is_err() {
                break;
            }
        }
        match result {
            Ok((objects, report)) => println!(
                "parse threads={t} events={} objects={objects} seconds={secs:.3} MB/s={:.1} events/s={:.0}",
                report.events,
                bytes / secs / 1e6,
                report.events as f64 / secs
            ),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
    }
}
