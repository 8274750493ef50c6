"""%%collm through the kernel: words in, an inserted Rust cell, its cutflow,
plots and files out, checked against the notebook's WW numbers."""
from __future__ import annotations

import csv
from pathlib import Path

from conftest import Kernel

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "notebooks" / "data" / "ww_lnujj_10k.lhco.gz"
WW_SPEC = (Path(__file__).parent / "ww_spec.txt").read_text()


def test_collm_magic_inserts_runs_and_writes_the_output_contract(
    kernel: Kernel, tmp_path: Path
) -> None:
    out = tmp_path / "ww"
    r = kernel.execute(f"%%collm --data {DATA} --out {out}\n{WW_SPEC}", timeout=600)
    assert r.status == "ok", r.reply["content"]
    payloads = r.reply["content"]["payload"]
    inserted = [p for p in payloads if p["source"] == "set_next_input"]
    assert len(inserted) == 1 and inserted[0]["replace"] is False
    code = inserted[0]["text"]
    assert code.startswith(":dep collm-analysis")
    displays = r.of_type("display_data")
    echo = displays[0]["content"]["data"]
    assert "Select electrons with pT &gt; 25 GeV and |eta| &lt; 2.5" in echo["text/html"]
    assert "<code>electrons: pT &gt; 25 GeV, |eta| &lt; 2.5</code>" in echo["text/html"]
    assert "exactly 1 lepton" in echo["text/plain"]
    shown_code = displays[1]["content"]["data"]["text/html"]
    assert shown_code.startswith("<details>"), "the code is shown collapsed"
    cutflow = [d for d in displays if "text/html" in d["content"]["data"]
               and "<table" in d["content"]["data"]["text/html"] and "events" in d["content"]["data"]["text/html"]]
    assert cutflow, "the cutflow table is shown"
    pngs = [d for d in displays if "image/png" in d["content"]["data"]]
    assert len(pngs) == 10
    with open(out / "cutflow.csv") as f:
        counts = [int(row[2]) for row in list(csv.reader(f))[1:]]
    assert counts == [10000, 6660, 2334, 1561, 1268, 1233, 654, 642]
    with open(out / "features.csv") as f:
        rows = list(csv.reader(f))
    assert rows[0][0] == "event" and len(rows[0]) == 7 and len(rows) == 643
    assert len(list(out.glob("*.png"))) == 10
    assert (out / "analysis.rs").read_text() == code, "analysis.rs is the inserted cell"


def test_collm_unreadable_bullet_runs_nothing(kernel: Kernel, tmp_path: Path) -> None:
    out = tmp_path / "bad"
    spec = "[SELECTION_CUTS]\n- Select muons with pT > 20 GeV\n- Require the moon to be full\n"
    r = kernel.execute(f"%%collm --data {DATA} --out {out}\n{spec}")
    assert r.status == "error"
    text = r.of_type("display_data")[0]["content"]["data"]["text/plain"]
    assert "Require the moon to be full" in text
    assert not out.exists(), "nothing ran"
    assert r.reply["content"]["payload"] == []


def test_analysis_rs_is_the_code_that_ran_after_an_edit(kernel: Kernel, tmp_path: Path) -> None:
    out = tmp_path / "edited"
    r = kernel.execute(f"%%collm --data {DATA} --out {out} --no-run\n{WW_SPEC}")
    assert r.status == "ok", r.reply["content"]
    code = [p for p in r.reply["content"]["payload"] if p["source"] == "set_next_input"][0]["text"]
    assert "const SOURCE" not in code, "the cell carries no copy of itself"
    edited = code.replace(
        "    // ---- analyze ----",
        "    // ---- analyze ----\n    // checked by hand against the note, table 3",
    )
    assert edited != code
    ran = kernel.execute(edited, timeout=600)
    assert ran.status == "ok", ran.reply["content"]
    assert (out / "analysis.rs").read_text() == edited
