"""A BERT sentence encoder (all-MiniLM-L6-v2) written as an ONNX graph from its safetensors
weights, with no torch: embeddings, post-norm encoder layers, and two outputs,
`last_hidden_state` and `sentence_embedding` (the mean of the states over the attention mask,
scaled to unit length, as sentence-transformers' Pooling and Normalize modules compute).

Opset 17 and IR 8, which the kernel's ONNX Runtime (1.24) reads. GELU is the exact (erf) form,
as BERT's `hidden_act: gelu` is.
"""
from __future__ import annotations

import numpy as np
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
IR_VERSION = 8


class Graph:
    """Nodes and initialisers, with fresh names."""

    def __init__(self) -> None:
        self.nodes: list = []
        self.inits: list = []
        self.count = 0

    def name(self, hint: str) -> str:
        self.count += 1
        return f"{hint}_{self.count}"

    def const(self, hint: str, value) -> str:
        n = self.name(hint)
        self.inits.append(numpy_helper.from_array(np.asarray(value), n))
        return n

    def op(self, kind: str, inputs: list[str], hint: str | None = None, **attrs) -> str:
        out = self.name(hint or kind.lower())
        self.nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out


def linear(g: Graph, x: str, w: np.ndarray, b: np.ndarray, hint: str) -> str:
    """x @ w.T + b, with w in PyTorch's [out, in] layout."""
    wt = g.const(f"{hint}_w", np.ascontiguousarray(w.T.astype(np.float32)))
    bias = g.const(f"{hint}_b", b.astype(np.float32))
    return g.op("Add", [g.op("MatMul", [x, wt]), bias], hint)


def layer_norm(g: Graph, x: str, w: np.ndarray, b: np.ndarray, eps: float, hint: str) -> str:
    scale = g.const(f"{hint}_g", w.astype(np.float32))
    bias = g.const(f"{hint}_b", b.astype(np.float32))
    return g.op("LayerNormalization", [x, scale, bias], hint, axis=-1, epsilon=eps)


def gelu(g: Graph, x: str) -> str:
    inner = g.op("Erf", [g.op("Div", [x, g.const("sqrt2", np.float32(np.sqrt(2.0)))])])
    half = g.op("Mul", [x, g.const("half", np.float32(0.5))])
    return g.op("Mul", [half, g.op("Add", [inner, g.const("one", np.float32(1.0))])], "gelu")


def heads(g: Graph, x: str, n_heads: int, head_dim: int) -> str:
    """[b, s, h*d] → [b, h, s, d]."""
    shaped = g.op("Reshape", [x, g.const("split", np.array([0, 0, n_heads, head_dim], np.int64))])
    return g.op("Transpose", [shaped], perm=[0, 2, 1, 3])


def attention(g: Graph, x: str, bias_mask: str, w: dict, pre: str, cfg: dict) -> str:
    n_heads = cfg["num_attention_heads"]
    head_dim = cfg["hidden_size"] // n_heads
    q, k, v = (
        heads(g, linear(g, x, w[f"{pre}.attention.self.{p}.weight"], w[f"{pre}.attention.self.{p}.bias"], p),
              n_heads, head_dim)
        for p in ("query", "key", "value")
    )
    kt = g.op("Transpose", [k], perm=[0, 1, 3, 2])
    scores = g.op("Div", [g.op("MatMul", [q, kt]), g.const("scale", np.float32(np.sqrt(head_dim)))])
    probs = g.op("Softmax", [g.op("Add", [scores, bias_mask])], axis=-1)
    ctx = g.op("Transpose", [g.op("MatMul", [probs, v])], perm=[0, 2, 1, 3])
    merged = g.op("Reshape", [ctx, g.const("merge", np.array([0, 0, cfg["hidden_size"]], np.int64))])
    return linear(g, merged, w[f"{pre}.attention.output.dense.weight"], w[f"{pre}.attention.output.dense.bias"],
                  "attn_out")


