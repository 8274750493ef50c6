"""A llama-architecture causal LM (SmolLM2-135M-Instruct) written as an ONNX graph from a GGUF
file, with no torch: RMSNorm, rotary position embeddings, grouped-query attention with a
key/value cache, SwiGLU, and the output projection tied to the token embeddings when the file
has no `output.weight`.

The graph has the layout the kernel's runner reads (Hugging Face/optimum "decoder with past"):
inputs `input_ids`, `attention_mask`, `position_ids` and `past_key_values.{i}.key/value`
[batch, kv_heads, past, head_dim]; outputs `logits` and `present.{i}.key/value`. Heads and head
size are fixed in the shapes, as the runner requires.

GGUF stores the query and key projections permuted for llama.cpp's interleaved rotary
embedding; they are permuted back here, so the graph uses the rotate-half form.
"""
from __future__ import annotations

import numpy as np
from onnx import TensorProto, helper

from bert_onnx import IR_VERSION, OPSET, Graph


def unpermute(w: np.ndarray, heads: int) -> np.ndarray:
    """Undoes llama.cpp's query/key row permutation ([out, in] layout)."""
    out, inp = w.shape
    return w.reshape(heads, out // heads // 2, 2, inp).swapaxes(1, 2).reshape(out, inp)


class Gguf:
    """Dequantised tensors and metadata of a GGUF file."""

    def __init__(self, path: str) -> None:
        from gguf import GGUFReader
        from gguf.quants import dequantize

        self.reader = GGUFReader(path)
        self.tensors = {t.name: t for t in self.reader.tensors}
        self._dequantize = dequantize

    def field(self, key: str):
        f = self.reader.fields[key]
        part = f.parts[f.data[0]]
        if f.types and f.types[0].name == "STRING":
            return bytes(part).decode("utf-8")
        return part.tolist()[0] if len(part) == 1 else part.tolist()

    def strings(self, key: str) -> list[str]:
        f = self.reader.fields[key]
        return [bytes(f.parts[i]).decode("utf-8") for i in f.data]

    def ints(self, key: str) -> list[int]:
        f = self.reader.fields[key]
        return [int(f.parts[i][0]) for i in f.data]

    def weight(self, name: str) -> np.ndarray:
        t = self.tensors[name]
        return np.asarray(self._dequantize(t.data, t.tensor_type), dtype=np.float32)

    def has(self, name: str) -> bool:
        return name in self.tensors


def config(g: Gguf) -> dict:
    a = g.field("general.architecture")
    return {
        "layers": g.field(f"{a}.block_count"),
        "hidden": g.field(f"{a}.embedding_length"),
        "heads": g.field(f"{a}.attention.head_count"),
        "kv_heads": g.field(f"{a}.attention.head_count_kv"),
        "rope_base": float(g.field(f"{a}.rope.freq_base")),
        "eps": float(g.field(f"{a}.attention.layer_norm_rms_epsilon")),
        "context": g.field(f"{a}.context_length"),
    }


def rms_norm(gr: Graph, x: str, w: np.ndarray, eps: float) -> str:
    square = gr.op("Mul", [x, x])
    mean = gr.op("ReduceMean", [square], axes=[-1], keepdims=1)
    inv = gr.op("Reciprocal", [gr.op("Sqrt", [gr.op("Add", [mean, gr.const("eps", np.float32(eps))])])])
    return gr.op("Mul", [gr.op("Mul", [x, inv]), gr.const("norm_w", w.astype(np.float32))], "rms")


def matmul_t(gr: Graph, x: str, w: np.ndarray, hint: str) -> str:
    """x @ w.T for a weight in [out, in] layout."""
    return gr.op("MatMul", [x, gr.const(hint, np.ascontiguousarray(w.T))], hint)


def split_heads(gr: Graph, x: str, heads: int, head_dim: int) -> str:
    shaped = gr.op("Reshape", [x, gr.const("split", np.array([0, 0, heads, head_dim], np.int64))])
    return gr.op("Transpose", [shaped], perm=[0, 2, 1, 3])


def rotate(gr: Graph, x: str, cos: str, sin: str, half: int) -> str:
    """x·cos + rotate_half(x)·sin, with rotate_half(x) = [-x2, x1]."""
    x1 = gr.op("Slice", [x, gr.const("s0", np.array([0], np.int64)), gr.const("s1", np.array([half], np.int64)),
                         gr.const("ax", np.array([-1], np.int64))])
    x2 = gr.op("Slice", [x, gr.const("s2", np.array([half], np.int64)),
                         gr.const("s3", np.array([2 * half], np.int64)), gr.const("ax2", np.array([-1], np.int64))])
    rotated = gr.op("Concat", [gr.op("Neg", [x2]), x1], axis=-1)
    return gr.op("Add", [gr.op("Mul", [x, cos]), gr.op("Mul", [rotated, sin])], "rope")


def rope_tables(gr: Graph, head_dim: int, base: float) -> tuple[str, str]:
    """cos and sin [batch, 1, n, head_dim] at `position_ids`."""
    inv = (1.0 / base ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim)).astype(np.float32)
    pos = gr.op("Unsqueeze", [gr.op("Cast", ["position_ids"], to=TensorProto.FLOAT),
                              gr.const("last", np.array([-1], np.int64))])
    freqs = gr.op("Mul", [pos, gr.const("inv_freq", inv)])
    angles = gr.op("Unsqueeze", [gr.op("Concat", [freqs, freqs], axis=-1), gr.const("ax1", np.array([1], np.int64))])
    return gr.op("Cos", [angles], "cos"), gr.op("Sin", [angles], "sin")


