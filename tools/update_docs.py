"""Re-run the command blocks of README.md and docs/*.md and rewrite their outputs in place.

    python tools/update_docs.py            # run the default blocks; rewrite those whose output changed
    python tools/update_docs.py --slow     # the slow blocks too
    python tools/update_docs.py --check    # compare only (exit 1 on a difference), as the tests do
    python tools/update_docs.py --list     # which blocks are run, which are slow, which are not run and why
    python tools/update_docs.py README.md:103 docs/model.md   # only these blocks or pages (slow ones too)

A block whose normalised output still matches is left as it is (its figures too), so the diff shows only
real changes; a changed exit code is written into the block's marker. Review the diff before committing.
The block format is described in docs/testing.md ("Docs that run") and in tools/docblocks.py.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from docblocks import ROOT, Block, Outcome, all_blocks, apply, report, run


def selected(blocks: list[Block], wanted: list[str], slow: bool) -> list[Block]:
    if wanted:
        unknown = [w for w in wanted if not any(w in (b.id, b.doc) for b in blocks)]
        if unknown:
            raise SystemExit(f"no command block {', '.join(unknown)} (python tools/update_docs.py --list)")
        return [b for b in blocks if b.id in wanted or b.doc in wanted]
    return [b for b in blocks if slow or not b.slow]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("only", nargs="*", help="block ids (doc:line) or documents; default every block")
    ap.add_argument("--slow", action="store_true", help="run the blocks marked slow too")
    ap.add_argument("--check", action="store_true", help="do not rewrite; exit 1 when a block differs")
    ap.add_argument("--list", action="store_true", help="list the blocks and exit")
    args = ap.parse_args(argv)
    blocks, unrun = all_blocks()
    if args.list:
        for b in blocks:
            print(f"{b.id:28} {'slow' if b.slow else 'run '}  {b.commands[0].line}")
        for u in unrun:
            print(f"{u.doc + ':' + str(u.line):28} not run: {u.reason or 'UNMARKED (the tests fail)'}")
        return 0
    changes: dict[str, list[tuple[Block, list[Outcome]]]] = {}
    failed = 0
    for block in selected(blocks, args.only, args.slow):
        with tempfile.TemporaryDirectory(prefix="xenmodel-doc-") as tmp:
            outcomes = run(block, Path(tmp))
        bad = [o for o in outcomes if not o.ok]
        print(f"{block.id}: {'differs' if bad else 'ok'}", flush=True)
        if bad:
            failed += 1
            report(block, outcomes, print)
            changes.setdefault(block.doc, []).append((block, outcomes))
    if not args.check:
        for doc, doc_changes in changes.items():
            apply(ROOT / doc, doc_changes)
            print(f"rewrote {len(doc_changes)} block(s) in {doc}")
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
