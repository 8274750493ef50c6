//! Prints how `%%collm` reads analysis texts: `cargo run --example echo -- FILE...`. Each
//! file's echo, or the error marking the words no reading used.

fn main() {
    let mut failed = 0;
    let files: Vec<String> = std::env::args().skip(1).collect();
    for f in &files {
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{f}: {e}");
                failed += 1;
                continue;
            }
        };
        match collm_nl::understand(&text) {
            Ok(u) => {
                if std::env::var_os("QUIET").is_none() {
                    println!("== {f}\n{}", u.echo_text());
                }
            }
            Err(e) => {
                failed += 1;
                println!("== {f} FAILED\n{e}");
            }
        }
    }
    println!("{} of {} read", files.len() - failed, files.len());
}
