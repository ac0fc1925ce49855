"""Text from untrusted places made safe to print: control characters escaped, huge integers bounded.

Model files and trace files are input we do not control. A string literal, a doc comment, an `@ref`, a
file name or a value in a trace file can hold terminal control sequences (ESC, BEL, carriage return,
Unicode bidi overrides) that would rewrite what the user sees, or a newline that forges an extra line of
output. Every text renderer builds its output line by line and passes each line through `escape`, so
one rendered line is one line on the terminal, made of printable characters only.

Integers: a model's unbounded `int` locals can grow past Python's int-to-str limit (4300 digits by
default), where `str(n)` raises. `int_text` prints integers of up to MAX_INT_DIGITS digits exactly and
larger ones as `<int of N bits>` (`<negative int of N bits>`), independently of the interpreter's limit.
"""
from __future__ import annotations

import re

# C0 and C1 controls and DEL (tab is harmless and kept), the Unicode line/paragraph separators and the
# bidirectional formatting characters (the "Trojan Source" ones).
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _code(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def escape(text: str) -> str:
    """One line of output: every unsafe character as \\xNN or \\uNNNN (idempotent: the result is safe)."""
    return _UNSAFE.sub(_code, text)


def escape_lines(text: str) -> str:
    """A multi-line text: each line escaped, the line breaks kept."""
    return "\n".join(escape(line) for line in text.split("\n"))


MAX_INT_DIGITS = 4000
_INT_BOUND: int = 10 ** MAX_INT_DIGITS


def int_fits(n: int) -> bool:
    """Whether n has at most MAX_INT_DIGITS digits (so str(n) works under any int-to-str limit >= 4000)."""
    return -_INT_BOUND < n < _INT_BOUND


def int_text(n: int) -> str:
    """An integer in decimal, or `<int of N bits>` beyond MAX_INT_DIGITS digits (never raises)."""
    if int_fits(n):
        return str(n)
    return f"<{'negative ' if n < 0 else ''}int of {n.bit_length()} bits>"


def bounded_json(value: object) -> object:
    """A JSON-ready value with every integer beyond MAX_INT_DIGITS digits replaced by its int_text."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if int_fits(value) else int_text(value)
    if isinstance(value, dict):
        return {k: bounded_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [bounded_json(v) for v in value]
    return value
