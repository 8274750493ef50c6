"""A failure is a failure: an `Err` through `?` fails the cell as an exception fails a Python
cell, a broken `%%collm` analysis fails its cell, and `collm run` says why in its exit
status."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import Kernel, collm_exe

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "notebooks" / "data" / "ww_lnujj_10k.lhco.gz"
WW_SPEC = Path(__file__).parent / "ww_spec.txt"
MALFORMED = ROOT / "tests" / "malformed-lhco"
MET_SPEC = Path(__file__).parent / "met_spec.txt"
# The API the MET-only analysis uses, with a reader that panics: a failure at run time that is
# neither the data's nor the output's.
FAKE_API = """
pub use crate::{lhco, output, Cutflow, Features};
}
pub struct Cutflow;
impl Cutflow {
    pub fn with_steps<const N: usize>(_: [&str; N]) -> Self { Cutflow }
    pub fn start(&mut self) {}
    pub fn pass(&mut self, _: &str, ok: bool) -> bool { ok }
    pub fn show(&self) {}
    pub fn write_csv(&self, _: std::path::PathBuf) -> std::io::Result<()> { Ok(()) }
}
pub struct Features;
impl Features {
    pub fn new<const N: usize>(_: [&str; N]) -> Self { Features }
    pub fn push(&mut self, _: u64, _: &[f64]) {}
    pub fn write_csv(&self, _: std::path::PathBuf) -> std::io::Result<()> { Ok(()) }
}
pub struct Met;
impl Met { pub fn pt(&self) -> f64 { 0.0 } }
pub struct Event { pub number: u64 }
impl Event { pub fn met(&self) -> Met { Met } }
pub mod lhco {
    pub fn read(_: &&str) -> std::io::Result<Vec<std::io::Result<crate::Event>>> {
        panic!("the reader exploded")
    }
}
pub mod output {
    pub fn clear(_: &std::path::Path, _: &[&str]) -> std::io::Result<()> { Ok(()) }
    pub fn write_bytes(_: std::path::PathBuf, _: &[u8]) -> std::io::Result<()> { Ok(()) }
"""


def fake_analysis(dir: Path, prelude_items: str) -> dict[str, str]:
    """An environment whose `:dep collm-analysis` is a stand-in crate with this prelude."""
    (dir / "src").mkdir(parents=True)
    (dir / "Cargo.toml").write_text(
        '[package]\nname = "collm-analysis"\nversion = "0.1.0"\nedition = "2021"\n'
    )
    (dir / "src" / "lib.rs").write_text(f"pub mod prelude {{{prelude_items}}}\n")
    return {**os.environ, "COLLM_ANALYSIS_DIR": str(dir)}


def assert_failed(r, ename: str, evalue_words: str) -> None:
    c = r.reply["content"]
    assert r.status == "error", c
    assert c["ename"] == ename, c
    assert evalue_words in c["evalue"], c
    errors = r.of_type("error")
    assert len(errors) == 1, "the error is published once on iopub"
    assert errors[0]["content"]["ename"] == ename
    assert errors[0]["content"]["traceback"] == c["traceback"]


def test_err_through_question_mark_fails_the_cell_and_keeps_earlier_variables(
    kernel: Kernel,
) -> None:
    assert kernel.execute("let kept = 41;").status == "ok"
    r = kernel.execute('let r: Result<i32, &str> = Err("bad thing");\nlet lost = 1;\nr?;')
    assert_failed(r, "Error", "bad thing")
    tb = r.reply["content"]["traceback"]
    assert tb[0] == "Error: bad thing"
    assert any("`r?`" in line for line in tb), tb
    assert "bad thing" not in r.stream("stderr"), "the message is not repeated on stderr"
    after = kernel.execute("kept + 1")
    assert after.status == "ok"
    assert after.of_type("execute_result")[0]["content"]["data"]["text/plain"] == "42"


def test_io_error_names_its_type_and_the_call(kernel: Kernel, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-file.txt"
    r = kernel.execute(f'let text = std::fs::read_to_string("{missing}")?;\ntext.len()')
    assert_failed(r, "io::Error", "No such file or directory")
    assert any("read_to_string" in line for line in r.reply["content"]["traceback"])


def test_error_causes_appear_in_the_traceback(kernel: Kernel) -> None:
    defs = kernel.execute(
        "#[derive(Debug)] struct LoadError(std::num::ParseIntError);\n"
        "impl std::fmt::Display for LoadError {\n"
        '    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result { write!(f, "could not load the run number") }\n'
        "}\n"
        "impl std::error::Error for LoadError {\n"
        "    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> { Some(&self.0) }\n"
        "}\n"
        'fn run_number(s: &str) -> Result<u32, LoadError> { s.trim().parse().map_err(LoadError) }'
    )
    assert defs.status == "ok", defs.reply["content"]
    r = kernel.execute('let n = run_number("12a")?;\nn')
    assert_failed(r, "LoadError", "could not load the run number")
    tb = r.reply["content"]["traceback"]
    assert "  caused by: invalid digit found in string" in tb, tb


def test_display_output_sent_before_the_error_stays(kernel: Kernel) -> None:
    r = kernel.execute(
        'collm::display("text/plain", "halfway there");\n'
        'let e: Result<(), String> = Err(String::from("then it broke"));\ne?;'
    )
    assert_failed(r, "Error", "then it broke")
    shown = [d["content"]["data"].get("text/plain") for d in r.of_type("display_data")]
    assert "halfway there" in shown


def test_question_marks_handled_inside_the_cell_do_not_fail_it(kernel: Kernel) -> None:
    r = kernel.execute(
        'fn first(v: &[i32]) -> Option<i32> { let x = v.first()?; Some(*x) }\n'
        "{\n"
        "    let parse = |s: &str| -> Result<i32, std::num::ParseIntError> { Ok(s.parse::<i32>()? * 2) };\n"
        '    let x: i32 = "20".parse()?;\n'
        '    format!("{} {} {:?}", x + 1, parse("x").is_err(), first(&[]))\n'
        "}"
    )
    assert r.status == "ok", r.reply["content"]
    assert r.of_type("execute_result")[0]["content"]["data"]["text/plain"] == '"21 true None"'


def test_a_question_mark_error_aborts_queued_cells(kernel: Kernel) -> None:
    failing = kernel.kc.execute('let e: Result<(), &str> = Err("stop here"); e?;')
    queued = kernel.kc.execute("1 + 1")
    first = kernel.shell_reply(failing, timeout=120)
    second = kernel.shell_reply(queued, timeout=120)
    kernel.drain_iopub()
    assert first["content"]["status"] == "error"
    assert second["content"]["status"] == "aborted"


def test_collm_analysis_on_a_malformed_file_fails_its_cell(kernel: Kernel, tmp_path: Path) -> None:
    out = tmp_path / "out"
    bad = MALFORMED / "text_in_eta.lhco"
    r = kernel.execute(f"%%collm --data {bad} --out {out}\n{WW_SPEC.read_text()}", timeout=600)
    c = r.reply["content"]
    assert r.status == "error", c
    assert c["ename"] == "lhco::Error", c
    assert f"{bad}:6: invalid number (column eta: `abc`)" in c["evalue"], c
    assert not (out / "features.csv").exists()


def collm_run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [collm_exe(), "run", *args], capture_output=True, text=True, timeout=900,
        env=env, stdin=subprocess.DEVNULL,
    )


def test_collm_run_help_documents_the_exit_codes() -> None:
    proc = collm_run("--help")
    assert proc.returncode == 0
    for code, words in [("3", "text"), ("4", "data"), ("5", "compile"), ("6", "ran"),
                        ("7", "output")]:
        assert any(line.strip().startswith(code) and words in line
                   for line in proc.stdout.splitlines()), proc.stdout


def test_collm_run_exit_codes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    ok = collm_run(str(WW_SPEC), "--data", str(DATA), "--out", str(out))
    assert ok.returncode == 0, ok.stderr
    assert f"outputs in {out}" in ok.stdout
    assert (out / "features.csv").exists()
    analysis = (out / "analysis.rs").read_text()
    assert analysis.startswith(":dep collm-analysis") and "// ---- finalize ----" in analysis

    unreadable = tmp_path / "moon.txt"
    unreadable.write_text("[SELECTION_CUTS]\n- Require the moon to be full\n")
    text = collm_run(str(unreadable), "--data", str(DATA), "--out", str(tmp_path / "t"))
    assert text.returncode == 3, text.stderr
    assert collm_run(str(tmp_path / "absent.txt"), "--data", str(DATA)).returncode == 3

    bad = MALFORMED / "negative_pt.lhco"
    data = collm_run(str(WW_SPEC), "--data", str(bad), "--out", str(out))
    assert data.returncode == 4, data.stderr
    assert f"{bad}:6:" in data.stderr
    assert "outputs in" not in data.stdout
    assert not (out / "features.csv").exists(), "the earlier run's results are not left behind"
    assert collm_run(str(WW_SPEC), "--data", str(tmp_path / "absent.lhco")).returncode == 4

    compiled = collm_run(str(MET_SPEC), "--data", str(DATA), "--out", str(tmp_path / "c"),
                         env=fake_analysis(tmp_path / "empty", prelude_items=""))
    assert compiled.returncode == 5, compiled.stderr
    assert "CompileError" in compiled.stderr

    ran = collm_run(str(MET_SPEC), "--data", str(DATA), "--out", str(tmp_path / "r"),
                    env=fake_analysis(tmp_path / "panics", prelude_items=FAKE_API))
    assert ran.returncode == 6, ran.stderr
    assert "the reader exploded" in ran.stderr
    assert "outputs in" not in ran.stdout

    other = collm_run(str(MET_SPEC), "--data", str(DATA), "--model", str(tmp_path / "no-model"))
    assert other.returncode == 1, other.stderr
    assert "--model" in other.stderr

    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the output folder should be")
    output = collm_run(str(WW_SPEC), "--data", str(DATA), "--out", str(blocked))
    assert output.returncode == 7, output.stderr
    assert "OutputError" in output.stderr and str(blocked) in output.stderr


def test_collm_run_lenient_reads_past_broken_events(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = collm_run(str(MET_SPEC), "--data", str(MALFORMED / "negative_pt.lhco"), "--out",
                     str(out), "--lenient")
    assert proc.returncode == 0, proc.stderr
    assert "negative pT ×1" in proc.stdout or "×1" in proc.stdout, proc.stdout
    assert (out / "features.csv").read_text().splitlines()[0] == "event,met"


def test_collm_run_repairs_an_analysis_and_max_fix_0_turns_that_off(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = collm_run(str(MET_SPEC), "--data", str(DATA), "--out", str(out))
    assert first.returncode == 0, first.stderr
    broken = tmp_path / "broken.rs"
    code = (out / "analysis.rs").read_text()
    broken.write_text(code.replace("use collm_analysis::prelude::*;\n", ""))
    assert "prelude" not in broken.read_text()

    refused = collm_run(str(broken), "--max-fix", "0")
    assert refused.returncode == 5, refused.stderr
    assert "Repair 1/" not in refused.stdout

    repaired = collm_run(str(broken))
    assert repaired.returncode == 0, repaired.stderr
    assert "Repair 1/3 (rules)" in repaired.stdout
    ran = (out / "analysis.rs").read_text()
    assert "use collm_analysis::prelude::*;" in ran, "analysis.rs is the repaired code that ran"
    assert (out / "features.csv").exists()

    with_data = collm_run(str(broken), "--data", str(DATA))
    assert with_data.returncode == 2, with_data.stderr
    assert collm_run(str(MET_SPEC)).returncode == 2, "an analysis text needs --data"
