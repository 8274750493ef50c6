#!/usr/bin/env python3
"""Finds modules that import each other, in every crate of the workspace.

A module that imports a module that imports it back is a knot: neither can be understood,
tested or moved alone. Paths are read from the source (`use crate::…`, `crate::…::` and
`super::…` references); a module and its own ancestors are exempt, since a parent declares
and re-exports its children by design. Prints each pair found and exits 1 if there is any.

Usage: tests/module_cycles.py [ROOT]
"""
import re
import sys
from pathlib import Path

PATH = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")
GROUP = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)*)::\{([^;]*?)\}", re.S)


def module_of(src: Path, file: Path) -> tuple[str, ...]:
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


def strip_tests(text: str) -> str:
    """The code before a `#[cfg(test)]` module (tests may reach anywhere), without comments
    (a doc link is not an import)."""
    cut = text.find("#[cfg(test)]")
    code = text if cut < 0 else text[:cut]
    return re.sub(r"//[^\n]*", "", code)


def references(text: str, here: tuple[str, ...], is_dir_module: bool):
    """Absolute module paths (as tuples of names) this file refers to."""
    base_for_super = here[:-1] if not is_dir_module else here[:-1]
    paths = []
    for m in GROUP.finditer(text):
        prefix = m.group(2).split("::")[1:]
        for item in m.group(3).split(","):
            first = item.strip().split("::")[0].split(" ")[0]
            if first and first != "self":
                paths.append((m.group(1), prefix + [first] + item.strip().split("::")[1:]))
            elif first == "self":
                paths.append((m.group(1), prefix))
    for m in PATH.finditer(text):
        paths.append((m.group(1), m.group(2).split("::")[1:]))
    for root, names in paths:
        if root == "crate":
            yield tuple(names)
        else:
            base = list(base_for_super)
            while names and names[0] == "super":
                names = names[1:]
                base = base[:-1]
            yield tuple(base + names)


def crate_cycles(src: Path) -> list[str]:
    modules = {}
    for file in sorted(src.rglob("*.rs")):
        if "tests" in file.relative_to(src).parts[:-1] or file.name == "tests.rs":
            continue
        modules[module_of(src, file)] = file
    edges: dict[tuple, set] = {m: set() for m in modules}
    for mod, file in modules.items():
        text = strip_tests(file.read_text(errors="replace"))
        is_dir = file.name in ("mod.rs", "lib.rs", "main.rs")
        for ref in references(text, mod if is_dir else mod, is_dir):
            target = max((m for m in modules if ref[: len(m)] == m), key=len, default=None)
            if target is not None and target != mod:
                edges[mod].add(target)
    found = []
    for a in modules:
        for b in edges[a]:
            ancestor = a[: len(b)] == b or b[: len(a)] == a
            if a < b and a in edges[b] and not ancestor:
                found.append(f"{src.parent.name}: {'::'.join(a) or 'crate'} <-> {'::'.join(b)}")
    return found


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
    found = []
    crates = sorted(p.parent for p in root.glob("*/Cargo.toml") if (p.parent / "src").is_dir())
    for crate in crates:
        found += crate_cycles(crate / "src")
    for line in found:
        print(line)
    print(f"{len(crates)} crates checked, {len(found)} pairs of modules that import each other")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
