#!/usr/bin/env bash
# Fuzzes the LHCO reader with cargo-fuzz for SECONDS per target and prints libFuzzer's summary.
#
# Usage: analysis/fuzz/run.sh SECONDS [TARGET...]     (default targets: lhco_reader lhco_gzip)
# Needs `cargo install cargo-fuzz --locked`. cargo-fuzz passes nightly-only flags
# (-Zsanitizer=address); RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them.
# The corpus grows in analysis/fuzz/corpus/<target> (seeded from analysis/fuzz/seeds); crashes
# land in analysis/fuzz/artifacts/<target>. Env: CARGO_TARGET_DIR (default
# ~/.cache/collm/target-fuzz), JOBS (cargo -j, default 1), FUZZ_FLAGS (extra libFuzzer flags).
set -euo pipefail

SECONDS_PER_TARGET=${1:?usage: run.sh SECONDS [TARGET...]}
shift
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(lhco_reader lhco_gzip)

FUZZ_DIR=$(cd "$(dirname "$0")" && pwd)
cd "$FUZZ_DIR/.."
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/collm/target-fuzz}
export CARGO_BUILD_JOBS=${JOBS:-1}

status=0
for t in "${TARGETS[@]}"; do
    corpus="$FUZZ_DIR/corpus/$t"
    mkdir -p "$corpus" "$FUZZ_DIR/artifacts/$t"
    echo "== $t: ${SECONDS_PER_TARGET}s, corpus $corpus"
    log=$(mktemp)
    # shellcheck disable=SC2086
    if cargo fuzz run "$t" "$corpus" "$FUZZ_DIR/seeds" -- \
        -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 -max_len=65536 \
        ${FUZZ_FLAGS:-} >"$log" 2>&1; then
        result=ok
    else
        result=FAILED
        status=1
    fi
    grep -E '^(#[0-9]+ +DONE|Done|stat::|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' "$log" || true
    if [ "$result" = FAILED ]; then
        tail -40 "$log"
    fi
    echo "== $t: $result (corpus: $(ls "$corpus" | wc -l) inputs; full log $log)"
done
exit $status
