"""Models through the kernel: `%collm_model` shows and chooses the committed fixture models
(loaded by the real ONNX Runtime), `%%collm` hands a bullet the grammar cannot read to the
language model and flags the reading, and says what a model would add when none is chosen."""
from __future__ import annotations

from pathlib import Path

from conftest import Kernel

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "nl" / "tests" / "fixtures" / "models"
DATA = ROOT / "notebooks" / "data" / "ww_lnujj_10k.lhco.gz"
SPEC = """[SELECTION_CUTS]
- Require MET > 30 GeV
- Keep events where the flux capacitor glows
"""


def html(result) -> str:
    return "\n".join(d["content"]["data"].get("text/html", "") for d in result.of_type("display_data"))


def test_collm_model_shows_chooses_and_removes(kernel: Kernel) -> None:
    r = kernel.execute("%collm_model none")
    assert r.status == "ok"
    assert "No model is configured" in r.stream("stdout")
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
    assert "A language model" in r.stream("stdout"), "says what a model would add"
    r = kernel.execute(f"%%collm --data {DATA} --out {tmp_path} --no-run --model {MODELS / 'tiny-lm'}\n{SPEC}")
    assert r.status == "ok", r.reply["content"]
    assert "read by the model" in html(r)
    payload = [p for p in r.reply["content"]["payload"] if p["source"] == "set_next_input"]
    assert len(payload) == 1 and "collm_analysis" in payload[0]["text"]


def test_lenient_reading_is_generated(kernel: Kernel, tmp_path: Path) -> None:
    r = kernel.execute(f"%%collm --data {DATA} --out {tmp_path} --no-run --lenient\n- Require MET > 30 GeV\n")
    assert r.status == "ok", r.reply["content"]
    code = [p for p in r.reply["content"]["payload"] if p["source"] == "set_next_input"][0]["text"]
    assert "lhco::read_lenient(path)" in code and "events.report()" in code