def encoder_layer(g: Graph, x: str, bias_mask: str, w: dict, i: int, cfg: dict) -> str:
    pre = f"encoder.layer.{i}"
    eps = cfg["layer_norm_eps"]
    attn = attention(g, x, bias_mask, w, pre, cfg)
    x = layer_norm(g, g.op("Add", [x, attn]), w[f"{pre}.attention.output.LayerNorm.weight"],
                   w[f"{pre}.attention.output.LayerNorm.bias"], eps, "ln_attn")
    hidden = gelu(g, linear(g, x, w[f"{pre}.intermediate.dense.weight"], w[f"{pre}.intermediate.dense.bias"], "ffn_in"))
    out = linear(g, hidden, w[f"{pre}.output.dense.weight"], w[f"{pre}.output.dense.bias"], "ffn_out")
    return layer_norm(g, g.op("Add", [x, out]), w[f"{pre}.output.LayerNorm.weight"],
                      w[f"{pre}.output.LayerNorm.bias"], eps, "ln_ffn")


def embeddings(g: Graph, w: dict, cfg: dict) -> str:
    seq = g.op("Gather", [g.op("Shape", ["input_ids"]), g.const("axis1", np.int64(1))], "seq")
    positions = g.op("Range", [g.const("zero", np.int64(0)), seq, g.const("step", np.int64(1))], "positions")
    parts = [
        g.op("Gather", [g.const("word", w["embeddings.word_embeddings.weight"].astype(np.float32)), "input_ids"]),
        g.op("Gather", [g.const("pos", w["embeddings.position_embeddings.weight"].astype(np.float32)), positions]),
        g.op("Gather", [g.const("type", w["embeddings.token_type_embeddings.weight"].astype(np.float32)),
                        "token_type_ids"]),
    ]
    total = g.op("Add", [g.op("Add", parts[:2]), parts[2]])
    return layer_norm(g, total, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"],
                      cfg["layer_norm_eps"], "ln_emb")


def pooled(g: Graph, hidden: str) -> str:
    """The mean over the attention mask, scaled to unit length."""
    mask = g.op("Unsqueeze", [g.op("Cast", ["attention_mask"], to=TensorProto.FLOAT),
                              g.const("last", np.array([-1], np.int64))])
    total = g.op("ReduceSum", [g.op("Mul", [hidden, mask]), g.const("axis_s", np.array([1], np.int64))], keepdims=0)
    count = g.op("ReduceSum", [mask, g.const("axis_s2", np.array([1], np.int64))], keepdims=0)
    mean = g.op("Div", [total, g.op("Max", [count, g.const("tiny", np.float32(1e-9))])])
    # Opset 17's ReduceL2 still takes its axes as an attribute (ReduceSum's became an input).
    norm = g.op("ReduceL2", [mean], axes=[-1], keepdims=1)
    return g.op("Div", [mean, g.op("Max", [norm, g.const("tiny2", np.float32(1e-12))])], "sentence")


def build(weights: dict, cfg: dict):
    """The ONNX model for BERT weights (names without a `bert.` prefix) and their config."""
    g = Graph()
    # (1 - mask) * -1e4 broadcast over heads and query positions, as BERT extends its mask.
    keep = g.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    drop = g.op("Mul", [g.op("Sub", [g.const("one_m", np.float32(1.0)), keep]), g.const("neg", np.float32(-1e4))])
    bias_mask = g.op("Unsqueeze", [drop, g.const("axes_12", np.array([1, 2], np.int64))], "bias_mask")
    x = embeddings(g, weights, cfg)
    for i in range(cfg["num_hidden_layers"]):
        x = encoder_layer(g, x, bias_mask, weights, i, cfg)
    g.nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"]))
    g.nodes.append(helper.make_node("Identity", [pooled(g, x)], ["sentence_embedding"]))
    ids = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "sequence"])
           for n in ("input_ids", "attention_mask", "token_type_ids")]
    outs = [
        helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", cfg["hidden_size"]]),
        helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", cfg["hidden_size"]]),
    ]
    graph = helper.make_graph(g.nodes, "bert_sentence_encoder", ids, outs, g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="collm")
    model.ir_version = IR_VERSION
    return model