def attention_bias(gr: Graph, total: str) -> str:
    """0 where a query may see a key (the key is not in the future and not masked), else -1e9;
    [batch, 1, n, total]."""
    keys = gr.op("Range", [gr.const("zero", np.int64(0)), total, gr.const("one", np.int64(1))], "key_pos")
    queries = gr.op("Unsqueeze", ["position_ids", gr.const("ax_q", np.array([-1], np.int64))])
    future = gr.op("Greater", [keys, queries])
    masked = gr.op("Equal", [gr.op("Unsqueeze", ["attention_mask", gr.const("ax_m", np.array([1], np.int64))]),
                             gr.const("zero_m", np.int64(0))])
    hidden = gr.op("Unsqueeze", [gr.op("Or", [future, masked]), gr.const("ax_h", np.array([1], np.int64))])
    return gr.op("Where", [hidden, gr.const("neg", np.float32(-1e9)), gr.const("zero_f", np.float32(0.0))], "bias")


def repeat_kv(gr: Graph, x: str, kv_heads: int, rep: int, head_dim: int) -> str:
    """[b, kv, t, d] → [b, kv·rep, t, d], each key/value head serving `rep` query heads."""
    if rep == 1:
        return x
    wide = gr.op("Unsqueeze", [x, gr.const("ax2", np.array([2], np.int64))])
    shape = gr.op("Shape", [wide])
    target = gr.op("Concat", [gr.op("Slice", [shape, gr.const("a0", np.array([0], np.int64)),
                                              gr.const("a2", np.array([2], np.int64))]),
                              gr.const("rep", np.array([rep], np.int64)),
                              gr.op("Slice", [shape, gr.const("a3", np.array([3], np.int64)),
                                              gr.const("a5", np.array([5], np.int64))])], axis=0)
    tiled = gr.op("Expand", [wide, target])
    return gr.op("Reshape", [tiled, gr.const("merge_kv", np.array([0, kv_heads * rep, -1, head_dim], np.int64))])


