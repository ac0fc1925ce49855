"""Spacer's invariant written back in the language: one lemma per conjunct, over the state variables.

The invariant is a formula over the state's leaves (pdr_state.py), Var(k) for leaf k: Booleans, and
bit-vectors compared signed or unsigned, sliced (extract, concat), extended, added, or chosen by ite.
Each term is rendered as an integer expression of the language with the exact value of the bit-vector
it stands for (the signed or the unsigned reading, as the operator needs), using the leaves' intervals
to leave out the conversions that change nothing (`x % 2^w` of a value known to be non-negative and
below 2^w). A leaf that is only defined where its `live` condition holds (the value of an option, a
seq slot) is written guarded, `(if live then x else canon)`, or as `x == lit` with its guard in the
common case of a comparison with a constant; guards use `&&`/`||`/`if`, which evaluate lazily, so a
lemma never raises. Anything else (a leaf of a symmetric sort, which has no literals; an arithmetic
result that wraps around) raises Unrenderable and the caller reports the invariant unrendered.
"""
from __future__ import annotations

from typing import Any

import z3

from xenmodel import ir
from xenmodel.types import BoolT, IntT, show

from .pdr_state import Leaf, layout


class Unrenderable(Exception):
    """A term of the invariant that the language cannot say (the message says which)."""


Num = tuple[str, int, int]  # an integer expression of the language and the interval of its values


def lemma_file(model: ir.Model, formula: Any, covered: str) -> str:
    """The text of a lemma file (for `prove --lemmas`) stating `formula` (over Var(k) for the state's
    leaves) as one lemma per top-level conjunct."""
    leaves = [leaf for v in model.vars for leaf in layout(v.type, v.name)]
    r = _Renderer(leaves)
    parts = _conjuncts(formula)
    lemmas = [r.boolean(c) for c in parts if not z3.is_true(c)]
    taken = {p.name for p in model.properties}
    prefix = "pdr"
    while any(n.startswith(prefix + "_") for n in taken):
        prefix += "_inv"
    where = f" at instance {model.instance}" if model.instance else ""
    head = [f"/// Lemmas found by Spacer, Z3's PDR engine (`xenmodel infer --engine pdr`), for {model.name}{where}:",
            f"/// together with the model's properties they are inductive and imply {covered}.",
            f"model {model.name}_pdr", ""]
    body = []
    for i, text in enumerate(lemmas, 1):
        body += [f"/// Conjunct {i} of {len(lemmas)} of Spacer's inductive invariant.",
                 f"lemma {prefix}_{i}: {text}", ""]
    return "\n".join(head + body).rstrip() + "\n"


def _conjuncts(f: Any) -> list[Any]:
    out, stack = [], [f]
    while stack:
        t = stack.pop()
        if z3.is_and(t):
            stack.extend(reversed(t.children()))
        else:
            out.append(t)
    return out


def _lit(v: int) -> str:
    return str(v) if v >= 0 else f"({v})"


