"""A Hugging Face `tokenizer.json` from a GGUF file's byte-level BPE vocabulary (`gpt2` model,
`smollm` pre-tokenizer): digits split one by one, then GPT-2's byte-level splitting; the control
tokens (`<|im_start|>`, `<|im_end|>`, …) are special added tokens, so the kernel's runner never
generates them as text.
"""
from __future__ import annotations

CONTROL = 3  # llama.cpp's token type for control tokens


def tokenizer_json(g) -> dict:
    """`g` is a `llama_onnx.Gguf`."""
    model = g.field("tokenizer.ggml.model")
    if model != "gpt2":
        raise SystemExit(f"tokenizer model {model!r}: only byte-level BPE (gpt2) is converted")
    tokens = g.strings("tokenizer.ggml.tokens")
    kinds = g.ints("tokenizer.ggml.token_type")
    added = [
        {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
         "normalized": False, "special": True}
        for i, (t, kind) in enumerate(zip(tokens, kinds)) if kind == CONTROL
    ]
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Digits", "individual_digits": True}, byte_level]},
        "post_processor": byte_level,
        "decoder": byte_level,
        "model": {
            "type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
            "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
            "vocab": {t: i for i, t in enumerate(tokens)},
            "merges": g.strings("tokenizer.ggml.merges"),
        },
    }
