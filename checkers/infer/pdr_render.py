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

import itertools
import re
from typing import Any

import z3

from xenmodel import ir
from xenmodel.types import BoolT, IntT, SortT, show

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
    lemmas = fold(model, [r.boolean(c) for c in parts if not z3.is_true(c)])
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


EXPAND_LIMIT = 256  # values of an existential's bound variables written out as a disjunction, at most


def expand_exists(f: Any) -> Any:
    """f without its existential quantifiers (Spacer's answer keeps one where its projection left a
    variable): each as the disjunction of its body over every value of its bit-vector and Boolean
    variables, when there are at most EXPAND_LIMIT. Raises Unrenderable otherwise."""
    cache: dict[int, Any] = {}

    def go(t: Any) -> Any:
        got = cache.get(t.get_id())
        if got is not None:
            return got
        if z3.is_quantifier(t):
            out = exists(t)
        elif z3.is_app(t) and t.num_args():
            out = t.decl()(*(go(c) for c in t.children()))
        else:
            out = t
        cache[t.get_id()] = out
        return out

    def exists(q: Any) -> Any:
        if not q.is_exists():
            raise Unrenderable(f"a universally quantified term: {q}")
        body, n = go(q.body()), q.num_vars()
        doms: list[list[Any]] = []
        for i in range(n):  # Var(i) of the body is the quantifier's variable n-1-i
            s = q.var_sort(n - 1 - i)
            if z3.is_bv_sort(s) and s.size() <= 8:
                doms.append([z3.BitVecVal(v, s) for v in range(1 << s.size())])
            elif s == z3.BoolSort():
                doms.append([z3.BoolVal(False), z3.BoolVal(True)])
            else:
                raise Unrenderable(f"an existential over {s}")
        if _product(len(d) for d in doms) > EXPAND_LIMIT:
            raise Unrenderable(f"an existential over more than {EXPAND_LIMIT} values")
        outer = _var_sorts(body)
        rest = [z3.Var(i - n, outer.get(i, z3.BoolSort())) for i in range(n, max(outer, default=n - 1) + 1)]
        return z3.Or([z3.substitute_vars(body, *vals, *rest) for vals in itertools.product(*doms)])

    out = go(f)
    return out if out.eq(f) else z3.simplify(out)


def _product(xs: Any) -> int:
    out = 1
    for x in xs:
        out *= x
    return out


def _var_sorts(t: Any) -> dict[int, Any]:
    """The de Bruijn variables of a quantifier-free term: index -> sort."""
    out: dict[int, Any] = {}
    seen: set[int] = set()
    stack = [t]
    while stack:
        x = stack.pop()
        if x.get_id() in seen:
            continue
        seen.add(x.get_id())
        if z3.is_var(x):
            out[z3.get_var_index(x)] = x.sort()
        elif z3.is_app(x):
            stack.extend(x.children())
    return out


