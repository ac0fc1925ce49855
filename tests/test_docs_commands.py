"""Docs that cannot drift: every command block of README.md and docs/*.md runs with its shown exit code
and output (tools/docblocks.py describes the block format; `python tools/update_docs.py` rewrites the
outputs). Blocks marked `slow` run under `-m slow`; blocks marked `skip` are listed with their reason by
`python tools/update_docs.py --list` and by test_not_run_blocks_say_why."""
from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import click
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import docblocks  # noqa: E402
from docblocks import Block, Command, all_blocks, apply, matches, normalise, run, scan  # noqa: E402

BLOCKS, UNRUN = all_blocks()


def params() -> list[object]:
    return [pytest.param(b, id=b.id, marks=[pytest.mark.slow] if b.slow else []) for b in BLOCKS]


@pytest.mark.parametrize("block", params())
def test_block_runs_as_shown(block: Block, tmp_path: Path) -> None:
    outcomes = run(block, tmp_path)
    for o in outcomes:
        shown = "\n".join(o.command.expected)
        assert o.exit == o.command.exit, f"{block.id}: `{o.command.line}` exited {o.exit}:\n{o.output}"
        assert o.ok, (f"{block.id}: `{o.command.line}` printed\n{o.output}\nthe doc shows\n{shown}\n"
                      "(python tools/update_docs.py rewrites it; review the diff)")


def test_every_command_block_is_run_or_says_why() -> None:
    unmarked = [f"{u.doc}:{u.line}: {u.text.splitlines()[0]}" for u in UNRUN if not u.reason]
    assert not unmarked, "command blocks neither run (```console) nor marked skip=\"reason\":\n" + "\n".join(unmarked)


def test_not_run_blocks_say_why() -> None:
    # The list a reader of the test log sees: what is not run by default, and why.
    not_run = [f"{u.doc}:{u.line} skipped: {u.reason}" for u in UNRUN]
    slow = [f"{b.id} slow (pytest -m slow): {b.commands[0].line}" for b in BLOCKS if b.slow]
    print("\n".join(not_run + slow))
    assert all(u.reason and len(u.reason) > 10 for u in UNRUN)


OUTSIDE = re.compile(r"\.\./shared|/work/|/tmp/|/home/|/usr/|xen-facts\.md|C:\\\\")


def test_no_doc_points_outside_the_repository() -> None:
    found = []
    for path in docblocks.docs():
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
            for target in re.findall(r"\]\(([^)#\s]+)", line):
                if re.match(r"[a-z]+://", target):
                    continue
                resolved = (path.parent / target).resolve()
                if not resolved.is_relative_to(ROOT) or not resolved.exists():
                    found.append(f"{path.relative_to(ROOT)}:{n}: link to {target}")
    assert not found, "\n".join(found)


def inline_commands() -> list[tuple[str, str]]:
    """(where, command) for every `xenmodel ...` in a code span or on a block line of the docs."""
    found = []
    for path in docblocks.docs():
        text = path.read_text()
        rel = path.relative_to(ROOT).as_posix()
        for m in re.finditer(r"`(xenmodel [^`\n]+)`", text):
            found.append((f"{rel}:{text.count(chr(10), 0, m.start()) + 1}", m.group(1)))
        for n, line in enumerate(text.splitlines(), 1):
            m = re.search(r"(?:^\$ |^|&& )(xenmodel [^`#]+)", line)
            if m:
                found.append((f"{rel}:{n}", m.group(1).strip()))
    return found


def options_of(command: click.Command) -> set[str]:
    return {opt for p in command.params for opt in (*p.opts, *p.secondary_opts) if opt.startswith("-")}


def unknown_flags(commands: list[tuple[str, str]]) -> list[str]:
    from xenmodel.cli import cli
    bad = []
    for where, line in commands:
        try:
            words = shlex.split(line)[1:]
        except ValueError:
            continue
        command: click.Command = cli
        while isinstance(command, click.Group) and words and words[0] in command.commands:
            command = command.commands[words.pop(0)]
        known = options_of(command) | options_of(cli) | {"--help", "-h"}
        for word in words:
            flag = word.split("=")[0]
            if flag.startswith("-") and flag not in known and not re.fullmatch(r"-\d+", flag):
                bad.append(f"{where}: `{line}`: no option {flag}")
    return bad


