#!/usr/bin/env bash
# Finds Debian's Chromium for the browser tests, installing it if it can, and prints its path on
# the last line; prints nothing on stdout (and the reason on stderr) if there is none.
set -u
say() { echo "chromium: $*" >&2; }
if ! command -v chromium >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing Debian's chromium package"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 </dev/null \
            || { say "apt-get install chromium failed; browser tests skipped"; exit 0; }
    else
        say "no chromium and no way to install one; browser tests skipped"
        exit 0
    fi
fi
command -v chromium
