#!/usr/bin/env bash
# Fuzzes one fuzz crate with cargo-fuzz for SECONDS per target and prints libFuzzer's summary.
#
# Usage: tests/fuzz.sh DIR SECONDS [TARGET...]
#   DIR: analysis/fuzz (the LHCO reader: lhco_reader, lhco_gzip) or wire/fuzz (the Jupyter
#   message decoder: jupyter_decode). Without TARGETs, every target of DIR's Cargo.toml.
# Needs `cargo install cargo-fuzz --locked`. cargo-fuzz passes nightly-only flags
# (-Zsanitizer=address); RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them.
# The corpus grows in DIR/corpus/<target> (seeded from DIR/seeds when there is one); crashes
# land in DIR/artifacts/<target>. Env: CARGO_TARGET_DIR (default ~/.cache/collm/target-fuzz),
# JOBS (cargo -j, default 1), FUZZ_FLAGS (extra libFuzzer flags).
set -euo pipefail

FUZZ_DIR=$(cd "${1:?usage: fuzz.sh DIR SECONDS [TARGET...]}" && pwd)
SECONDS_PER_TARGET=${2:?usage: fuzz.sh DIR SECONDS [TARGET...]}
shift 2
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
    mapfile -t TARGETS < <(sed -n 's/^name = "\([a-z_]*\)"$/\1/p' "$FUZZ_DIR/Cargo.toml" | grep -v -- -fuzz)
fi

cd "$FUZZ_DIR/.."
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/collm/target-fuzz}
export CARGO_BUILD_JOBS=${JOBS:-1}

seeds=()
[ -d "$FUZZ_DIR/seeds" ] && seeds=("$FUZZ_DIR/seeds")
status=0
for t in "${TARGETS[@]}"; do
    corpus="$FUZZ_DIR/corpus/$t"
    mkdir -p "$corpus" "$FUZZ_DIR/artifacts/$t"
    echo "== $t: ${SECONDS_PER_TARGET}s, corpus $corpus"
    log=$(mktemp)
    # shellcheck disable=SC2086
    if cargo fuzz run "$t" "$corpus" "${seeds[@]}" -- \
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
