//! The interpreter without sockets: execute, errors, interrupts and is_complete, called
//! directly on [`CollmInterpreter`] with outputs read from the publisher's channel.
//!
//! This test binary is its own harness: evcxr runs cells in a child process started from
//! the current executable, so `main` must hand over to evcxr's runtime hook first, as the
//! kernel binary does.

use collm_kernel::interpreter::{
    CollmInterpreter, Completeness, ExecuteRequest, Executed, Interpreter, QuickAnswers,
};
use collm_kernel::interrupt::Interrupt;
use collm_kernel::publish::Publisher;
use collm_kernel::stdin::StdinBridge;
use collm_kernel::wire::Message;
use collm_magics::{Magic, MagicContext, MagicError, MagicKind, Magics};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedReceiver;

/// A magic that waits until the cell is interrupted.
struct WaitMagic;

impl Magic for WaitMagic {
    fn name(&self) -> &'static str {
        "wait_for_interrupt"
    }
    fn kind(&self) -> MagicKind {
        MagicKind::Line
    }
    fn summary(&self) -> &'static str {
        "waits until interrupted (test only)"
    }
    fn command(&self) -> clap::Command {
        clap::Command::new("wait_for_interrupt")
    }
    fn run(&self, _: &str, _: Option<&str>, ctx: &mut dyn MagicContext) -> Result<(), MagicError> {
        let token = ctx.cancel_token();
        let start = Instant::now();
        while !token.is_cancelled() {
            if start.elapsed() > Duration::from_secs(60) {
                return Err(MagicError::Failed(anyhow::anyhow!("never interrupted")));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Err(MagicError::Cancelled)
    }
}

struct Fixture {
    interp: CollmInterpreter,
    outputs: UnboundedReceiver<Message>,
}

impl Fixture {
    fn new() -> Fixture {
        let (tx, outputs) = tokio::sync::mpsc::unbounded_channel();
        let publisher = Publisher::new(tx, "test");
        let (stdin_tx, _stdin_rx) = tokio::sync::mpsc::unbounded_channel();
        let (_reply_tx, reply_rx) = std::sync::mpsc::channel();
        let mut magics = Magics::all();
        magics.registry.register(Arc::new(WaitMagic));
        let stdin = StdinBridge::new(stdin_tx, reply_rx);
        let interrupt = Arc::new(Interrupt::default());
        Fixture {
            interp: CollmInterpreter::new(publisher, stdin, interrupt, magics),
            outputs,
        }
    }

    fn run(&mut self, code: &str) -> Executed {
        let request = ExecuteRequest {
            code: Some(code.to_string()),
            ..ExecuteRequest::default()
        };
        self.interp.execute(&request)
    }

    /// The stream text published since the last call.
    fn streamed(&mut self) -> String {
        let mut text = String::new();
        while let Ok(msg) = self.outputs.try_recv() {
            if msg.msg_type() == "stream" {
                text.push_str(msg.content["text"].as_str().unwrap_or_default());
            }
        }
        text
    }
}

fn plain(executed: &Executed) -> Option<String> {
    let bundle = executed.outcome.as_ref().ok()?.as_ref()?;
    Some(bundle.get("text/plain")?.as_str()?.to_string())
}

fn ename(executed: &Executed) -> String {
    match &executed.outcome {
        Ok(_) => "ok".to_string(),
        Err(e) => e.ename.clone(),
    }
}

fn is_complete(f: &mut Fixture) -> Result<(), String> {
    let quick = f.interp.quick();
    let cases = [
        ("let x = 1;", Completeness::Complete),
        ("fn f() {", Completeness::Incomplete("    ".to_string())),
        ("let s = \"open", Completeness::Incomplete(String::new())),
        ("let x = (1, 2];", Completeness::Invalid),
        ("%%collm\nSelect events with", Completeness::Complete),
    ];
    for (code, want) in cases {
        let got = quick.is_complete(code);
        if got != want {
            return Err(format!("is_complete({code:?}) = {got:?}, want {want:?}"));
        }
    }
    let info = quick.kernel_info();
    if info.language != "rust" || info.implementation != "collm" {
        return Err(format!("kernel_info: {info:?}"));
    }
    Ok(())
}

fn execute_value_and_stream(f: &mut Fixture) -> Result<(), String> {
    let done = f.run("println!(\"hello from a cell\");\n40 + 2");
    if plain(&done).as_deref() != Some("42") {
        return Err(format!("40 + 2 gave {:?}", done.outcome));
    }
    let streamed = f.streamed();
    if !streamed.contains("hello from a cell") {
        return Err(format!("stdout not published: {streamed:?}"));
    }
    let later = f.run("let kept = 7;");
    if later.outcome.is_err() {
        return Err(format!("let failed: {:?}", later.outcome));
    }
    let again = f.run("kept * 6");
    if plain(&again).as_deref() != Some("42") {
        return Err(format!("a variable did not persist: {:?}", again.outcome));
    }
    Ok(())
}

fn execute_errors(f: &mut Fixture) -> Result<(), String> {
    let cases = [
        ("let n: u32 = \"x1\".parse()?;", "ParseIntError"),
        ("let v: Vec<u8> = Vec::new(); v[3]", "Panic"),
        ("let x: u32 = \"text\";", "CompileError"),
        ("%no_such_magic", "UsageError"),
    ];
    for (code, want) in cases {
        let got = f.run(code);
        if ename(&got) != want {
            return Err(format!("{code:?} failed as {:?}, want {want}", got.outcome));
        }
    }
    let missing = f.interp.execute(&ExecuteRequest::default());
    if ename(&missing) != "BadRequest" {
        return Err(format!("no code: {:?}", missing.outcome));
    }
    let survived = f.run("kept + 1");
    if plain(&survived).as_deref() != Some("8") {
        return Err(format!("state lost after errors: {:?}", survived.outcome));
    }
    Ok(())
}

fn interrupt_after(quick: Arc<dyn QuickAnswers>, delay: Duration) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        std::thread::sleep(delay);
        quick.interrupt();
    })
}

