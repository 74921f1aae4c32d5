#!/usr/bin/env python3
"""Checks that the app's faces stay apart: shared code imports no face, and the
storefront, the creator portal and the admin console do not import one another
(what they share lives in `components` or `types`). Only the app's root (`lib.rs`
with its routes, `layout.rs` with the header) puts faces together.

    scripts/check-faces.py        # prints each import that crosses, fails if any
"""
import pathlib
import re
import sys

APP = pathlib.Path(__file__).resolve().parent.parent / "app" / "src"
FACES = {
    "storefront": {"storefront", "cart", "checkout", "orders", "account"},
    "creator portal": {"creator"},
    "admin console": {"admin"},
}
ROOT_FILES = {"lib.rs", "layout.rs"}
MODULE_FACE = {module: face for face, modules in FACES.items() for module in modules}


def face_of(path: pathlib.Path) -> str:
    top = path.relative_to(APP).parts[0].removesuffix(".rs")
    return MODULE_FACE.get(top, "shared")


def imported_modules(text: str):
    """Top-level modules of `crate` that a file names: `crate::x::…` anywhere, and
    the first level of every `use crate::{…};` block."""
    for m in re.finditer(r"crate::([a-z_]+)", text):
        yield m.group(1)
    for block in re.finditer(r"use crate::\{(.*?)\};", text, re.S):
        depth, path, paths = 0, "", []
        for ch in block.group(1):
            depth += {"{": 1, "}": -1}.get(ch, 0)
            if ch == "," and depth == 0:
                paths.append(path)
                path = ""
            else:
                path += ch
        paths.append(path)
        for path in paths:
            m = re.match(r"\s*([a-z_]+)", path)
            if m:
                yield m.group(1)


def main() -> int:
    crossings = []
    for path in sorted(APP.rglob("*.rs")):
        if path.relative_to(APP).as_posix() in ROOT_FILES:
            continue
        mine = face_of(path)
        text = re.sub(r"//.*", "", path.read_text())
        for module in sorted(set(imported_modules(text))):
            theirs = MODULE_FACE.get(module)
            if theirs and theirs != mine:
                crossings.append(f"{path.relative_to(APP)} ({mine}) imports {module} ({theirs})")
    for line in crossings:
        print(line)
    return 1 if crossings else 0


if __name__ == "__main__":
    sys.exit(main())
