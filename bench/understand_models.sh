#!/usr/bin/env bash
# Understanding latency per bullet, grammar path against model path, in one run: the
# paraphrase corpora (tests/paraphrase/, 111 bullets) read by the grammar alone (the anchor),
# then with the installed language model and encoder (collm models install). Prints, per
# reader, exact and top-3 accuracy and the p50/p95 time per bullet. Release build; never
# fails on timing.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/collm/target}"
cargo test --quiet --release --locked -p collm-nl --test paraphrase -- --nocapture 2>/dev/null \
    | grep -E '^(bullets|model_only|whole)' || true
