"""Checks the size limits of the Rust sources: no file over 500 lines and no function over
80 lines, outside tests (files under a tests/ or benches/ folder, and a file's trailing
`#[cfg(test)]` module). Lists every offender and exits 1 if there is one."""

import re
import subprocess
import sys

MAX_FILE = 500
MAX_FN = 80
FN = re.compile(r"\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")


def code_lines(path):
    """The file's lines before its test module."""
    lines = open(path, encoding="utf-8").read().split("\n")
    for i, line in enumerate(lines):
        if line.strip() == "#[cfg(test)]":
            return lines[:i]
    return lines


def braces(line):
    """The line with string and char literals and comments removed."""
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(\\.|[^'\\])'", "''", line)
    return line.split("//")[0]


def function_end(lines, start):
    """The index of the line that closes the function starting at `start`."""
    depth, opened = 0, False
    for j in range(start, len(lines)):
        text = braces(lines[j])
        for ch in text:
            if ch == "{":
                depth, opened = depth + 1, True
            elif ch == "}":
                depth -= 1
        if opened and depth <= 0:
            return j
        if not opened and text.rstrip().endswith(";"):
            return j
    return len(lines) - 1


def offenders(path):
    lines = code_lines(path)
    if len(lines) > MAX_FILE:
        yield f"{path}: {len(lines)} lines (limit {MAX_FILE})"
    for i, line in enumerate(lines):
        m = FN.match(line)
        if m:
            length = function_end(lines, i) - i + 1
            if length > MAX_FN:
                yield f"{path}:{i + 1}: fn {m.group(6)} is {length} lines (limit {MAX_FN})"


def main():
    files = subprocess.check_output(["git", "ls-files", "*.rs"], text=True).split()
    files = [f for f in files if not re.search(r"(^|/)(tests|benches)/", f)]
    found = [o for f in files for o in offenders(f)]
    for o in found:
        print(o)
    print(f"{len(files)} Rust source files checked: {len(found)} over the size limits")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
