"""Diagnostics as data: one registry of codes, and the two renderings (text and JSON).

Only the CLI prints diagnostics; every phase returns them. The text rendering escapes control
characters line by line (xenmodel.safetext): messages quote strings, file names and trace-file contents.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .safetext import escape
from .source import Span

# One line per code. Tests check that every code used in the sources is registered here
# and that docs/language.md lists them all.
CODES: dict[str, str] = {
    # parsing
    "XM001": "a character that cannot start any token",
    "XM002": "a token the grammar does not allow here",
    "XM003": "the file ends in the middle of a declaration",
    "XM004": "`=` where a statement needs `:=` (assignment)",
    "XM005": "`=` where an expression needs `==` (comparison)",
    "XM006": "a quantifier without `::` before its body",
    "XM007": "an if-expression without `then`",
    "XM008": "a statement outside any init, action or proc block",
    "XM009": "an unknown attribute (the attributes are @ref and @weight)",
    "XM010": "a declaration keyword misspelt or missing",
    "XM011": "an `else` without a block or an `if`",
    "XM012": "a missing `}` before the end of the file",
    "XM013": "expressions or statements nested deeper than the nesting limit",
    "XM014": "an integer literal with more digits than the limit",
    "XM015": "a model file that is not UTF-8 text",
    "XM016": "`fair weak` or `fair strong` before a declaration that is not an action",
    # names and files
    "XM101": "an included file that cannot be read",
    "XM102": "an include cycle",
    "XM103": "a name declared twice",
    "XM104": "an override with nothing to override",
    "XM105": "an override of a declaration of another kind",
    "XM106": "a name that is not declared",
    "XM107": "a type name that is not declared",
    "XM108": "a member, field or parameter named twice",
    "XM109": "a record field that does not exist",
    "XM110": "a call of something that is not a function, sort or builtin",
    "XM111": "a def or proc that calls itself (directly or not)",
    "XM112": "a proc call where it is not a proc, or a proc used in an expression",
    "XM113": "a sort value name that clashes with another name",
    "XM114": "an `@ref` that is not of the form \"path/file.c:function\"",
    "XM115": "a model file that cannot be read",
    "XM116": "a name that shadows a state variable or constant",
    "XM117": "a `@weight` that is not one integer from 1 to 1000 on an action",
    "XM118": "an include path that is empty or contains a NUL byte",
    "XM119": "an include of a file outside the project root",
    "XM120": "an include of something that is not a regular file, or not a .xm file",
    # types
    "XM201": "a value of the wrong type",
    "XM202": "a call with the wrong number of arguments",
    "XM203": "a condition that is not a bool",
    "XM204": "an assignment to something that is not a state variable",
    "XM205": "indexing something that is not a map or a seq",
    "XM206": "a field access on something that is not a record",
    "XM207": "a quantifier, parameter, choose, foreach or map key over a type that is not enumerable",
    "XM208": "a value literal of a symmetric sort",
    "XM209": "ord() of a symmetric sort value",
    "XM210": "S(i) of a symmetric sort",
    "XM211": "an ordering comparison of values that have no order (or a symmetric order)",
    "XM212": "an empty literal or none whose type cannot be inferred",
    "XM213": "an option of an option",
    "XM214": "arithmetic on values that are not integers",
    "XM215": "a record literal that misses or repeats a field",
    "XM216": "an unbounded int in a state variable, record field or collection",
    "XM217": "an int range whose lower bound exceeds its upper bound",
    "XM218": "a seq capacity or sort size that is not a positive integer",
    "XM219": "a constant whose type is not int, int[a..b] or bool",
    "XM220": "a state variable in a constant expression",
    "XM221": "`in` on something that is not a set or a seq",
    "XM222": "an unused value: a call of a def or builtin as a statement",
    "XM230": "a sort with more values than the sort_size limit",
    "XM231": "a --limit option that is not NAME=VALUE with a known name and a positive integer",
    "XM232": "a domain (parameters, binders, map keys, set elements) larger than the domain limit",
    "XM233": "an init block or an action whose chooses (and parameters) multiply past the domain limit",
    "XM234": "quantifiers or map comprehensions nested so that they range over more than the domain limit",
    "XM240": "a temporal operator (eventually, always, ~>) outside a temporal declaration's outer formula",
    "XM241": "a temporal formula of an unsupported shape, or a temporal declaration without a temporal operator",
    "XM242": "a quantifier other than forall around a temporal operator, or a where of one that reads state",
    "XM243": "fairness on a name that is not an action",
    "XM244": "an action given fairness twice",
    "XM245": "a temporal property that does not hold: a fair behaviour (a lasso) violates it",
    "XM255": "a second `init` block in the same file",
    "XM256": "an `override init` when the included files declare several init blocks",
    # instances and constants
    "XM301": "an instance that is not declared",
    "XM302": "a constant that is not declared",
    "XM303": "a constant value outside its declared range",
    "XM304": "a --const option not of the form NAME=VALUE",
    "XM305": "a constant value of the wrong type",
    "XM306": "an instance declared by two included files",
    "XM307": "a constant expression that cannot be evaluated",
    "XM308": "a model with no actions",
    # model errors found while running a model (violations)
    "XM501": "get() of none",
    "XM502": "head, tail or last of an empty seq",
    "XM503": "an integer outside its declared range",
    "XM504": "a seq pushed past its capacity",
    "XM505": "an index outside a seq",
    "XM506": "division or modulo by zero",
    "XM507": "a failed assert",
    "XM508": "a sort index outside the sort",
    "XM509": "an invariant or lemma that does not hold",
    "XM510": "a deadlock: no action is enabled",
    # traces
    "XM601": "a trace step that the model does not allow",
    "XM602": "a trace state that differs from the model's",
    "XM603": "a trace file that cannot be read",
    "XM604": "a trace that names an action, variable or value the model does not have",
    "XM605": "an output file that exists and is not a regular file (device, FIFO, socket, directory, symlink)",
    "XM606": "a trace file beyond the reader's limits (nesting depth, integer size), or a value too large to write",
    # project configuration and property selection
    "XM701": "an unknown key in [tool.xenmodel] of pyproject.toml",
    "XM702": "a [tool.xenmodel] setting of the wrong type or out of range",
    "XM703": "a configuration file that cannot be read or is not valid TOML",
    "XM704": "an --inv or --skip pattern that matches no invariant or lemma",
}


@dataclass(frozen=True)
class Note:
    message: str
    span: Span | None = None


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    span: Span | None
    notes: tuple[Note, ...] = ()
    help: str | None = None
    severity: str = "error"

    def __post_init__(self) -> None:
        assert self.code in CODES, f"unregistered diagnostic code {self.code}"

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "span": self.span.to_json() if self.span else None,
            "notes": [{"message": n.message, "span": n.span.to_json() if n.span else None}
                      for n in self.notes],
            "help": self.help,
        }


@dataclass
class DiagnosticError(Exception):
    """Raised by a phase that cannot go on; carries every diagnostic it collected."""
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __str__(self) -> str:
        return render_all(self.diagnostics)


def _excerpt(span: Span) -> list[str]:
    src = span.source()
    if src is None:
        return []
    line, col = span.line_col()
    end_line, end_col = span.end_line_col()
    text = src.line_text(line).removesuffix("\r").replace("\t", " ")
    last = end_col if end_line == line else len(text)
    marked = text[col - 1:last]
    # an escaped character takes several columns: the caret line follows the escaped text
    width = max(1, last - col + 1) + len(escape(marked)) - len(marked)
    gutter = f"{line:>4} | "
    return [gutter + escape(text), " " * len(gutter) + " " * len(escape(text[:col - 1])) + "^" * width]


def render(diag: Diagnostic) -> str:
    where = f"{diag.span.short()}: " if diag.span else ""
    lines = [f"{where}{diag.severity}[{diag.code}]: {diag.message}"]
    if diag.span:
        lines += _excerpt(diag.span)
    if diag.help:
        lines.append(f"     = help: {diag.help}")
    for note in diag.notes:
        where = f"{note.span.short()}: " if note.span else ""
        lines.append(f"{where}note: {note.message}")
        if note.span:
            lines += _excerpt(note.span)
    return "\n".join(escape(line) for line in lines)


def render_all(diags: list[Diagnostic]) -> str:
    return "\n".join(render(d) for d in diags)
