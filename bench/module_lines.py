#!/usr/bin/env python3
"""Lines per module, before and after: the table of docs/architecture.md's closing note.

Usage:  python bench/module_lines.py [REV] [--over N]

"before" is the git revision REV (default: the merge base with main, else HEAD), "after" the working
tree. Every .py module under xenmodel/ and checkers/ is listed (a moved module shows up twice: "-"
where it does not exist), with totals; modules of the working tree over N lines (default 500) are
marked with a "!" and listed at the end.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("xenmodel", "checkers")


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def _default_rev() -> str:
    try:
        return _git("merge-base", "HEAD", "main").strip()
    except subprocess.CalledProcessError:
        return "HEAD"


def lines_at(rev: str) -> dict[str, int]:
    """Lines of each module at git revision `rev`."""
    out = {}
    for path in _git("ls-tree", "-r", "--name-only", rev, "--", *FOLDERS).split():
        if path.endswith(".py"):
            out[path] = _git("show", f"{rev}:{path}").count("\n")
    return out


def lines_now() -> dict[str, int]:
    """Lines of each module in the working tree."""
    return {str(p.relative_to(ROOT)): p.read_text().count("\n")
            for folder in FOLDERS for p in sorted((ROOT / folder).rglob("*.py")) if "__pycache__" not in p.parts}


def table(before: dict[str, int], after: dict[str, int], over: int) -> str:
    rows = ["| module | before | after |", "|---|---:|---:|"]
    for path in sorted(before.keys() | after.keys()):
        b, a = before.get(path), after.get(path)
        mark = " !" if a is not None and a > over else ""
        rows.append(f"| `{path}` | {'-' if b is None else b} | {'-' if a is None else a}{mark} |")
    rows.append(f"| **total** ({len(before)} -> {len(after)} modules) | {sum(before.values())} | "
                f"{sum(after.values())} |")
    big = sorted(p for p, n in after.items() if n > over)
    if big:
        rows.append("")
        rows.append(f"over {over} lines: " + ", ".join(f"`{p}` ({after[p]})" for p in big))
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("rev", nargs="?", default=None,
                    help="the git revision for 'before' (default: the merge base with main)")
    ap.add_argument("--over", type=int, default=500, help="mark modules longer than this (default: 500)")
    a = ap.parse_args(argv)
    try:
        before = lines_at(a.rev or _default_rev())
    except subprocess.CalledProcessError as err:
        print(f"module_lines: git failed: {err.stderr.strip()}", file=sys.stderr)
        return 2
    print(table(before, lines_now(), a.over))
    return 0


if __name__ == "__main__":
    sys.exit(main())
