#!/usr/bin/env bash
# The %%collm understanding step over the whole corpus, in release: per-spec median time,
# beside an anchor run (splitting the specs into items) in the same process.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/collm/target}"
cargo run --quiet --release --locked -p collm-nl --example understand_speed -- tests/collm-corpus/*.txt