def block(gr: Graph, g: Gguf, cfg: dict, i: int, x: str, rope: tuple[str, str], bias: str) -> str:
    heads, kv, hidden = cfg["heads"], cfg["kv_heads"], cfg["hidden"]
    d = hidden // heads
    p = f"blk.{i}."
    h = rms_norm(gr, x, g.weight(p + "attn_norm.weight"), cfg["eps"])
    q = split_heads(gr, matmul_t(gr, h, unpermute(g.weight(p + "attn_q.weight"), heads), "wq"), heads, d)
    k = split_heads(gr, matmul_t(gr, h, unpermute(g.weight(p + "attn_k.weight"), kv), "wk"), kv, d)
    v = split_heads(gr, matmul_t(gr, h, g.weight(p + "attn_v.weight"), "wv"), kv, d)
    q, k = rotate(gr, q, *rope, d // 2), rotate(gr, k, *rope, d // 2)
    gr.nodes.append(helper.make_node("Concat", [f"past_key_values.{i}.key", k], [f"present.{i}.key"], axis=2))
    gr.nodes.append(helper.make_node("Concat", [f"past_key_values.{i}.value", v], [f"present.{i}.value"], axis=2))
    keys = repeat_kv(gr, f"present.{i}.key", kv, heads // kv, d)
    values = repeat_kv(gr, f"present.{i}.value", kv, heads // kv, d)
    scores = gr.op("Mul", [gr.op("MatMul", [q, gr.op("Transpose", [keys], perm=[0, 1, 3, 2])]),
                           gr.const("scale", np.float32(1.0 / np.sqrt(d)))])
    probs = gr.op("Softmax", [gr.op("Add", [scores, bias])], axis=-1)
    ctx = gr.op("Transpose", [gr.op("MatMul", [probs, values])], perm=[0, 2, 1, 3])
    merged = gr.op("Reshape", [ctx, gr.const("merge", np.array([0, 0, hidden], np.int64))])
    x = gr.op("Add", [x, matmul_t(gr, merged, g.weight(p + "attn_output.weight"), "wo")])
    h = rms_norm(gr, x, g.weight(p + "ffn_norm.weight"), cfg["eps"])
    gate = matmul_t(gr, h, g.weight(p + "ffn_gate.weight"), "wg")
    up = matmul_t(gr, h, g.weight(p + "ffn_up.weight"), "wu")
    swish = gr.op("Mul", [gate, gr.op("Sigmoid", [gate])])
    return gr.op("Add", [x, matmul_t(gr, gr.op("Mul", [swish, up]), g.weight(p + "ffn_down.weight"), "wd")])


def build(g: Gguf):
    """The ONNX model of the GGUF's llama network."""
    cfg = config(g)
    d = cfg["hidden"] // cfg["heads"]
    gr = Graph()
    embed = g.weight("token_embd.weight")
    table = gr.const("tok_emb", embed)
    x = gr.op("Gather", [table, "input_ids"], "embed")
    total = gr.op("Gather", [gr.op("Shape", ["attention_mask"]), gr.const("ax1", np.int64(1))], "total")
    rope = rope_tables(gr, d, cfg["rope_base"])
    bias = attention_bias(gr, total)
    for i in range(cfg["layers"]):
        x = block(gr, g, cfg, i, x, rope, bias)
    x = rms_norm(gr, x, g.weight("output_norm.weight"), cfg["eps"])
    head = gr.const("lm_head", g.weight("output.weight")) if g.has("output.weight") else table
    vocab = embed.shape[0]
    rows = gr.op("Reshape", [x, gr.const("rows", np.array([-1, cfg["hidden"]], np.int64))])
    # Gemm reads the [vocab, hidden] table transposed, so a tied head shares the embedding.
    flat = gr.op("Gemm", [rows, head], "head", transB=1)
    by_token = gr.op("Concat", [gr.op("Shape", ["input_ids"]), gr.const("vocab", np.array([vocab], np.int64))], axis=0)
    gr.nodes.append(helper.make_node("Reshape", [flat, by_token], ["logits"]))
    ints = lambda n, dims: helper.make_tensor_value_info(n, TensorProto.INT64, dims)  # noqa: E731
    floats = lambda n, dims: helper.make_tensor_value_info(n, TensorProto.FLOAT, dims)  # noqa: E731
    inputs = [ints("input_ids", ["batch", "sequence"]), ints("attention_mask", ["batch", "total"]),
              ints("position_ids", ["batch", "sequence"])]
    outputs = [floats("logits", ["batch", "sequence", vocab])]
    for i in range(cfg["layers"]):
        for part in ("key", "value"):
            inputs.append(floats(f"past_key_values.{i}.{part}", ["batch", cfg["kv_heads"], "past", d]))
            outputs.append(floats(f"present.{i}.{part}", ["batch", cfg["kv_heads"], "total", d]))
    graph = helper.make_graph(gr.nodes, "llama_with_past", inputs, outputs, gr.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="collm")
    model.ir_version = IR_VERSION
    return model, cfg
