"""The repair loop without a model: generated cells broken in five ways;
`%fix` repairs them with rustc's suggestions and the domain rules, shows each
repair as a diff, and respects --max-fix."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import Kernel

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "notebooks" / "data" / "ww_lnujj_10k.lhco.gz"
WW_SPEC = (Path(__file__).parent / "ww_spec.txt").read_text()
WW_COUNTS = [10000, 6660, 2334, 1561, 1268, 1233, 654, 642]

PANIC_CELL = f""":dep collm-analysis
use collm_analysis::prelude::*;
let mut masses: Vec<f64> = Vec::new();
for ev in lhco::read("{DATA}")? {{
    let ev = ev?;
    let jets: Objects = ev.jets().collect();
    if jets.len() < 1 {{ continue; }}
    let (j1, j2) = (jets[0], jets[1]);
    masses.push(inv_mass(j1, j2));
}}
println!("{{}} dijet masses", masses.len());
"""


def generated_cell(kernel: Kernel, out: Path) -> str:
    r = kernel.execute(f"%%collm --data {DATA} --out {out} --no-run\n{WW_SPEC}")
    assert r.status == "ok"
    return [p for p in r.reply["content"]["payload"] if p["source"] == "set_next_input"][0]["text"]


def repairs_shown(result) -> list[str]:
    return [
        d["content"]["data"]["text/plain"]
        for d in result.of_type("display_data")
        if d["content"]["data"].get("text/plain", "").startswith("Repair ")
    ]


BREAKS = {
    "type mismatch": ("met_value > 30.0", "met_value > 30"),
    "missing import": ("use collm_analysis::prelude::*;\n", ""),
    "wrong method name": ("o.abs_eta()", "o.abs_eat()"),
    "borrow error": (
        "            let met = ev.met();\n",
        "            let met = ev.met();\n            let kept = jets;\n            let jets = kept.clone();\n            drop(kept);\n            let _ = &kept;\n",
    ),
}


@pytest.fixture
def fresh_kernel():
    """A kernel of its own: evcxr keeps `use` items from earlier cells, which
    would hide a missing import."""
    k = Kernel()
    yield k
    k.close()


@pytest.mark.parametrize("kind", list(BREAKS))
def test_broken_generated_cell_is_repaired(fresh_kernel: Kernel, tmp_path: Path, kind: str) -> None:
    kernel = fresh_kernel
    out = tmp_path / "ww"
    cell = generated_cell(kernel, out)
    old, new = BREAKS[kind]
    assert old in cell, f"the generated cell changed; update the {kind} case"
    broken = cell.replace(old, new, 1)
    failed = kernel.execute(broken, timeout=600)
    assert failed.status == "error", f"{kind}: the broken cell should fail"
    fixed = kernel.execute("%fix --max-fix 3", timeout=600)
    assert fixed.status == "ok", (kind, fixed.reply["content"])
    diffs = repairs_shown(fixed)
    assert diffs, "each repair is shown"
    assert all("@@" in d for d in diffs), "as a unified diff"
    with open(out / "cutflow.csv") as f:
        assert [int(r[2]) for r in list(csv.reader(f))[1:]] == WW_COUNTS, "physics unchanged"
    inserted = [p for p in fixed.reply["content"]["payload"] if p["source"] == "set_next_input"]
    assert len(inserted) == 1, "the repaired cell is offered below"


def test_index_panic_on_a_short_collection_is_guarded(kernel: Kernel) -> None:
    failed = kernel.execute(PANIC_CELL, timeout=600)
    assert failed.status == "error"
    assert failed.reply["content"]["ename"] == "Panic"
    assert "index out of bounds" in failed.reply["content"]["evalue"]
    fixed = kernel.execute("%fix", timeout=600)
    assert fixed.status == "ok", fixed.reply["content"]
    (diff,) = repairs_shown(fixed)
    assert "+    if jets.len() <= 1 { continue; }" in diff
    assert "dijet masses" in fixed.stream("stdout")


def test_max_fix_bounds_the_attempts(fresh_kernel: Kernel, tmp_path: Path) -> None:
    kernel = fresh_kernel
    cell = generated_cell(kernel, tmp_path / "ww")
    # rustc reports a borrow error only once names resolve: two repairs in turn.
    old, new = BREAKS["borrow error"]
    broken = cell.replace(old, new, 1).replace("use collm_analysis::prelude::*;\n", "", 1)
    assert kernel.execute(broken, timeout=600).status == "error"
    none = kernel.execute("%fix --max-fix 0", timeout=600)
    assert none.status == "error" and repairs_shown(none) == []
    one = kernel.execute("%fix --max-fix 1", timeout=600)
    assert one.status == "error"
    assert len(repairs_shown(one)) == 1
    two = kernel.execute("%fix --max-fix 2", timeout=600)
    assert two.status == "ok", two.reply["content"]
    # %fix picks up from the last failure, which already has the import.
    assert len(repairs_shown(two)) == 1


def test_fix_without_a_failure_says_so() -> None:
    k = Kernel()
    try:
        r = k.execute("%fix")
        assert r.status == "error"
        assert "no Rust cell has failed yet" in r.reply["content"]["evalue"]
    finally:
        k.close()
