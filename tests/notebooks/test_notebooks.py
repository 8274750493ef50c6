"""Every tutorial under notebooks/ runs headless with nbconvert, and its
outputs have the expected types and values."""
from __future__ import annotations

import csv
import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
FIXTURES = Path(__file__).parent / "fixtures"


def in_sandbox(notebook: Path, tmp: Path) -> Path:
    """A copy of the notebook (and its data) in `tmp`, so runs never write
    into the source tree."""
    work = tmp / "work"
    work.mkdir()
    shutil.copy(notebook, work / notebook.name)
    data = notebook.parent / "data"
    if data.is_dir():
        shutil.copytree(data, work / "data")
    return work / notebook.name


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
    proc = nbconvert(in_sandbox(notebook, tmp_path), tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    executed = tmp_path / notebook.name
    for outputs in outputs_of(executed):
        for out in outputs:
            assert out["output_type"] != "error", out


def test_rust_basics_outputs(tmp_path: Path) -> None:
    nb = ROOT / "notebooks" / "01-rust-basics.ipynb"
    proc = nbconvert(in_sandbox(nb, tmp_path), tmp_path)
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


def test_quickstart_prose_and_shorthand_read_as_the_sectioned_spec(tmp_path: Path) -> None:
    """The WW selection in CoLLM sections, as a paragraph and in shorthand selects the same
    642 events and writes the same features."""
    nb = ROOT / "notebooks" / "03-collm-quickstart.ipynb"
    path = in_sandbox(nb, tmp_path)
    proc = nbconvert(path, tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = path.parent / "out"
    finals, features = [], []
    for name in ["ww-collm", "ww-prose", "ww-terse"]:
        with open(out / name / "cutflow.csv") as f:
            rows = list(csv.reader(f))
        finals.append(int(rows[-1][-1]))
        features.append((out / name / "features.csv").read_text())
    assert finals == [642, 642, 642]
    assert features[0] == features[1] == features[2]


def test_panicking_cell_fails_nbconvert_with_the_message(tmp_path: Path) -> None:
    proc = nbconvert(FIXTURES / "panics.ipynb", tmp_path)
    assert proc.returncode != 0
    assert "the detector caught fire" in proc.stderr


def notebook_of(tmp: Path, *cells: str) -> Path:
    """A notebook for the collm kernel with these code cells, written into `tmp`."""
    nb = json.loads((FIXTURES / "panics.ipynb").read_text())
    template = nb["cells"][0]
    nb["cells"] = [
        {**template, "id": f"cell{i}", "source": source} for i, source in enumerate(cells)
    ]
    path = tmp / "work" / "notebook.ipynb"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(nb))
    return path


def test_err_through_question_mark_fails_nbconvert_with_the_message(tmp_path: Path) -> None:
    nb = notebook_of(
        tmp_path,
        "let run = 7;",
        'let n: u32 = "12a".parse()?;',
        'std::fs::write("after.txt", "the next cell ran")?;',
    )
    proc = nbconvert(nb, tmp_path)
    assert proc.returncode != 0
    assert "ParseIntError" in proc.stderr and "invalid digit found in string" in proc.stderr
    assert not (nb.parent / "after.txt").exists(), "execution stopped at the failing cell"


def test_collm_cell_on_a_malformed_file_fails_nbconvert_naming_file_and_line(
    tmp_path: Path,
) -> None:
    bad = ROOT / "tests" / "malformed-lhco" / "text_in_eta.lhco"
    spec = "[SELECTION_CUTS]\n- Require MET > 30 GeV\n"
    nb = notebook_of(tmp_path, f"%%collm --data {bad} --out out\n{spec}", "1 + 1")
    proc = nbconvert(nb, tmp_path)
    assert proc.returncode != 0
    assert f"{bad}:6: invalid number (column eta: `abc`)" in proc.stderr


def python_reference(lhco_gz: Path, tmp: Path) -> tuple[list[int], list[list[float]]]:
    """Cutflow and feature rows from the independent pure-Python WW selection
    in bench/anchor_collm_style.py, on the same events."""
    plain = tmp / "events.lhco"
    plain.write_bytes(gzip.decompress(lhco_gz.read_bytes()))
    out = tmp / "reference"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "anchor_collm_style.py"), str(plain), str(out)],
        capture_output=True, text=True, check=True,
    )
    rows = [line for line in csv.reader(proc.stdout.splitlines()) if line and line[0].isdigit()]
    counts = [int(r[2]) for r in rows]
    with open(out / "features.csv") as f:
        features = [[float(x) for x in r] for r in list(csv.reader(f))[1:]]
    return counts, features