def test_every_flag_the_docs_show_exists() -> None:
    # Commands in prose are not run, but their flags are checked against the CLI, so a rename is caught.
    bad = unknown_flags(inline_commands())
    assert not bad, "\n".join(bad)


def test_the_flag_check_catches_a_renamed_flag() -> None:
    assert unknown_flags([("x.md:1", "xenmodel check m.xm --max-dept 3 --max-depth 3")]) == [
        "x.md:1: `xenmodel check m.xm --max-dept 3 --max-depth 3`: no option --max-dept"]
    assert unknown_flags([("x.md:1", "xenmodel trace export m.xm t.json --out x.html")]) == []


# The harness itself: what it accepts and what it catches.

def test_an_ellipsis_line_stands_for_any_lines() -> None:
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "...", "d"], ["a", "d"])
    assert not matches(["a", "...", "d"], ["a", "b", "c"])
    assert not matches(["a"], ["a", "b"])


def test_normalising_masks_times_not_counts() -> None:
    line = 'stats: states=8, seconds=0.003, states_per_second=2716, peak_memory_mb=32.1, "seconds": 1.5 in 91 s'
    other = 'stats: states=8, seconds=12.5, states_per_second=3, peak_memory_mb=99.0, "seconds": 2 in 0.4 s'
    assert normalise(line) == normalise(other)
    assert normalise(line) != normalise(line.replace("states=8", "states=9"))
    assert normalise("wrote /x/y/cex.html at 2026-12-03T16:41:20Z", Path("/x/y")) == ["wrote <dir>/cex.html at <date>"]


DOC = """# A doc

```xm file=m.xm
model m
var x: int[0..3]
init { x := 0 }
action up() { require x < 3  x := x + 1 }
invariant small: x < 2
```

<!-- xenmodel-run: exit=1 -->
```console
$ xenmodel check m.xm
the wrong output
```

```console
$ xenmodel parse m.xm
ok: model m: 1 variable(s), 1 action(s), 1 invariant(s), 0 lemma(s)
```
"""


def test_a_wrong_output_or_exit_fails_and_the_rewrite_fixes_it(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(DOC.replace("exit=1", "exit=0"))
    blocks, _ = scan(doc, tmp_path)
    assert [b.commands[0].line for b in blocks] == ["xenmodel check m.xm", "xenmodel parse m.xm"]
    work = tmp_path / "w1"
    work.mkdir()
    wrong = run(blocks[0], work)[0]
    assert wrong.exit == 1 and not wrong.ok
    apply(doc, [(blocks[0], [wrong])])
    fixed = doc.read_text()
    assert "<!-- xenmodel-run: exit=1 -->" in fixed and "the wrong output" not in fixed
    assert "violated" in fixed and fixed.count("ok: model m") == 1
    again, _ = scan(doc, tmp_path)
    work3 = tmp_path / "w3"
    work3.mkdir()
    assert all(o.ok for o in run(again[0], work3))


def test_a_bad_marker_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("<!-- xenmodel-run: exits=1 -->\n```console\n$ xenmodel parse m.xm\n```\n")
    with pytest.raises(docblocks.DocError, match="unknown option `exits`"):
        scan(doc, tmp_path)
    with pytest.raises(docblocks.DocError, match="runs only"):
        docblocks.argv(Command("rm -rf x", [], 0))


def test_the_rewrite_keeps_the_elisions_it_can() -> None:
    from docblocks import elide
    old = ["head", "...", "step 1", "x", "...", "stats: seconds=1"]
    new = ["head2", "a", "b", "step 1", "y", "c", "stats: seconds=2"]
    assert elide(old, new) == ["head2", "...", "step 1", "y", "...", "stats: seconds=2"]
    assert elide(old, ["head2", "a", "no step"]) == ["head2", "a", "no step"]
