"""The command blocks of README.md and docs/*.md as data: parsed, run, compared and rewritten.

A block is run when it is a fenced block with the info string `console`. Its `$ ` lines are commands;
the lines after each, up to the next `$ ` line, are that command's expected output. An HTML comment
just before the block (blank lines between are allowed) sets its options:

    <!-- xenmodel-run: exit=1 stderr slow edit="tour.xm|curr := v|curr = v" -->

    exit=N or exit=N,M,...   the exit code of every command, or of each in turn (default 0)
    stderr                   the output shown includes standard error (default: standard output only)
    slow                     run only under `pytest -m slow` (and by tools/update_docs.py --slow)
    skip="reason"            not run at all; the reason is required and listed
    edit="FILE|OLD|NEW"      before the block, replace OLD by NEW in FILE (`\\n` is a newline); repeatable

A fenced block whose info string ends in `file=NAME` (```` ```xm file=tour.xm ````) is a file: it is
written into the working directory of every later block of the same document. Any other fenced block
that shows a command (a line starting with `$ `, `xenmodel`, `python`, `pytest` or `pip`) must carry
`skip="reason"`: `tests/test_docs_commands.py` fails on an unmarked one.

Each block runs in a fresh temporary directory holding copies of spec/, proofs/, examples/ and
pyproject.toml (so files the commands write, and edits, stay there), with the repository first on
PYTHONPATH: `xenmodel` runs `python -m xenmodel` of this checkout, `python` and `pytest` the running
interpreter. Output is compared after normalising what changes from run to run (`NORMALISE`), and a
line `...` in the expected output stands for any number of lines.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("spec", "proofs", "examples")
PROGRAMS: dict[str, list[str]] = {
    "xenmodel": [sys.executable, "-m", "xenmodel"],
    "python": [sys.executable],
    "pytest": [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"],
}
COMMAND_WORDS = ("xenmodel", "python", "pytest", "pip")
MARKER = re.compile(r"<!--\s*xenmodel-run:(.*?)-->", re.S)
ELLIPSIS = "..."

# What changes from run to run, masked on both sides before comparing (the doc keeps its real figures).
NORMALISE: list[tuple[str, re.Pattern[str], str]] = [
    ("key=value or \"key\": value timings, rates and memory (seconds, cpu_seconds, *_per_second, *_per_state, *_mb)",
     re.compile(r"\b(\w*(?:seconds|per_second|per_state|_mb))(\"?\s*[=:]\s*)-?\d+(?:\.\d+)?(?:e-?\d+)?"), r"\1\2<n>"),
    ("durations written as a number and a unit: `0.5 s`, `12 ms`, `3.1s`",
     re.compile(r"\b\d+(?:\.\d+)?\s?(?:s|ms|seconds)\b"), "<time>"),
    ("rates: `1,234 states/s`, `56 steps/s`",
     re.compile(r"\b[\d,]+(?:\.\d+)?\s+(\w+)/s\b"), r"<n> \1/s"),
    ("dates and times: `2026-12-03`, `2026-12-03T16:41:20Z`, `16:41:20`",
     re.compile(r"\b\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?|\b\d\d:\d\d:\d\d\b"),
     "<date>"),
    ("the temporary working directory and the repository's absolute path",
     re.compile(r"(?!)"), ""),  # replaced per run in `normalise` (the paths are only known then)
]


@dataclass
class Command:
    line: str                   # as written after `$ `
    expected: list[str]         # the lines shown after it
    exit: int


@dataclass
class Block:
    doc: str                    # path relative to ROOT
    line: int                   # 1-based line of the opening fence
    start: int                  # index of the first body line
    end: int                    # index of the closing fence
    commands: list[Command]
    stderr: bool = False
    slow: bool = False
    skip: str | None = None
    edits: list[tuple[str, str, str]] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)   # file blocks before this one
    marker_line: int | None = None                       # index of the options comment, if any

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.line}"


@dataclass
class Unrun:
    """A fenced block that shows a command but is not run (its reason, or None when unmarked)."""
    doc: str
    line: int
    text: str
    reason: str | None


class DocError(Exception):
    """A malformed block or marker."""


def docs() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def fences(lines: list[str]) -> Iterator[tuple[int, int, str]]:
    """(opening index, closing index, info string) of every fenced block."""
    i = 0
    while i < len(lines):
        m = re.match(r"^\s*(```+)(.*)$", lines[i])
        if m:
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(m.group(1)):
                j += 1
            yield i, j, m.group(2).strip()
            i = j
        i += 1


def marker_before(lines: list[str], i: int) -> tuple[int, str] | None:
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    if j >= 0:
        m = MARKER.fullmatch(lines[j].strip())
        if m:
            return j, m.group(1)
    return None


def parse_options(text: str, where: str) -> dict[str, list[str]]:
    options: dict[str, list[str]] = {}
    for word in shlex.split(text):
        key, _, value = word.partition("=")
        if key not in ("exit", "stderr", "slow", "skip", "edit"):
            raise DocError(f"{where}: unknown option `{key}` in the xenmodel-run marker")
        options.setdefault(key, []).append(value)
    return options


def parse_commands(body: list[str], exits: list[int], where: str) -> list[Command]:
    commands: list[Command] = []
    for text in body:
        if text.startswith("$ "):
            commands.append(Command(text[2:].strip(), [], 0))
        elif not commands:
            raise DocError(f"{where}: a console block must start with a `$ ` line")
        else:
            commands[-1].expected.append(text)
    if len(exits) not in (1, len(commands)):
        raise DocError(f"{where}: exit= gives {len(exits)} codes for {len(commands)} commands")
    for n, command in enumerate(commands):
        command.exit = exits[n] if len(exits) > 1 else exits[0]
    return commands


def shows_command(body: list[str]) -> bool:
    return any(line.startswith("$ ") or (line.split()[:1] and line.split()[0] in COMMAND_WORDS) for line in body)


def scan(path: Path, root: Path = ROOT) -> tuple[list[Block], list[Unrun]]:
    """The run blocks and the not-run command blocks of one document."""
    rel = path.relative_to(root).as_posix()
    lines = path.read_text().split("\n")
    blocks: list[Block] = []
    unrun: list[Unrun] = []
    files: dict[str, str] = {}
    for i, j, info in fences(lines):
        body = lines[i + 1:j]
        where = f"{rel}:{i + 1}"
        found = marker_before(lines, i)
        options = parse_options(found[1], where) if found else {}
        fm = re.search(r"\bfile=(\S+)$", info)
        if fm:
            files[fm.group(1)] = "\n".join(body) + "\n"
        elif info == "console" and "skip" not in options:
            exits = [int(x) for x in ",".join(options.get("exit", ["0"])).split(",")]
            edits = []
            for e in options.get("edit", []):
                parts = e.replace("\\n", "\n").split("|")
                if len(parts) != 3:
                    raise DocError(f"{where}: edit=\"FILE|OLD|NEW\" expected, got {e!r}")
                edits.append((parts[0], parts[1], parts[2]))
            blocks.append(Block(rel, i + 1, i + 1, j, parse_commands(body, exits, where),
                                stderr="stderr" in options, slow="slow" in options, edits=edits,
                                files=dict(files), marker_line=found[0] if found else None))
        elif info == "console" or shows_command(body):
            reason = options.get("skip", [None])[0]
            unrun.append(Unrun(rel, i + 1, "\n".join(body), reason or None))
    return blocks, unrun


def all_blocks() -> tuple[list[Block], list[Unrun]]:
    blocks: list[Block] = []
    unrun: list[Unrun] = []
    for path in docs():
        b, u = scan(path)
        blocks += b
        unrun += u
    return blocks, unrun


def normalise(text: str, *paths: Path) -> list[str]:
    """The lines of `text` with run-dependent parts masked; trailing blanks dropped."""
    for p in paths:
        text = text.replace(str(p), "<dir>")
    for _, pattern, repl in NORMALISE:
        text = pattern.sub(repl, text)
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; an expected line `...` matches any number of actual lines."""
    if not expected:
        return not actual
    if expected[0].strip() == ELLIPSIS:
        return any(matches(expected[1:], actual[k:]) for k in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


@dataclass
class Outcome:
    command: Command
    exit: int
    output: str
    ok: bool


def argv(command: Command) -> list[str]:
    words = shlex.split(command.line, comments=True)
    if not words or words[0] not in PROGRAMS:
        raise DocError(f"`{command.line}`: a console block runs only {', '.join(PROGRAMS)}")
    return PROGRAMS[words[0]] + words[1:]


def workspace(workdir: Path) -> None:
    """Make `workdir` a place to run documented commands: copies of the model folders and pyproject.toml."""
    for name in COPIED:
        shutil.copytree(ROOT / name, workdir / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", workdir / "pyproject.toml")


def environment() -> dict[str, str]:
    """This checkout first on the path; no colours, a fixed width."""
    return dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
                NO_COLOR="1", TERM="dumb", COLUMNS="80")


def prepare(block: Block, workdir: Path) -> None:
    workspace(workdir)
    for name, text in block.files.items():
        (workdir / name).write_text(text)
    for name, old, new in block.edits:
        target = workdir / name
        text = target.read_text()
        if old not in text:
            raise DocError(f"{block.id}: edit: {old!r} is not in {name}")
        target.write_text(text.replace(old, new))


def run(block: Block, workdir: Path, timeout: float = 1800) -> list[Outcome]:
    """Run every command of the block in `workdir` (made ready here) and compare each with the doc."""
    prepare(block, workdir)
    env = environment()
    outcomes = []
    for command in block.commands:
        proc = subprocess.run(argv(command), cwd=workdir, env=env, timeout=timeout, text=True,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT if block.stderr else subprocess.PIPE)
        ok = proc.returncode == command.exit and matches(
            normalise("\n".join(command.expected), workdir, ROOT), normalise(proc.stdout, workdir, ROOT))
        outcomes.append(Outcome(command, proc.returncode, proc.stdout, ok))
    return outcomes


def elide(expected: list[str], actual: list[str]) -> list[str]:
    """The new output shown as the doc showed the old: each `...` kept where the line after it is found again.

    Lines outside the elisions are taken from the new output one for one; when a line that follows a
    `...` is no longer in the output, the whole new output is shown (and the reviewer elides again).
    """
    out: list[str] = []
    a = 0
    for e, line in enumerate(expected):
        if line.strip() != ELLIPSIS:
            if a >= len(actual):
                return actual
            out.append(actual[a])
            a += 1
            continue
        anchor = next((x for x in expected[e + 1:] if x.strip() != ELLIPSIS), None)
        if anchor is None:
            return out + [line]
        found = next((k for k in range(a, len(actual)) if normalise(actual[k]) == normalise(anchor)), None)
        if found is None:
            return actual
        out.append(line)
        a = found
    return out + actual[a:]


def rewritten(block: Block, outcomes: list[Outcome]) -> list[str]:
    """The block's new body: unchanged commands keep their text (and figures), the others get the output."""
    body: list[str] = []
    for o in outcomes:
        body.append(f"$ {o.command.line}")
        if o.ok:
            body += o.command.expected
        else:
            actual = o.output.rstrip("\n").split("\n") if o.output.strip() else []
            body += elide(o.command.expected, [line.rstrip() for line in actual])
    return body


def set_exit(marker: str, exits: list[int]) -> str:
    """The marker comment with its exit= option set to `exits`."""
    codes = ",".join(str(e) for e in exits) if len(set(exits)) > 1 else str(exits[0])
    inner = MARKER.fullmatch(marker.strip())
    words = [w for w in shlex.split(inner.group(1)) if not w.startswith("exit=")] if inner else []
    if codes != "0":
        words.insert(0, f"exit={codes}")
    return "<!-- xenmodel-run: " + " ".join(shlex.quote(w) for w in words) + " -->" if words else ""


def apply(path: Path, changes: list[tuple[Block, list[Outcome]]]) -> None:
    """Rewrite the given blocks of one document in place (from the bottom, so indexes stay valid)."""
    lines = path.read_text().split("\n")
    for block, outcomes in sorted(changes, key=lambda c: -c[0].start):
        lines[block.start:block.end] = rewritten(block, outcomes)
        exits = [o.exit for o in outcomes]
        if exits != [o.command.exit for o in outcomes]:
            if block.marker_line is not None:
                lines[block.marker_line] = set_exit(lines[block.marker_line], exits)
            elif set_exit("", exits):
                lines.insert(block.start - 1, set_exit("", exits))
    path.write_text("\n".join(lines))


def report(block: Block, outcomes: list[Outcome], show: Callable[[str], None]) -> None:
    for o in outcomes:
        if o.ok:
            continue
        what = f"exit {o.exit}, the doc says {o.command.exit}" if o.exit != o.command.exit else "the output differs"
        show(f"{block.id}: `{o.command.line}`: {what}")
