"""Project configuration: the `[tool.xenmodel]` table of a pyproject.toml, as pytest and ruff read theirs.

`find_pyproject(start)` is the nearest pyproject.toml at or above `start` (a model file's directory, or
the working directory), stopping at a directory holding .git, as the project root is found.
`read(path)` parses and validates the table: an unknown key (XM701), a value of the wrong type or out of
range (XM702), or a file that is not TOML (XM703) is a diagnostic pointing at the file and line. The
result maps each key to its value and the line it was set on, so `xenmodel config` can say where every
setting came from. Command-line flags always win over the file; the CLI applies that rule.
"""
from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, DiagnosticError
from .source import SourceFile, Span

# key -> (kind, minimum, what it sets, the default); the keys are the long flag names without "--"
KEYS: dict[str, tuple[str, float | None, str, str]] = {
    "instance": ("str", None, "the instance to pick when --instance is not given", "the one named `default`, if any"),
    "const": ("consts", None, "constant overrides, a table NAME = value (int or bool)", "the declared values"),
    "max-depth": ("int", 0, "the depth bound of check (both engines)", "explicit: none; bmc: 10"),
    "max-states": ("int", 1, "check --engine explicit: stop after this many states", "none"),
    "timeout": ("float", 0, "seconds for the whole run", "none"),
    "deadlock": ("bool", None, "report a state with no enabled action as a violation", "true"),
    "symmetry": ("bool", None, "check --engine explicit: symmetry reduction", "true"),
    "seed": ("int", None, "simulate and test: the seed", "0"),
    "steps": ("int", 1, "simulate and test: steps per run", "simulate: 100; test: 50"),
    "runs": ("int", 1, "simulate: the number of runs", "10"),
    "max-examples": ("int", 1, "test: the number of test cases", "100"),
    "inv": ("strs", None, "check only the properties matching these names or globs", "every property"),
    "skip": ("strs", None, "do not check the properties matching these names or globs", "none"),
    "lemmas": ("strs", None, "prove: lemma files, relative to the pyproject.toml's directory", "none"),
    "require-complete": ("bool", None, "make a bounded or sampled result exit 3", "false"),
    "quiet": ("bool", None, "no progress and no warnings on stderr", "false"),
}


@dataclass(frozen=True)
class Config:
    """The validated `[tool.xenmodel]` table of `path` (None: no pyproject.toml was found)."""
    path: str | None
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    table: bool = False  # the file has a [tool.xenmodel] table

    def where(self, key: str) -> str:
        return f"{self.path}:{self.lines.get(key, 0)}"


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start`, not looking above a directory holding .git."""
    here = start.resolve()
    for d in (here, *here.parents):
        if (d / "pyproject.toml").is_file():
            return d / "pyproject.toml"
        if (d / ".git").exists():
            return None
    return None


def read(path: Path, shown: str | None = None) -> Config:
    """The `[tool.xenmodel]` table of `path`, validated; `shown` is the path as diagnostics name it."""
    name = shown or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise DiagnosticError([Diagnostic("XM703", f"{name}: cannot read the configuration: {err}", None)]) from None
    src = SourceFile(name, text)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise DiagnosticError([Diagnostic("XM703", f"{name} is not valid TOML: {err}", None,
                                          help="fix the file's syntax (see https://toml.io)")]) from None
    table = doc.get("tool", {}).get("xenmodel", {}) if isinstance(doc.get("tool"), dict) else {}
    if not isinstance(table, dict):
        raise DiagnosticError([Diagnostic("XM702", f"{name}: `tool.xenmodel` must be a table", None)])
    offsets = _key_offsets(text)
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    diags: list[Diagnostic] = []
    for key, value in table.items():
        off = offsets.get(key)
        span = Span(name, off, off + len(key), src) if off is not None else None
        where = "[tool.xenmodel]" + ("" if span else f" of {name}")
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            diags.append(Diagnostic("XM701", f"unknown key `{key}` in {where}", span,
                                    help=(f"did you mean `{close[0]}`? " if close else "")
                                    + "known keys: " + ", ".join(KEYS)))
            continue
        try:
            values[key] = _checked(key, value, path.parent)
        except ValueError as err:
            diags.append(Diagnostic("XM702", f"`{key}` in {where} {err}", span, help=f"`{key}`: {KEYS[key][2]}"))
            continue
        lines[key] = src.line_col(off)[0] if off is not None else 0
    if diags:
        raise DiagnosticError(diags)
    return Config(name, values, lines, isinstance(doc.get("tool"), dict) and "xenmodel" in doc["tool"])


def _checked(key: str, value: Any, base: Path) -> Any:
    """The value converted for the CLI (lists as tuples, lemma paths made relative to the file's
    directory, constants as NAME=VALUE), or ValueError saying what is wrong."""
    kind, least, _, _ = KEYS[key]
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, not {_show(value)}")
        return value
    if kind == "str":
        if not isinstance(value, str):
            raise ValueError(f"must be a string, not {_show(value)}")
        return value
    if kind in ("int", "float"):
        ok = isinstance(value, int) or (kind == "float" and isinstance(value, float))
        if not ok or isinstance(value, bool):
            raise ValueError(f"must be {'an integer' if kind == 'int' else 'a number'}, not {_show(value)}")
        if least is not None and (value < least or (kind == "float" and value <= least)):
            raise ValueError(f"must be {'>' if kind == 'float' else '>='} {least:g}, not {value}")
        return value
    if kind == "strs":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"must be a list of strings, not {_show(value)}")
        if key == "lemmas":
            return tuple(str(base / v) if not Path(v).is_absolute() else v for v in value)
        return tuple(value)
    assert kind == "consts"
    if not isinstance(value, dict):
        raise ValueError(f"must be a table NAME = value, not {_show(value)}")
    out = []
    for k, v in value.items():
        if not isinstance(v, int):
            raise ValueError(f"must map names to integers or booleans; `{k}` is {_show(v)}")
        out.append(f"{k}={str(v).lower() if isinstance(v, bool) else v}")
    return tuple(out)


def _show(value: Any) -> str:
    kind = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)
    return f"{kind} ({value!r})" if not isinstance(value, (list, dict)) else kind


def _key_offsets(text: str) -> dict[str, int]:
    """Where each key of the [tool.xenmodel] table is set: its offset in the text (for line numbers)."""
    out: dict[str, int] = {}
    inside = False
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = re.fullmatch(r"\[\s*tool\s*\.\s*xenmodel\s*\]", stripped.split("#")[0].strip()) is not None
        elif inside:
            m = re.match(r"\s*\"?([A-Za-z0-9_-]+)\"?\s*=", line)
            if m:
                out.setdefault(m.group(1), pos + m.start(1))
        pos += len(line)
    return out
