//! Prints the echo and the generated cell for a spec: `collm_gen SPEC.txt [--main]`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().ok_or("usage: collm_gen SPEC.txt [--main]")?;
    let text = std::fs::read_to_string(path)?;
    let t = std::time::Instant::now();
    match collm_nl::understand(&text) {
        Ok(u) => {
            let opts = collm_nl::Options::default();
            let code = if args.iter().any(|a| a == "--main") {
                collm_nl::codegen_main(&u.analysis, &opts)
            } else {
                collm_nl::codegen(&u.analysis, &opts)
            };
            let dt = t.elapsed();
            eprint!("{}", u.echo_text());
            eprintln!("understand + codegen: {dt:?}");
            print!("{code}");
            Ok(())
        }
        Err(e) => {
            eprint!("{e}");
            std::process::exit(1)
        }
    }
}
