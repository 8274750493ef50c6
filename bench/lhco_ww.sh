#!/usr/bin/env bash
# WW -> l nu jj benchmark: our LHCO reader + analysis (release, 1 and 2 threads) against a
# pure-Python anchor in CoLLM's style, on the same deterministic file in the same run, with
# `wc -l` as the I/O limit. Prints events/s, MB/s, ratios and peak memory.
#
# Usage: bench/lhco_ww.sh [EVENTS]        (default 1000000)
# Env:   PY_EVENTS   events the Python anchor reads (default 100000; its rate is extrapolated)
#        RUNS        runs per Rust measurement, fastest kept (default 3; the machine may be shared)
#        BENCH_DIR   where the generated files and outputs go (default target/bench-lhco)
#        JOBS        cargo -j value (default: cargo's own)
#        CARGO_TARGET_DIR is honoured.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
EVENTS=${1:-1000000}
PY_EVENTS=${PY_EVENTS:-100000}
RUNS=${RUNS:-3}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=${BENCH_DIR:-$TARGET/bench-lhco}
SEED=20240601
mkdir -p "$WORK"

cd "$ROOT"
echo "== building (release)"
cargo build --release -p collm-analysis --examples ${JOBS:+-j "$JOBS"} 2>&1 | tail -1
cargo bench -p collm-analysis --bench lhco_parse --no-run ${JOBS:+-j "$JOBS"} 2>&1 | tail -1
EX="$TARGET/release/examples"
PARSE=$(ls -t "$TARGET"/release/deps/lhco_parse-* | grep -v '\.d$' | head -1)

BIG="$WORK/ww_${EVENTS}.lhco"
SMALL="$WORK/ww_${PY_EVENTS}.lhco"
for f in "$BIG:$EVENTS" "$SMALL:$PY_EVENTS"; do
    path=${f%%:*}
    n=${f##*:}
    if [ ! -s "$path" ]; then
        echo "== generating $n events (seed $SEED) -> $path"
        "$EX/gen_lhco" "$path" "$n" "$SEED"
    fi
done
BYTES=$(stat -c %s "$BIG")
MB=$(python3 -c "print(f'{$BYTES/1e6:.1f}')")
echo "== file: $BIG, $EVENTS events, $MB MB"

best_time() { # best wall time in seconds of 3 runs of a command
    local best=""
    for _ in 1 2 3; do
        local t0 t1
        t0=$(date +%s.%N)
        "$@" >/dev/null
        t1=$(date +%s.%N)
        best=$(python3 -c "a=$t1-$t0; b='$best'; print(a if b=='' else min(a, float(b)))")
    done
    echo "$best"
}

cat "$BIG" >/dev/null  # page cache
WC=$(best_time wc -l "$BIG")
echo "== wc -l: ${WC}s"

echo "== parse only"
"$PARSE" "$BIG" 2 "$RUNS" | tee "$WORK/parse.txt"

run_ww() { # threads, file, outdir -> prints the fastest of $RUNS ww lines; peak RSS into $WORK/rss_<tag>
    local threads=$1 file=$2 out=$3 tag=$4 best="" line
    for _ in $(seq "$RUNS"); do
        line=$(/usr/bin/time -v "$EX/ww" "$file" "$out" --threads "$threads" 2>"$WORK/time_$tag.txt" | tail -1)
        best=$(python3 -c '
import sys
def secs(l):
    return float(dict(kv.split("=", 1) for kv in l.split() if "=" in kv)["analysis_seconds"])
new, old = sys.argv[1], sys.argv[2]
print(new if not old or secs(new) < secs(old) else old)' "$line" "$best")
    done
    echo "$best"
    grep "Maximum resident" "$WORK/time_$tag.txt" | awk '{print $6}' >"$WORK/rss_$tag"
}

echo "== rust WW selection (best of $RUNS)"
R1=$(run_ww 1 "$BIG" "$WORK/out_rust_1" big1)
echo "$R1"
R2=$(run_ww 2 "$BIG" "$WORK/out_rust_2" big2)
echo "$R2"
RS=$(run_ww 2 "$SMALL" "$WORK/out_rust_small" small2)
cmp -s "$WORK/out_rust_1/features.csv" "$WORK/out_rust_2/features.csv" \
    && echo "1-thread and 2-thread outputs identical" \
    || { echo "ERROR: 1-thread and 2-thread features differ"; exit 1; }

echo "== python anchor (CoLLM style) on the first $PY_EVENTS events"
PY=$(python3 "$ROOT/bench/anchor_collm_style.py" "$SMALL" "$WORK/out_python" "$PY_EVENTS")
echo "$PY" | tail -1
if diff <(echo "$PY" | grep -v '^anchor') "$WORK/out_rust_small/cutflow.csv" >/dev/null; then
    echo "python and rust cutflows agree on $PY_EVENTS events"
else
    echo "ERROR: python and rust cutflows differ"
    diff <(echo "$PY" | grep -v '^anchor') "$WORK/out_rust_small/cutflow.csv" || true
    exit 1
fi

python3 - "$BYTES" "$EVENTS" "$WC" "$R1" "$R2" "$(echo "$PY" | tail -1)" "$WORK" <<'EOF'
import sys
nbytes, events, wc = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
def fields(line):
    return dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
r1, r2, py = fields(sys.argv[4]), fields(sys.argv[5]), fields(sys.argv[6])
work = sys.argv[7]
parse = [fields(l) for l in open(f"{work}/parse.txt") if l.startswith("parse")]
rss = {t: int(open(f"{work}/rss_{t}").read()) for t in ("big1", "big2", "small2")}
py_rate = float(py["events/s"])
t1, t2 = float(r1["analysis_seconds"]), float(r2["analysis_seconds"])
print()
print(f"{'':34}{'events/s':>12}{'MB/s':>10}{'vs python':>11}")
print(f"{'wc -l (I/O limit)':34}{'':>12}{nbytes / wc / 1e6:>10.0f}")
for p in parse:
    label = f"parse only, {p['threads']} thread(s)"
    print(f"{label:34}{float(p['events/s']):>12.0f}{float(p['MB/s']):>10.0f}")
print(f"{'rust WW, 1 thread':34}{events / t1:>12.0f}{nbytes / t1 / 1e6:>10.0f}{events / t1 / py_rate:>10.0f}x")
print(f"{'rust WW, 2 threads':34}{events / t2:>12.0f}{nbytes / t2 / 1e6:>10.0f}{events / t2 / py_rate:>10.0f}x")
py_secs = events / py_rate
print(f"{'python anchor (extrapolated)':34}{py_rate:>12.0f}{nbytes / py_secs / 1e6:>10.1f}{1:>10}x")
print()
print(f"python ran on the first {py['events']} events ({py['seconds']} s) and is extrapolated to "
      f"{events} events: {py_secs:.0f} s")
print(f"peak RSS: 1 thread {rss['big1'] / 1024:.0f} MiB, 2 threads {rss['big2'] / 1024:.0f} MiB on "
      f"{events} events; 2 threads {rss['small2'] / 1024:.0f} MiB on the {py['events']}-event file")
EOF
