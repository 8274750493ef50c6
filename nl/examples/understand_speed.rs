//! How long the understanding step takes per spec, over the whole corpus: the median of
//! several runs of `understand` for each spec, then the median, 90th percentile and maximum
//! over the specs, beside an anchor run in the same process (splitting the same specs into
//! items, the cheapest step). The budget is 5 ms per spec (median). Run in release:
//! `cargo run --release -p collm-nl --example understand_speed -- tests/collm-corpus/*.txt`.

use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let specs: Vec<(String, String)> = std::env::args()
        .skip(1)
        .filter_map(|p| Some((p.clone(), std::fs::read_to_string(&p).ok()?)))
        .collect();
    if specs.is_empty() {
        eprintln!("usage: understand_speed SPEC.txt...");
        std::process::exit(2);
    }
    let mut understand = Vec::new();
    let mut anchor = Vec::new();
    let mut unread = 0;
    for (_, text) in &specs {
        unread += usize::from(collm_nl::understand(text).is_err());
        understand.push(time(9, || {
            let _ = std::hint::black_box(collm_nl::understand(text));
        }));
        anchor.push(time(9, || {
            std::hint::black_box(collm_nl::spec::items(text));
        }));
    }
    let mut sorted = understand.clone();
    sorted.sort();
    let (med, p90, max) = (
        sorted[sorted.len() / 2],
        sorted[sorted.len() * 9 / 10],
        sorted[sorted.len() - 1],
    );
    let anchor_med = median(anchor);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("specs: {} ({} not understood)", specs.len(), unread);
    println!(
        "understand per spec: median {:.3} ms, p90 {:.3} ms, max {:.3} ms",
        ms(med),
        ms(p90),
        ms(max)
    );
    println!("anchor (split into items): median {:.3} ms", ms(anchor_med));
    println!(
        "ratio understand/anchor: {:.1}x; median against the 5 ms budget: {:.2}",
        med.as_secs_f64() / anchor_med.as_secs_f64().max(1e-9),
        ms(med) / 5.0
    );
}
