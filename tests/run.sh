#!/usr/bin/env bash
# Runs the whole test suite: formatting and lints, the Rust unit and
# integration tests, then the kernel tests through real Jupyter clients
# (conformance, protocol behaviour, notebooks). Installs first (install.sh is
# idempotent), so a fresh clone needs nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/collm/target}"
export PATH="${COLLM_BIN_DIR:-$HOME/.local/bin}:$PATH"

step() { printf '\n=== %s ===\n' "$*"; }

step "install"
./install.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --release --locked --workspace --all-targets -- -D warnings

# One package set at a time: cargo unifies features across the packages it
# builds together, and the kernel's set must match install.sh's build so that
# the evcxr dependency tree is reused instead of compiled a second time.
step "structure: no module imports one that imports it back; sizes; the client needs no generator"
python3 tests/module_cycles.py
python3 tests/code_sizes.py
client_tree=$(cargo tree --locked -p collm-client -e normal --prefix none)
grep -q '^collm-contract ' <<<"$client_tree"
if grep -E '^collm-(generator|analysis) ' <<<"$client_tree"; then
    echo "collm-client must depend on neither collm-generator nor collm-analysis"
    exit 1
fi
echo "collm-client depends on neither collm-generator nor collm-analysis"

step "cargo test: kernel, wire, magics, widgets (release)"
cargo test --release --locked -p collm-kernel -p collm-wire -p collm-magics -p collm-widgets

step "cargo test: analysis (release)"
cargo test --release --locked -p collm-analysis

step "cargo test: analysis Parquet export (feature parquet)"
cargo test --release --locked -p collm-analysis --features parquet --test parquet

step "cargo test: generator (physics validation, determinism)"
cargo test --release --locked -p collm-generator --features parquet

step "cargo test: nl (%%collm grammar, codegen, correctness corpus)"
cargo test --release --locked -p collm-nl

step "cargo test: client (contract, price formula, token lookup, error messages)"
cargo test --release --locked -p collm-client

step "cargo test: backend on SQLite, and on PostgreSQL when a server can be started"
pg_url=$(bash tests/postgres.sh | tail -1 || true)
if [ -n "$pg_url" ]; then
    echo "PostgreSQL at ${pg_url##*@}: the backend tests run on both databases"
    cargo test --release --locked -p collm-backend
    COLLM_TEST_POSTGRES="$pg_url" cargo test --release --locked -p collm-backend
else
    echo "PostgreSQL tests skipped (reason above); running on SQLite only"
    cargo test --release --locked -p collm-backend
fi

step "kernel tests (jupyter_client, jupyter_kernel_test, nbconvert, Chromium)"
# Kernels started by the tests must use this checkout's build.
export JUPYTER_PATH="$PWD/.venv/share/jupyter"
# The browser tests use Debian's Chromium; without one they are skipped with the reason.
COLLM_CHROMIUM=$(bash tests/chromium.sh | tail -1 || true)
export COLLM_CHROMIUM
# The security suite attacks a backend on SQLite, and on PostgreSQL when one was started above.
export COLLM_SECURITY_POSTGRES="${pg_url:-}"
.venv/bin/python -m pytest -ra tests/
