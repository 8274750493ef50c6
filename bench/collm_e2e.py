#!/usr/bin/env python3
"""`%%collm` end to end in a warm kernel: the mission's WW spec on 100k events, from the
natural-language text to the cutflow, 10 plots and the feature CSV.

Prints, as the median of RUNS runs (each a fresh output directory):
  - understand and codegen (reported by the magic),
  - compile and run (evcxr's own phase timings, `:timing`),
  - end to end as the client sees it (execute_request -> execute_reply),
the goals (understanding + codegen <= 50 ms, end to end <= 3 s), and, side by side from the
same run, the pure-Python anchor in CoLLM's style on the same file with its ratio. The cutflows
of the two are compared, so a fast wrong answer cannot pass.

Run with the project's venv:  .venv/bin/python bench/collm_e2e.py [EVENTS]
Env: RUNS (default 5), CARGO_TARGET_DIR (where gen_lhco is built; the file goes beside it).
"""
from __future__ import annotations

import csv
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parents[1]
SPEC = (ROOT / "tests" / "kernel" / "ww_spec.txt").read_text()
SEED = 20240601


def sample(events: int) -> Path:
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    path = target / "bench-collm" / f"ww_{events}.lhco"
    if not path.exists():
        subprocess.run(
            ["cargo", "build", "--release", "-q", "-p", "collm-analysis", "--example", "gen_lhco"],
            cwd=ROOT, check=True,
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(target / "release" / "examples" / "gen_lhco"), str(path), str(events), str(SEED)],
                       check=True)
    return path


def execute(kc, code: str, timeout: float = 600) -> tuple[float, str, str]:
    """Runs code; returns (seconds, stdout, status)."""
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    out = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
            out.append(msg["content"]["text"])
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    reply = kc.get_shell_msg(timeout=timeout)
    return time.perf_counter() - t0, "".join(out), reply["content"]["status"]


def ms(pattern: str, text: str) -> float:
    m = re.search(pattern, text)
    if not m:
        raise SystemExit(f"no match for {pattern!r} in:\n{text}")
    return float(m.group(1))


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(os.environ.get("RUNS", "5"))
    data = sample(events)
    print(f"sample: {data} ({data.stat().st_size / 1e6:.1f} MB, {events} events)")
    km = KernelManager(kernel_name="collm")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            # Warm-up: evcxr's first cell and the analysis crate, as in a session in use.
            seconds, _, status = execute(kc, f"%%collm --data {data} --out {tmp}/warm\n{SPEC}")
            assert status == "ok", "warm-up run failed"
            print(f"warm-up run (first %%collm of the session): {seconds:.2f} s")
            assert execute(kc, ":timing")[2] == "ok"
            for k in range(runs):
                out = Path(tmp) / f"run{k}"
                seconds, text, status = execute(kc, f"%%collm --data {data} --out {out}\n{SPEC}")
                assert status == "ok", text
                pngs = sorted(out.glob("*.png"))
                assert len(pngs) == 10 and (out / "features.csv").exists(), "all outputs written"
                rows.append({
                    "understand": ms(r"understood in ([0-9.]+) ms", text) / 1e3,
                    "codegen": ms(r"generated in ([0-9.]+) ms", text) / 1e3,
                    "compile": ms(r"Final compile: ([0-9]+)ms", text) / 1e3,
                    "run": ms(r"Execution: ([0-9]+)ms", text) / 1e3,
                    "end to end": seconds,
                })
            with open(Path(tmp) / "run0" / "cutflow.csv") as f:
                ours = [int(r[2]) for r in list(csv.reader(f))[1:]]
            t0 = time.perf_counter()
            anchor = subprocess.run([sys.executable, str(ROOT / "bench" / "anchor_collm_style.py"), str(data),
                                     f"{tmp}/anchor"], check=True, capture_output=True, text=True).stdout
            anchor_seconds = time.perf_counter() - t0
            theirs = [int(r[2]) for r in list(csv.reader(anchor.splitlines()))[1:] if r and r[0].isdigit()]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

    print(f"\nmedian of {runs} warm runs, WW spec, {events} events:")
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    for k, v in med.items():
        print(f"  {k:<11} {v * 1e3:10.2f} ms")
    nl = med["understand"] + med["codegen"]
    print(f"\nunderstanding + codegen: {nl * 1e3:.2f} ms (goal <= 50 ms) {'ok' if nl <= 0.05 else 'MISSED'}")
    print(f"end to end: {med['end to end']:.2f} s (goal <= 3 s) {'ok' if med['end to end'] <= 3 else 'MISSED'}")
    print(f"anchor (pure Python in CoLLM's style, same file, same run): {anchor_seconds:.2f} s; "
          f"collm end to end is {anchor_seconds / med['end to end']:.1f}x faster")
    print(f"cutflow collm:  {ours}")
    print(f"cutflow anchor: {theirs}")
    if ours != theirs:
        raise SystemExit("the cutflows differ")


if __name__ == "__main__":
    main()
