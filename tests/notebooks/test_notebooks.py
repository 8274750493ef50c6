"""Every tutorial under notebooks/ runs headless with nbconvert, and its
outputs have the expected types and values."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
FIXTURES = Path(__file__).parent / "fixtures"


def nbconvert(path: Path, out_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
            "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.kernel_name=collm",
            "--output-dir", str(out_dir), str(path),
        ],
        capture_output=True,
        text=True,
        cwd=path.parent,
    )


def joined(value: str | list[str]) -> str:
    """nbformat stores multi-line strings as lists of lines."""
    return "".join(value) if isinstance(value, list) else value


def outputs_of(path: Path) -> list[list[dict]]:
    """Outputs of each code cell, with every string field joined."""
    nb = json.loads(path.read_text())
    cells = []
    for c in nb["cells"]:
        if c["cell_type"] != "code":
            continue
        outs = []
        for o in c.get("outputs", []):
            o = dict(o)
            if "text" in o:
                o["text"] = joined(o["text"])
            if "data" in o:
                o["data"] = {k: joined(v) for k, v in o["data"].items()}
            outs.append(o)
        cells.append(outs)
    return cells


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_headless(notebook: Path, tmp_path: Path) -> None:
    proc = nbconvert(notebook, tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    executed = tmp_path / notebook.name
    for outputs in outputs_of(executed):
        for out in outputs:
            assert out["output_type"] != "error", out


def test_rust_basics_outputs(tmp_path: Path) -> None:
    nb = ROOT / "notebooks" / "01-rust-basics.ipynb"
    proc = nbconvert(nb, tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    cells = outputs_of(tmp_path / nb.name)
    assert cells[0][0]["data"]["text/plain"] == "13000.0"
    assert "m = 91.188 GeV" in cells[1][0]["text"]
    html = [o for o in cells[2] if o["output_type"] == "display_data"]
    assert "<table>" in html[0]["data"]["text/html"]
    # The progress display was updated in place to its final value.
    assert any(o.get("data", {}).get("text/plain") == "progress: 100%" for o in cells[2])
    assert "%lsmagic" in cells[3][0]["text"]
    timed = cells[4]
    assert any("Wall time" in o.get("text", "") for o in timed)
    assert any(o.get("data", {}).get("text/plain") == "500000500000" for o in timed)


def test_panicking_cell_fails_nbconvert_with_the_message(tmp_path: Path) -> None:
    proc = nbconvert(FIXTURES / "panics.ipynb", tmp_path)
    assert proc.returncode != 0
    assert "the detector caught fire" in proc.stderr
