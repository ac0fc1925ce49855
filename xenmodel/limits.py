"""The size limits the front end enforces before it builds anything (docs/language.md, "Limits").

A model that exceeds a limit gets a diagnostic naming the size and the limit, instead of a hang, a
MemoryError or a RecursionError in some engine. `--limit NAME=VALUE` changes a limit for one run.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from .diagnostics import Diagnostic, DiagnosticError

# The deepest nesting every engine handles with Python's default recursion limit: the reference
# semantics, the code generator of the explicit engine (CPython refuses more than 200 nested
# parentheses in source) and the Z3 encoder. `--limit nesting=N` may lower it, not raise it.
MAX_NESTING = 100

# Python refuses to convert integers of more than 4300 digits to text (sys.int_info), and every
# engine prints values; no model needs a literal anywhere near this.
MAX_DIGITS = 4000


@dataclass(frozen=True)
class Limits:
    # syntax nodes nested in one another: operators, `!`, `if`, quantifiers, blocks (after inlining defs)
    nesting: int = MAX_NESTING
    # values of one sort (`sort S = s[N]`)
    sort_size: int = 100_000
    # values enumerated for one domain: an action's parameters together, a quantifier's binders
    # together, a choose, foreach or map comprehension binder, a map's keys, a set's element type
    domain: int = 1_000_000


DEFAULT = Limits()
_HELP = "limits: " + ", ".join(f"{f.name} (default {f.default:,})" for f in dataclasses.fields(Limits))


def parse_limit_options(items: tuple[str, ...] | list[str]) -> Limits:
    """`--limit NAME=VALUE` strings -> Limits. Raises DiagnosticError (XM231) on a bad name or value."""
    values: dict[str, int] = {}
    diags = []
    names = {f.name for f in dataclasses.fields(Limits)}
    for item in items:
        m = re.fullmatch(r"([a-z_]+)=([0-9]{1,40})", item.replace(" ", ""))
        if not m or m.group(1) not in names or int(m.group(2)) < 1:
            diags.append(Diagnostic("XM231", f"--limit {item!r} is not NAME=VALUE with a known name and a "
                                             "positive integer", None, help=_HELP))
            continue
        name, value = m.group(1), int(m.group(2))
        if name == "nesting" and value > MAX_NESTING:
            diags.append(Diagnostic("XM231", f"--limit nesting={value} is above {MAX_NESTING}, the deepest "
                                             "nesting every engine handles", None,
                                    help="the nesting limit can be lowered, not raised"))
            continue
        values[name] = value
    if diags:
        raise DiagnosticError(diags)
    return Limits(**values)
