//! Generator throughput: events per second on one core for every channel at pileup 0 and 200,
//! writing LHCO to a temporary file (formatting included), against the goal of 20k events/s.
//! With `-- --rss N` it instead generates N tt̄ events at pileup 200 and prints the peak
//! resident memory, to show memory is flat in the number of events.
//!
//! `cargo bench -p collm-generator --bench throughput [-- --events N | --rss N]`

use std::time::Instant;

use collm_generator::{generate, Channel, LhcoSink};

const GOAL: f64 = 20_000.0;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn arg_value(args: &[String], name: &str) -> Option<u64> {
    let i = args.iter().position(|a| a == name)?;
    args.get(i + 1)?.parse().ok()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::env::temp_dir().join(format!("collm-gen-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let out = dir.join("bench.lhco");
    if let Some(n) = arg_value(&args, "--rss") {
        let mut sink = LhcoSink::create(&out)?;
        let t = Instant::now();
        generate(Channel::Ttbar, n, 200, 1, &mut sink)?;
        let secs = t.elapsed().as_secs_f64();
        let rss = peak_rss_kib().map_or("unknown".into(), |k| format!("{} MiB", k / 1024));
        println!("ttbar pu200 {n} events: {secs:.2} s, peak RSS {rss}");
    } else {
        let n = arg_value(&args, "--events").unwrap_or(50_000);
        println!("anchor: goal {GOAL:.0} events/s per core; {n} events per run, LHCO written");
        println!(
            "{:<14} {:>6} {:>14} {:>8}",
            "channel", "pileup", "events/s", "ratio"
        );
        for channel in Channel::ALL {
            for pileup in [0, 200] {
                let mut sink = LhcoSink::create(&out)?;
                let t = Instant::now();
                generate(channel, n, pileup, 7, &mut sink)?;
                let rate = n as f64 / t.elapsed().as_secs_f64();
                println!(
                    "{:<14} {:>6} {:>14.0} {:>7.1}x",
                    channel.name(),
                    pileup,
                    rate,
                    rate / GOAL
                );
            }
        }
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