fn interrupt_magic_and_rust(f: &mut Fixture) -> Result<(), String> {
    let firing = interrupt_after(f.interp.quick(), Duration::from_millis(300));
    let waited = f.run("%wait_for_interrupt");
    let _ = firing.join();
    if ename(&waited) != "Interrupted" {
        return Err(format!("magic: {:?}", waited.outcome));
    }
    let survived = f.run("kept + 2");
    if plain(&survived).as_deref() != Some("9") {
        return Err(format!(
            "a magic's interrupt lost state: {:?}",
            survived.outcome
        ));
    }
    let firing = interrupt_after(f.interp.quick(), Duration::from_secs(3));
    let looped = f.run("loop { std::thread::sleep(std::time::Duration::from_millis(5)); }");
    let _ = firing.join();
    if ename(&looped) != "Interrupted" {
        return Err(format!("Rust loop: {:?}", looped.outcome));
    }
    let after = f.run("1 + 1");
    if plain(&after).as_deref() != Some("2") {
        return Err(format!(
            "no cell runs after an interrupt: {:?}",
            after.outcome
        ));
    }
    Ok(())
}

fn complete_and_inspect(f: &mut Fixture) -> Result<(), String> {
    let code = "%simu";
    let c = f.interp.complete(code, code.len());
    if !c.matches.iter().any(|m| m == "%simulate") || (c.start, c.end) != (0, code.len()) {
        return Err(format!("magic completion: {c:?}"));
    }
    let help = f.interp.inspect("%collm", 3).unwrap_or_default();
    if !help.contains("Usage") {
        return Err(format!("magic help: {help:?}"));
    }
    Ok(())
}

type Case = (&'static str, fn(&mut Fixture) -> Result<(), String>);

fn main() {
    evcxr::runtime_hook();
    if let Err(e) = collm_kernel::cellcache::own_evcxr_config() {
        eprintln!("cannot set up evcxr: {e:#}");
        std::process::exit(1);
    }
    let _slot = collm_kernel::cellcache::claim_build_slot();
    let cases: [Case; 5] = [
        ("is_complete_and_kernel_info", is_complete),
        ("execute_value_and_stream", execute_value_and_stream),
        ("execute_errors", execute_errors),
        ("interrupt_magic_and_rust", interrupt_magic_and_rust),
        ("complete_and_inspect", complete_and_inspect),
    ];
    let mut fixture = Fixture::new();
    let mut failed = 0;
    println!("\nrunning {} tests", cases.len());
    for (name, case) in cases {
        match case(&mut fixture) {
            Ok(()) => println!("test {name} ... ok"),
            Err(e) => {
                failed += 1;
                println!("test {name} ... FAILED\n  {e}");
            }
        }
    }
    let status = if failed == 0 { "ok" } else { "FAILED" };
    let passed = cases.len() - failed;
    println!("\ntest result: {status}. {passed} passed; {failed} failed; 0 ignored");
    std::process::exit(i32::from(failed > 0));
}
