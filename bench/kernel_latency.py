#!/usr/bin/env python3
"""Kernel latency and memory: collm against evcxr_jupyter, in the same run.

For each kernel that is installed, prints:
  - start -> kernel_info_reply
  - the first trivial Rust cell (from kernel_info_reply to its reply), and from
    kernel start to that first result (the wait a user actually sees)
  - the median of 20 trivial Rust cells
  - the median of 20 trivial magics (collm only; evcxr has no IPython magics)
  - RSS of the kernel process after start, and of its evcxr child
then the ratios collm / evcxr_jupyter. Goals from the kernel issue:
kernel_info <= 0.3 s, trivial cell <= 0.12 s, magic <= 5 ms, RSS <= 120 MiB.

Run with the project's venv:  .venv/bin/python bench/kernel_latency.py
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

CELLS = 20


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        f = task / "children"
        if f.exists():
            kids += [int(p) for p in f.read_text().split()]
    return kids


def run(kc, code: str, timeout: float = 300) -> dict:
    msg_id = kc.execute(code)
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def measure(name: str, rust_cell: str, magic: str | None) -> dict[str, float]:
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    while True:
        msg_id = kc.kernel_info()
        try:
            while True:
                reply = kc.get_shell_msg(timeout=0.02)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            break
        except Exception:
            continue
    info = time.perf_counter() - t0
    pid = km.provisioner.process.pid
    rss_start = rss_mib(pid)
    t1 = time.perf_counter()
    first = run(kc, rust_cell)
    assert first["content"]["status"] == "ok", first["content"]
    first_cell = time.perf_counter() - t1
    start_to_result = time.perf_counter() - t0
    cells = []
    for _ in range(CELLS):
        t = time.perf_counter()
        assert run(kc, rust_cell)["content"]["status"] == "ok"
        cells.append(time.perf_counter() - t)
    magics = []
    if magic:
        for _ in range(CELLS):
            t = time.perf_counter()
            assert run(kc, magic)["content"]["status"] == "ok"
            magics.append(time.perf_counter() - t)
    rss_kernel = rss_mib(pid)
    rss_child = sum(rss_mib(c) for c in children(pid))
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return {
        "kernel_info_s": info,
        "first_cell_s": first_cell,
        "start_to_first_result_s": start_to_result,
        "cell_median_s": statistics.median(cells),
        "magic_median_s": statistics.median(magics) if magics else float("nan"),
        "rss_at_start_mib": rss_start,
        "rss_kernel_mib": rss_kernel,
        "rss_child_mib": rss_child,
    }


def main() -> None:
    specs = KernelSpecManager().find_kernel_specs()
    results = {"collm": measure("collm", "1+1", "%pwd")}
    if "rust" in specs:
        results["evcxr_jupyter"] = measure("rust", "1+1", None)
    else:
        print("evcxr_jupyter is not installed (cargo install --locked evcxr_jupyter && "
              "evcxr_jupyter --install); showing collm alone.\n")
    goals = {"kernel_info_s": 0.3, "cell_median_s": 0.12, "magic_median_s": 0.005,
             "rss_kernel_mib": 120}
    names = list(results)
    header = f"{'metric':<18}" + "".join(f"{n:>16}" for n in names)
    if len(names) == 2:
        header += f"{'ratio':>10}"
    print(header + f"{'goal':>10}")
    for metric in results["collm"]:
        row = f"{metric:<18}" + "".join(f"{results[n][metric]:>16.3f}" for n in names)
        if len(names) == 2:
            a, b = results[names[0]][metric], results[names[1]][metric]
            row += f"{a / b:>10.2f}" if b == b and b else f"{'-':>10}"
        goal = goals.get(metric)
        row += f"{goal:>10}" if goal is not None else f"{'':>10}"
        print(row)


if __name__ == "__main__":
    main()