class _Renderer:
    def __init__(self, leaves: list[Leaf]) -> None:
        self.leaves = leaves

    def leaf(self, t: Any) -> Leaf:
        leaf: Leaf = self.leaves[z3.get_var_index(t)]
        if leaf.text is None:
            raise Unrenderable("it speaks of a value of a symmetric sort, which has no literals")
        return leaf

    # ---------------------------------------------------------- Booleans
    def boolean(self, t: Any) -> str:
        if z3.is_true(t):
            return "true"
        if z3.is_false(t):
            return "false"
        if z3.is_var(t):
            leaf = self.leaf(t)
            return str(leaf.text) if leaf.live is None else f"({leaf.live} && {leaf.text})"
        if z3.is_quantifier(t) or not z3.is_app(t):
            raise Unrenderable(f"a quantified term: {t}")
        k = t.decl().kind()
        args = t.children()
        if k == z3.Z3_OP_NOT:
            return f"!{self.boolean(args[0])}" if z3.is_var(args[0]) and self.leaf(args[0]).live is None \
                else f"!({self.boolean(args[0])})"
        if k in (z3.Z3_OP_AND, z3.Z3_OP_OR):
            op = " && " if k == z3.Z3_OP_AND else " || "
            return "(" + op.join(self.boolean(a) for a in args) + ")"
        if k == z3.Z3_OP_IMPLIES:
            return f"({self.boolean(args[0])} => {self.boolean(args[1])})"
        if k == z3.Z3_OP_ITE:
            return f"(if {self.boolean(args[0])} then {self.boolean(args[1])} else {self.boolean(args[2])})"
        if k in (z3.Z3_OP_EQ, z3.Z3_OP_IFF, z3.Z3_OP_DISTINCT, z3.Z3_OP_XOR) and len(args) == 2:
            neg = k in (z3.Z3_OP_DISTINCT, z3.Z3_OP_XOR)
            if z3.is_bool(args[0]):
                return f"({self.boolean(args[0])} {'!=' if neg else '=='} {self.boolean(args[1])})"
            eq = self.equal(args[0], args[1])
            return f"!({eq})" if neg else eq
        cmp = _COMPARISONS.get(k)
        if cmp is not None:
            op, signed = cmp
            num = self.signed if signed else self.unsigned
            a, b = num(args[0]), num(args[1])
            return f"{a[0]} {op} {b[0]}"
        raise Unrenderable(f"no rendering for the operator {t.decl().name()}")

    def equal(self, a: Any, b: Any) -> str:
        if z3.is_bv_value(a):
            a, b = b, a
        if z3.is_var(a) and z3.is_bv_value(b):
            return self.leaf_is(self.leaf(a), b.as_signed_long())
        return f"{self.unsigned(a)[0]} == {self.unsigned(b)[0]}"  # equal bits: equal unsigned readings

    def leaf_is(self, leaf: Leaf, c: int) -> str:
        """leaf == c, as a comparison with the literal of c (guarded where the leaf is not always live)."""
        if not leaf.lo <= c <= leaf.hi:
            return "false"
        lit = show(leaf.type, c) if not isinstance(leaf.type, IntT) else _lit(c)
        text = str(leaf.text)
        if leaf.live is None:
            return f"{text} == {lit}"
        base = text[4:-1] if text.startswith("get(") else None
        if base is not None and leaf.live == f"{base} != none":  # the value inside an option
            return f"{base} == {lit}" if c != leaf.canon else f"({base} == none || {base} == {lit})"
        if c != leaf.canon:
            return f"({leaf.live} && {text} == {lit})"
        return f"(!({leaf.live}) || {text} == {lit})"

    # ---------------------------------------------------------- integers
    def leaf_num(self, leaf: Leaf) -> Num:
        text = str(leaf.text)
        base = text if isinstance(leaf.type, IntT) else f"ord({text})"
        if isinstance(leaf.type, BoolT):
            raise Unrenderable("a Boolean leaf used as a number")
        if leaf.live is not None:
            base = f"(if {leaf.live} then {base} else {leaf.canon})"
        return base, leaf.lo, leaf.hi

    def signed(self, t: Any) -> Num:
        """The signed reading of bit-vector term t."""
        w = t.size()
        if z3.is_bv_value(t):
            v = t.as_signed_long()
            return _lit(v), v, v
        if z3.is_var(t):
            return self.leaf_num(self.leaf(t))
        k = t.decl().kind()
        args = t.children()
        if k == z3.Z3_OP_SIGN_EXT:
            return self.signed(args[0])
        if k == z3.Z3_OP_ITE:
            a, b = self.signed(args[1]), self.signed(args[2])
            return f"(if {self.boolean(args[0])} then {a[0]} else {b[0]})", min(a[1], b[1]), max(a[2], b[2])
        if k in (z3.Z3_OP_BADD, z3.Z3_OP_BSUB, z3.Z3_OP_BMUL, z3.Z3_OP_BNEG):
            return self.arith(k, [self.signed(a) for a in args], w)
        u = self.unsigned(t)
        half = 1 << (w - 1)
        if u[2] < half:
            return u
        return f"(if {u[0]} >= {half} then {u[0]} - {1 << w} else {u[0]})", -half, half - 1

    def unsigned(self, t: Any) -> Num:
        """The unsigned reading of bit-vector term t."""
        w = t.size()
        if z3.is_bv_value(t):
            v = t.as_long()
            return str(v), v, v
        if z3.is_var(t) or z3.is_app(t) and t.decl().kind() in (z3.Z3_OP_SIGN_EXT, z3.Z3_OP_BADD, z3.Z3_OP_BSUB,
                                                                 z3.Z3_OP_BMUL, z3.Z3_OP_BNEG):
            s = self.signed(t)
            return s if s[1] >= 0 else (f"({s[0]} % {1 << w})", 0, (1 << w) - 1)
        k = t.decl().kind()
        args = t.children()
        if k == z3.Z3_OP_ZERO_EXT:
            return self.unsigned(args[0])
        if k == z3.Z3_OP_EXTRACT:
            hi, lo = t.params()
            x = self.unsigned(args[0])
            top = 1 << (hi + 1)
            if x[2] < top:  # the bits above hi are all zero
                return (x if lo == 0 else (f"({x[0]} / {1 << lo})", x[1] >> lo, x[2] >> lo))
            low = x[0] if lo == 0 else f"({x[0]} / {1 << lo})"
            return f"({low} % {1 << (hi - lo + 1)})", 0, (1 << (hi - lo + 1)) - 1
        if k == z3.Z3_OP_CONCAT:
            out: Num = ("0", 0, 0)
            for a in args:
                ua = self.unsigned(a)
                scale = 1 << a.size()
                if out[2] == 0:
                    out = ua
                else:
                    out = f"({out[0]} * {scale} + {ua[0]})", out[1] * scale + ua[1], out[2] * scale + ua[2]
            return out
        if k == z3.Z3_OP_ITE:
            a, b = self.unsigned(args[1]), self.unsigned(args[2])
            return f"(if {self.boolean(args[0])} then {a[0]} else {b[0]})", min(a[1], b[1]), max(a[2], b[2])
        raise Unrenderable(f"no rendering for the bit-vector operator {t.decl().name()}")

    def arith(self, k: int, xs: list[Num], w: int) -> Num:
        """+, -, * (and negation) of exact values; the bit-vector wraps at 2^w, so the result is exact only
        when its interval fits the signed range."""
        if k == z3.Z3_OP_BNEG:
            text, lo, hi = f"(0 - {xs[0][0]})", -xs[0][2], -xs[0][1]
        else:
            op = {z3.Z3_OP_BADD: "+", z3.Z3_OP_BSUB: "-", z3.Z3_OP_BMUL: "*"}[k]
            text, lo, hi = xs[0]
            for y in xs[1:]:
                if op == "+":
                    lo, hi = lo + y[1], hi + y[2]
                elif op == "-":
                    lo, hi = lo - y[2], hi - y[1]
                else:
                    ps = [lo * y[1], lo * y[2], hi * y[1], hi * y[2]]
                    lo, hi = min(ps), max(ps)
                text = f"({text} {op} {y[0]})"
        half = 1 << (w - 1)
        if lo < -half or hi >= half:
            raise Unrenderable("bit-vector arithmetic that may wrap around")
        return text, lo, hi


_COMPARISONS: dict[int, tuple[str, bool]] = {
    z3.Z3_OP_SLEQ: ("<=", True), z3.Z3_OP_SLT: ("<", True), z3.Z3_OP_SGEQ: (">=", True), z3.Z3_OP_SGT: (">", True),
    z3.Z3_OP_ULEQ: ("<=", False), z3.Z3_OP_ULT: ("<", False), z3.Z3_OP_UGEQ: (">=", False), z3.Z3_OP_UGT: (">", False),
}