def fold(model: ir.Model, lemmas: list[str]) -> list[str]:
    """Lemmas that differ only in the one value of a sort they name, given for every value of the sort,
    as one `forall` over the sort (the same conjunction, shorter): Spacer states its lemmas per value."""
    names = {v.name for v in model.vars} | {c for c, _ in model.consts} | {h[1] for h in model.helpers}
    for sort in model.types:
        if not isinstance(sort, SortT) or sort.symmetric or sort.size < 2:
            continue
        lit = re.compile(rf"\b{re.escape(sort.prefix)}(\d+)\b")
        var = sort.prefix + "_"
        while var in names:
            var += "_"
        groups: dict[str, set[int]] = {}
        for text in lemmas:
            seen = {int(m) for m in lit.findall(text)}
            if len(seen) == 1:
                groups.setdefault(lit.sub(var, text), set()).update(seen)
        whole = {t for t, vals in groups.items() if vals == set(range(sort.size))}
        out: list[str] = []
        done: set[str] = set()
        for text in lemmas:
            seen = {int(m) for m in lit.findall(text)}
            template = lit.sub(var, text) if len(seen) == 1 else None
            if template not in whole:
                out.append(text)
            elif template not in done:
                done.add(template)
                out.append(f"forall {var}: {sort.name} :: {template}")
        lemmas = out
    return lemmas


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
        self.facts: dict[int, bool] = {}  # conditions decided by the enclosing if-then-elses

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
        known = self.facts.get(t.get_id())
        if known is not None:
            return "true" if known else "false"
        if z3.is_var(t):
            leaf = self.leaf(t)
            return str(leaf.text) if leaf.live is None else f"({leaf.live} && {leaf.text})"
        if z3.is_quantifier(t) or not z3.is_app(t):
            raise Unrenderable(f"a quantified term: {t}")
        k = t.decl().kind()
        args = t.children()
        if k == z3.Z3_OP_NOT:
            inner = args[0]
            if z3.is_var(inner) and self.leaf(inner).live is None:
                name = str(self.leaf(inner).text)
                if name.endswith(" != none"):
                    return name[:-len(" != none")] + " == none"
                return f"!({name})" if " " in name else f"!{name}"
            if z3.is_app(inner) and (inner.decl().kind() in _COMPARISONS or z3.is_eq(inner)
                                     and not z3.is_bool(inner.arg(0))):
                return self.compare(inner, negate=True)
            return f"!({self.boolean(inner)})"
        if k in (z3.Z3_OP_AND, z3.Z3_OP_OR):
            op = " && " if k == z3.Z3_OP_AND else " || "
            return "(" + op.join(self.boolean(a) for a in args) + ")"
        if k == z3.Z3_OP_IMPLIES:
            return f"({self.boolean(args[0])} => {self.boolean(args[1])})"
        if k == z3.Z3_OP_ITE:
            text: str = self.ite(args, self.boolean)
            return text
        if k in (z3.Z3_OP_EQ, z3.Z3_OP_IFF, z3.Z3_OP_DISTINCT, z3.Z3_OP_XOR) and len(args) == 2:
            neg = k in (z3.Z3_OP_DISTINCT, z3.Z3_OP_XOR)
            if z3.is_bool(args[0]):  # each side parenthesised: a side may itself be `a == b`
                return f"(({self.boolean(args[0])}) {'!=' if neg else '=='} ({self.boolean(args[1])}))"
            return self.compare(t, neg)
        if k in _COMPARISONS:
            return self.compare(t, False)
        raise Unrenderable(f"no rendering for the operator {t.decl().name()}")

    def ite(self, args: list[Any], part: Any) -> Any:
        """if-then-else, each branch rendered knowing the condition's value there (Spacer's terms repeat
        the same tests nested inside each other). `part` renders the branches (Boolean or numeric)."""
        c = args[0]
        known = self.facts.get(c.get_id())
        if known is not None:
            return part(args[1] if known else args[2])
        self.facts[c.get_id()] = True
        a = part(args[1])
        self.facts[c.get_id()] = False
        b = part(args[2])
        del self.facts[c.get_id()]
        cond = self.boolean(c)
        if isinstance(a, str):
            return f"(if {cond} then {a} else {b})"
        return f"(if {cond} then {a[0]} else {b[0]})", min(a[1], b[1]), max(a[2], b[2])

    def compare(self, t: Any, negate: bool) -> str:
        """A comparison of bit-vectors (==, or signed or unsigned order), or its negation."""
        a, b = t.arg(0), t.arg(1)
        if z3.is_eq(t) or t.decl().kind() == z3.Z3_OP_DISTINCT:
            if z3.is_bv_value(a):
                a, b = b, a
            leaf, c = self.through(a), b.as_long() if z3.is_bv_value(b) else None
            if leaf is not None and c is not None:
                return self.leaf_is(leaf, c, negate)
            # equal bits: equal unsigned readings
            return f"{self.unsigned(a)[0]} {'!=' if negate else '=='} {self.unsigned(b)[0]}"
        op, signed = _COMPARISONS[t.decl().kind()]
        num = self.signed if signed else self.unsigned
        return f"{num(a)[0]} {_NEGATED[op] if negate else op} {num(b)[0]}"

    def through(self, t: Any) -> Leaf | None:
        """The leaf t reads with its value unchanged (t is the leaf, or a widening or a slice of it that
        keeps every bit of a non-negative value), else None."""
        while z3.is_app(t) and not z3.is_var(t):
            k = t.decl().kind()
            if k == z3.Z3_OP_ZERO_EXT:
                t = t.arg(0)
            elif k == z3.Z3_OP_EXTRACT and t.params()[1] == 0 and z3.is_var(t.arg(0)):
                leaf = self.leaf(t.arg(0))
                if isinstance(leaf.type, BoolT) or leaf.lo < 0 or leaf.hi >= 1 << (t.params()[0] + 1):
                    return None
                t = t.arg(0)
            else:
                return None
        if not z3.is_var(t):
            return None
        leaf = self.leaf(t)
        return None if isinstance(leaf.type, BoolT) or leaf.lo < 0 else leaf

    def leaf_is(self, leaf: Leaf, c: int, negate: bool = False) -> str:
        """leaf == c (!= if negate), as a comparison with the literal of c (guarded where the leaf is
        not always live). c is the unsigned reading; leaves given here are never negative."""
        if not leaf.lo <= c <= leaf.hi:
            return "true" if negate else "false"
        lit = show(leaf.type, c) if not isinstance(leaf.type, IntT) else _lit(c)
        text = str(leaf.text)
        eq, ne = ("!=", "==") if negate else ("==", "!=")
        if leaf.live is None:
            return f"{text} {eq} {lit}"
        base = text[4:-1] if text.startswith("get(") else None
        if base is not None and leaf.live == f"{base} != none":  # the value inside an option
            if c != leaf.canon:
                return f"{base} {eq} {lit}"
            return f"({base} {eq} none {'&&' if negate else '||'} {base} {eq} {lit})"
        if (c != leaf.canon) != negate:
            return f"({leaf.live} && {text} {eq} {lit})"
        return f"(!({leaf.live}) || {text} {eq} {lit})"

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
            out: Num = self.ite(args, self.signed)
            return out
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
            branches: Num = self.ite(args, self.unsigned)
            return branches
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


_NEGATED = {"<=": ">", "<": ">=", ">=": "<", ">": "<="}
_COMPARISONS: dict[int, tuple[str, bool]] = {
    z3.Z3_OP_SLEQ: ("<=", True), z3.Z3_OP_SLT: ("<", True), z3.Z3_OP_SGEQ: (">=", True), z3.Z3_OP_SGT: (">", True),
    z3.Z3_OP_ULEQ: ("<=", False), z3.Z3_OP_ULT: ("<", False), z3.Z3_OP_UGEQ: (">=", False), z3.Z3_OP_UGT: (">", False),
}
