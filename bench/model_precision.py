#!/usr/bin/env python3
"""Precision and threads of the installed models, float32 against int8, in one run.

The anchor is the float32 graph `collm models install` writes; beside it, the int8 variant
(ONNX Runtime dynamic quantisation with per-channel weights: the encoder's is installed, the
language model's is made here once and cached in ~/.cache/collm/bench). For each, with
Python onnxruntime on the CPU:
  - encoder: median time to embed one reference sentence, and the lowest cosine to the
    stored reference embeddings (models/reference.json);
  - language model: median time per decoded token on 1 and 2 threads, and how many of the
    greedy tokens of the 5 reference prompts equal llama.cpp's (120 in all);
then the ratios int8 / float32. It decides nothing by itself and never fails on timing.

Run with the project's venv:  .venv/bin/python bench/model_precision.py
"""
from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort

ROOT = Path(__file__).resolve().parents[1]
MODELS = Path(os.environ.get("COLLM_MODELS_DIR")
              or Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local/share") / "collm/models")
CACHE = Path.home() / ".cache/collm/bench"
REPEATS = 20


def session(path: Path, threads: int) -> ort.InferenceSession:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def encoder_row(path: Path, ref: dict) -> tuple[float, float]:
    s = session(path, 1)
    names = {i.name for i in s.get_inputs()}
    times, worst = [], 1.0
    for sent in ref["sentences"]:
        ids = np.array([sent["ids"]], np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in names:
            feed["token_type_ids"] = np.zeros_like(ids)
        out = s.run(["sentence_embedding"], feed)[0].reshape(-1)
        want = np.array(sent["embedding"], np.float32)
        worst = min(worst, float(out @ want / np.linalg.norm(out) / np.linalg.norm(want)))
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            s.run(None, feed)
            times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3, worst


def greedy(s: ort.InferenceSession, cfg: dict, prompt: list[int], n: int) -> tuple[list[int], list[float]]:
    layers, kv = cfg["num_hidden_layers"], cfg["num_key_value_heads"]
    d = cfg["hidden_size"] // cfg["num_attention_heads"]
    past = {f"past_key_values.{i}.{p}": np.zeros((1, kv, 0, d), np.float32)
            for i in range(layers) for p in ("key", "value")}
    names = [o.name for o in s.get_outputs()]
    feed, total, out, step_times = prompt, 0, [], []
    for _ in range(n):
        k = len(feed)
        t0 = time.perf_counter()
        got = dict(zip(names, s.run(None, {
            "input_ids": np.array([feed], np.int64),
            "attention_mask": np.ones((1, total + k), np.int64),
            "position_ids": np.arange(total, total + k, dtype=np.int64)[None],
            **past})))
        if total:
            step_times.append(time.perf_counter() - t0)
        past = {f"past_key_values.{i}.{p}": got[f"present.{i}.{p}"] for i in range(layers) for p in ("key", "value")}
        total += k
        feed = [int(np.argmax(got["logits"][0, -1]))]
        out.append(feed[0])
    return out, step_times


def lm_rows(path: Path, ref: dict, cfg: dict) -> dict:
    row = {}
    for threads in (1, 2):
        s = session(path, threads)
        same, times = 0, []
        for p in ref["prompts"]:
            want = p["greedy_ids"]
            got, t = greedy(s, cfg, p["prompt_ids"], len(want))
            same += sum(1 for a, b in zip(got, want) if a == b) if got[:1] == want[:1] else 0
            times += t
        row[threads] = (statistics.median(times) * 1e3, same, sum(len(p["greedy_ids"]) for p in ref["prompts"]))
    return row


def lm_int8(fp32: Path) -> Path:
    dest = CACHE / "lm.int8.onnx"
    if not dest.is_file():
        from onnxruntime.quantization import QuantType, quantize_dynamic
        CACHE.mkdir(parents=True, exist_ok=True)
        import onnx
        print(f"making {dest} (once)...", flush=True)
        # The quantiser infers shapes again; the graph's own shape annotations are dropped
        # first so that the two do not clash.
        m = onnx.load(str(fp32))
        del m.graph.value_info[:]
        plain = CACHE / "lm.plain.onnx"
        onnx.save(m, str(plain))
        quantize_dynamic(str(plain), str(dest), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul"])
        plain.unlink()
    return dest


def main() -> None:
    if not (MODELS / "lm" / "model.onnx").is_file():
        print(f"no installed models in {MODELS} (collm models install puts them there)")
        return
    ref = json.loads((ROOT / "models/reference.json").read_text())
    e32, c32 = encoder_row(MODELS / "embed/model.onnx", ref["encoder"])
    e8, c8 = encoder_row(MODELS / "embed/model.int8.onnx", ref["encoder"])
    print("encoder (1 thread)      ms/sentence  worst cosine to reference")
    print(f"  float32 (anchor)      {e32:8.2f}     {c32:.4f}")
    print(f"  int8                  {e8:8.2f}     {c8:.4f}     int8/float32 = {e8 / e32:.2f}")
    cfg = json.loads((MODELS / "lm/config.json").read_text())
    fp32 = MODELS / "lm/model.onnx"
    rows = {"float32 (anchor)": lm_rows(fp32, ref["lm"], cfg)}
    try:
        rows["int8"] = lm_rows(lm_int8(fp32), ref["lm"], cfg)
    except Exception as e:  # the quantised graph may not load; say why and go on
        print(f"int8 language model unavailable: {str(e).splitlines()[0]}")
    print("language model          ms/token 1 thread  ms/token 2 threads  greedy tokens = llama.cpp's")
    for name, r in rows.items():
        print(f"  {name:<20} {r[1][0]:10.1f}        {r[2][0]:10.1f}          {r[2][1]}/{r[2][2]}")
    a = rows["float32 (anchor)"]
    print(f"  ratio 2 threads/1 thread, float32: {a[2][0] / a[1][0]:.2f}")
    if "int8" in rows:
        b = rows["int8"]
        print(f"  ratios int8/float32: {b[1][0] / a[1][0]:.2f} (1 thread), {b[2][0] / a[2][0]:.2f} (2 threads)")


if __name__ == "__main__":
    main()