def test_ww_analysis_matches_an_independent_reference(tmp_path: Path) -> None:
    nb = in_sandbox(ROOT / "notebooks" / "02-lhco-analysis.ipynb", tmp_path)
    proc = nbconvert(nb, tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    cells = outputs_of(tmp_path / nb.name)
    summary = cells[0][0]["data"]["text/plain"]
    assert ": 10000 events" in summary, summary
    assert "Reader warnings: none." in summary
    cutflow_html = next(
        o["data"]["text/html"] for o in cells[3] if o["output_type"] == "execute_result"
    )
    assert "<table" in cutflow_html and "dR(j1, j2) &lt; 3.0" in cutflow_html
    pngs = [o for o in cells[4] if o["output_type"] == "display_data" and "image/png" in o["data"]]
    assert len(pngs) == 10, "one inline PNG per histogram"
    out = nb.parent / "out" / "ww"
    assert sorted(p.name for p in out.glob("*.png")) == sorted(
        f"{n}.png" for n in
        ["mt", "mjj", "met", "lep_pt", "j1_pt", "j2_pt", "drjj", "dphi_lmet", "lep_eta", "dphi_ww"]
    )
    for png in out.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    ref_counts, ref_features = python_reference(nb.parent / "data" / "ww_lnujj_10k.lhco.gz", tmp_path)
    with open(out / "cutflow.csv") as f:
        ours = list(csv.reader(f))
    assert ours[0] == ["step", "cut", "events"]
    assert [int(r[2]) for r in ours[1:]] == ref_counts
    with open(out / "features.csv") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["event", "mt", "mjj", "met", "lep_pt", "drjj", "dphi_ww"]
    got = [[float(x) for x in r] for r in rows[1:]]
    assert len(got) == len(ref_features) == ref_counts[-1]
    for a, b in zip(got, ref_features):
        assert a[0] == b[0], "same events in the same order"
        for x, y in zip(a[1:], b[1:]):
            assert abs(x - y) <= 1e-9 * max(1.0, abs(y)), (a, b)


def test_simulate_notebook_fetches_and_reads_the_sample(tmp_path: Path) -> None:
    nb = in_sandbox(ROOT / "notebooks" / "04-simulate.ipynb", tmp_path)
    proc = nbconvert(nb, tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    cells = outputs_of(tmp_path / nb.name)

    def text(cell: list[dict]) -> str:
        return "\n".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell)

    assert "credits" in text(cells[0])
    # Completed now, or (when an earlier run made the same sample) served from the cache.
    ran = text(cells[1])
    assert re.search(r"Request [0-9a-f]{32} completed", ran) or "served from cache" in ran, ran
    assert "zmumu_pu0_seed7.lhco.gz" in text(cells[2])
    assert ": 2000 events" in text(cells[3]), text(cells[3])
    m = re.search(r"(\d+) opposite-sign dimuon pairs; mean mass in 60-120 GeV: ([\d.]+) GeV",
                  text(cells[5]))
    assert m, text(cells[5])
    # Both muons of a Drell-Yan Z inside |eta| < 2.4 with pT > 20 GeV: about half the events
    # at the LHC, times the two muon efficiencies; the peak sits at the Z mass, the window mean
    # pulled below 91.19 only slightly by the photon-exchange tail.
    assert 0.3 < int(m.group(1)) / 2000 < 0.6, m.group(1)
    assert 89.0 < float(m.group(2)) < 92.0, m.group(2)
    assert any("image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {})
               for o in cells[5])
