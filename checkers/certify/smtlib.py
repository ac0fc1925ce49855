"""SMT-LIB 2 text, built by hand: terms are strings, a Script is the list of commands of one file.

The certificate encoder never builds solver objects: it writes text that any SMT-LIB 2 solver reads
(z3 and cvc5 are the two `xenmodel certify` runs). Booleans are `Bool` terms, every integral value (ints,
sort and enum values as their index) an `Int` term. The helpers fold constants (`true`, `false`,
numerals) so that the files stay small, and `Script.name` gives a non-atomic term a `define-fun` name,
so that a term used many times is written once (the files grow linearly with the model, not
exponentially with its nesting).
"""
from __future__ import annotations

import re

TRUE, FALSE = "true", "false"
_NUM = re.compile(r"^(\d+)$|^\(- (\d+)\)$")
_SIMPLE = re.compile(r"^[A-Za-z_~!@$%^&*+=<>.?/-][A-Za-z0-9_~!@$%^&*+=<>.?/-]*$")


class NotCertifiable(Exception):
    """An IR construct this encoder does not write: the obligation gets no file, and says why."""

    def __init__(self, construct: str, where: str) -> None:
        super().__init__(f"not certifiable: {construct} at {where}")
        self.construct = construct
        self.where = where


# ------------------------------------------------------------------ numerals and folding
def num(n: int) -> str:
    return str(n) if n >= 0 else f"(- {-n})"


def const_int(t: str) -> int | None:
    m = _NUM.match(t)
    if m is None:
        return None
    return int(m.group(1)) if m.group(1) is not None else -int(m.group(2))


def and_(*xs: str) -> str:
    out = []
    for x in xs:
        if x == FALSE:
            return FALSE
        if x != TRUE and x not in out:
            out.append(x)
    if not out:
        return TRUE
    return out[0] if len(out) == 1 else "(and " + " ".join(out) + ")"


def or_(*xs: str) -> str:
    out = []
    for x in xs:
        if x == TRUE:
            return TRUE
        if x != FALSE and x not in out:
            out.append(x)
    if not out:
        return FALSE
    return out[0] if len(out) == 1 else "(or " + " ".join(out) + ")"


def not_(x: str) -> str:
    if x == TRUE:
        return FALSE
    if x == FALSE:
        return TRUE
    return f"(not {x})"


def ite(c: str, a: str, b: str) -> str:
    """if-then-else of two terms of one sort (Bool or Int)."""
    if c == TRUE or a == b:
        return a
    if c == FALSE:
        return b
    if a == TRUE and b == FALSE:
        return c
    if a == FALSE and b == TRUE:
        return not_(c)
    return f"(ite {c} {a} {b})"


def eq(a: str, b: str) -> str:
    if a == b:
        return TRUE
    ca, cb = const_int(a), const_int(b)
    if ca is not None and cb is not None:
        return TRUE if ca == cb else FALSE
    if a in (TRUE, FALSE):
        return b if a == TRUE else not_(b)
    if b in (TRUE, FALSE):
        return a if b == TRUE else not_(a)
    return f"(= {a} {b})"


_CMP = {"<": lambda x, y: x < y, "<=": lambda x, y: x <= y, ">": lambda x, y: x > y, ">=": lambda x, y: x >= y}


def cmp(op: str, a: str, b: str) -> str:
    """An integer comparison: == != < <= > >=."""
    if op == "==":
        return eq(a, b)
    if op == "!=":
        return not_(eq(a, b))
    ca, cb = const_int(a), const_int(b)
    if ca is not None and cb is not None:
        return TRUE if _CMP[op](ca, cb) else FALSE
    return f"({op} {a} {b})"


def in_range(x: str, lo: int, hi: int) -> str:
    return and_(cmp("<=", num(lo), x), cmp("<=", x, num(hi)))


def out_of_range(x: str, lo: int, hi: int) -> str:
    return or_(cmp("<", x, num(lo)), cmp(">", x, num(hi)))


def add(a: str, b: str) -> str:
    ca, cb = const_int(a), const_int(b)
    if ca is not None and cb is not None:
        return num(ca + cb)
    if ca == 0:
        return b
    if cb == 0:
        return a
    return f"(+ {a} {b})"


def sub(a: str, b: str) -> str:
    ca, cb = const_int(a), const_int(b)
    if ca is not None and cb is not None:
        return num(ca - cb)
    if cb == 0:
        return a
    return f"(- {a} {b})"


# ------------------------------------------------------------------ a file
class Script:
    """The commands of one SMT-LIB file: comments, declarations, definitions and assertions, in order.
    `nonlinear` is set when a product or quotient of two non-constant terms is written (the logic is then
    QF_NIA instead of QF_LIA)."""

    def __init__(self, prefix: str = "$t") -> None:
        self.lines: list[str] = []
        self.prefix = prefix
        self.count = 0
        self.nonlinear = False

    def fork(self, prefix: str) -> Script:
        """A copy to extend with one obligation's own commands (its temporaries get their own prefix)."""
        s = Script(prefix)
        s.lines = list(self.lines)
        s.nonlinear = self.nonlinear
        return s

    def comment(self, text: str) -> None:
        for line in text.splitlines() or [""]:
            self.lines.append(f"; {line}")

    def declare(self, name: str, sort: str) -> str:
        sym = symbol(name)
        self.lines.append(f"(declare-const {sym} {sort})")
        return sym

    def name(self, term: str, sort: str) -> str:
        """term itself when it is atomic, else a fresh name defined as term."""
        if " " not in term:
            return term
        self.count += 1
        sym = f"{self.prefix}{self.count}"
        self.lines.append(f"(define-fun {sym} () {sort} {term})")
        return sym

    def assert_(self, term: str) -> None:
        self.lines.append(f"(assert {term})")

    def mul(self, a: str, b: str) -> str:
        ca, cb = const_int(a), const_int(b)
        if ca is not None and cb is not None:
            return num(ca * cb)
        if ca is None and cb is None:
            self.nonlinear = True
        return f"(* {a} {b})"

    def divmod(self, op: str, a: str, b: str) -> str:
        """Python's floor division and modulo (the language's `/` and `%`) from SMT-LIB's Euclidean
        div and mod (whose remainder is never negative): they differ only for a negative divisor and a
        non-zero remainder, where floor's quotient is one less and its remainder has the divisor's sign.
        Division by zero is an error the caller records; the value there does not matter."""
        ca, cb = const_int(a), const_int(b)
        if ca is not None and cb is not None and cb != 0:
            return num(ca // cb if op == "/" else ca % cb)
        if cb is None:
            self.nonlinear = True
        q = self.name(f"(div {a} {b})", "Int")
        r = self.name(f"(mod {a} {b})", "Int")
        if cb is not None and cb > 0:
            return q if op == "/" else r
        euclid = or_(cmp(">", b, "0"), eq(r, "0"))
        return ite(euclid, q, sub(q, "1")) if op == "/" else ite(euclid, r, add(r, b))

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def symbol(name: str) -> str:
    """An SMT-LIB symbol for a readable name: simple when it can be, else quoted (| and \\ dropped)."""
    if _SIMPLE.match(name):
        return name
    return "|" + name.replace("|", "_").replace("\\", "_") + "|"
