"""The malformed-LHCO corpus (tests/malformed-lhco, made by make.py there) through the two
ways a physicist meets a broken file: `%lhco` in a notebook and `collm run` in a script.
Each file must fail with a message naming the file and line; lenient mode reads what can be
read and reports the rest by reason."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
import subprocess
from pathlib import Path

import pytest

from conftest import Kernel, collm_exe

CORPUS = Path(__file__).resolve().parents[1] / "malformed-lhco"
CASES = json.loads((CORPUS / "cases.json").read_text())
IDS = [c["file"] for c in CASES]
# The smallest analysis, so that each `collm run` spends its time on the file, not compiling.
SPEC = "[SELECTION_CUTS]\n- Require MET > 30 GeV\n[OUTPUT_STRUCTURE]\n- Save the MET in a CSV file\n"


def place(case: dict) -> str:
    path = CORPUS / case["file"]
    return f"{path}:{case['line']}:" if case["line"] else str(path)


def test_the_corpus_is_complete() -> None:
    assert len(CASES) >= 30
    for c in CASES:
        assert (CORPUS / c["file"]).is_file(), f"{c['file']} missing: run make.py"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_lhco_magic_fails_naming_file_and_line(kernel: Kernel, case: dict) -> None:
    r = kernel.execute(f"%lhco {CORPUS / case['file']} --no-plots")
    c = r.reply["content"]
    assert r.status == "error", c
    assert place(case) in c["evalue"], c["evalue"]
    assert case["words"] in c["evalue"], c["evalue"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_lenient_mode_reads_what_it_can(kernel: Kernel, case: dict) -> None:
    r = kernel.execute(f"%lhco {CORPUS / case['file']} --no-plots --lenient")
    c = r.reply["content"]
    if case["lenient"] == "error":
        assert r.status == "error", c
        assert str(CORPUS / case["file"]) in c["evalue"], c["evalue"]
        return
    assert r.status == "ok", c
    summary = r.of_type("display_data")[-1]["content"]["data"]["text/plain"]
    assert "skipped" in summary and "×1" in summary, summary


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spec") / "met.txt"
    path.write_text(SPEC)
    return path


def collm_run(spec: Path, case: dict, out: Path) -> str:
    """Runs one file; returns what is wrong with the outcome ("" when it is right)."""
    proc = subprocess.run(
        [collm_exe(), "run", str(spec), "--data", str(CORPUS / case["file"]), "--out", str(out)],
        capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL,
    )
    problems = []
    if proc.returncode != 4:
        problems.append(f"exit {proc.returncode}, not 4")
    if place(case) not in proc.stderr or case["words"] not in proc.stderr:
        problems.append(f"message lacks `{place(case)}` or `{case['words']}`")
    if "outputs in" in proc.stdout or (out / "features.csv").exists():
        problems.append("claims or leaves outputs")
    return f"{case['file']}: {'; '.join(problems)}\n{proc.stderr}" if problems else ""


def test_collm_run_exits_4_naming_file_and_line(spec: Path, tmp_path: Path) -> None:
    # Each run starts its own Rust engine; three at a time keep the two cores busy.
    with ThreadPoolExecutor(max_workers=3) as pool:
        outcomes = pool.map(lambda c: collm_run(spec, c, tmp_path / c["file"]), CASES)
        failures = [o for o in outcomes if o]
    assert not failures, "\n".join(failures)
