"""When symmetry reduction is sound: the foreach rule (the argument is in docs/language.md, "Symmetry").

The reduced search is exact when every transition commutes with every permutation g of the symmetric
sorts (equivariance: the outcomes from g(s) are the g-images of those from s, errors included).
Expressions and statements are equivariant by the language's rules (no literals, ord, S(i) or order on
symmetric values; choose, parameters and quantifiers range over whole types), with two exceptions that
visit the values of a type containing a permuted sort in a fixed order: on g(s) they see the values in
the order g^-1 gives. A `foreach` must therefore not depend on its visiting order, and a forall/exists
(which stops at the first deciding value) must not have a body that can fail. A `choose` is the same
set of alternatives in any order, except when its `where` fails: the error ends the statement, and the
values not yet tried depend on the order; so that `where` must not be able to fail.

`symmetry_unsafe_reasons` decides that conservatively. For each such foreach (in actions; init needs no
equivariance, see the docs), over its body and its `where`:
  - every state variable the body writes is, for all its accesses in the loop, either
      own:   every read and write goes through `v...[x]` with the loop variable x as an index at one fixed
             position (the same position in every access), so iterations touch disjoint cells;
      accumulated: every write is `v... := v... op e` for one commutative operator kind (`+` of
             non-negative or `-` of non-positive amounts, or the reverse: one direction only, so a range
             overflow happens in every order or in none; `||`; `&&`; set `+`; set `-`; set `&`), and v is read nowhere
             else in the loop;
      constant: every write stores the same literal, and v is read nowhere in the loop;
  - and the body cannot both block (require, a choose with a `where`) and fail (assert or an expression
    that can raise a model error): which of the two comes first would depend on the order.
Locals need no check: they are immutable and bound per iteration.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import assert_never

from xenmodel import ir, ir_walk
from xenmodel.source import Span
from xenmodel.types import IntT, SeqT, SortT, Type, iter_types

# operators of the recognised accumulations `v := v op e`, and those that also allow `v := e op v`
_ACC_OPS = {"+", "-", "||", "&&", "union", "diff", "inter"}
_COMMUTATIVE = {"+", "||", "&&", "union", "inter"}
_FAILING_BUILTINS = {"head", "tail", "last", "get", "remove_at", "insert"}


@dataclass(frozen=True)
class Unsafe:
    """A foreach (forall, exists, choose) that may depend on its visiting order, and why."""
    span: Span | None
    what: str  # "foreach" | "forall" | "exists" | "choose"
    why: str

    def where(self) -> str:
        if self.span is None:
            return "?"
        line, col = self.span.line_col()
        return f"{self.span.file}:{line}:{col}"

    def message(self) -> str:
        return f"symmetry off: the {self.what} at {self.where()} {self.why}; checked without symmetry"


def symmetric_sorts(model: ir.Model) -> list[SortT]:
    """The sorts the group permutes: symmetric sorts of more than one value that occur in the state."""
    found: dict[str, SortT] = {}
    for v in model.vars:
        for t in iter_types(v.type):
            if isinstance(t, SortT) and t.symmetric and t.size > 1:
                found.setdefault(t.name, t)
    return [found[k] for k in sorted(found)]


def symmetry_unsafe_reasons(model: ir.Model) -> list[Unsafe]:
    """Every foreach and choose of the actions, and every forall/exists of the actions and properties,
    that breaks the rule: the actions' first, then the properties' (empty: the reduction is sound)."""
    permuted = {s.name for s in symmetric_sorts(model)}
    out: list[Unsafe] = []
    if permuted:
        for a in model.actions:
            _scan(a.body, permuted, out)
        for p in model.properties:
            _scan_expr(p.expr, permuted, out)
    return out


def _permutes(t: Type, permuted: set[str]) -> bool:
    return any(isinstance(x, SortT) and x.name in permuted for x in iter_types(t))


def _scan(stmts: Sequence[ir.Stmt], permuted: set[str], out: list[Unsafe]) -> None:
    for s in stmts:
        match s:
            case ir.Foreach() | ir.Choose():
                if isinstance(s, ir.Foreach) and _permutes(s.domain, permuted):
                    why = _Loop(s).verdict()
                    if why is not None:
                        out.append(Unsafe(s.span, "foreach", why))
                if isinstance(s, ir.Choose) and s.where is not None and _permutes(s.domain, permuted):
                    bad = _failing(s.where)
                    if bad is not None:
                        out.append(Unsafe(s.span, "choose", f"can fail in its `where` (`{_text(bad.span)}`), and the "
                                          "values it skips then depend on the order of the values"))
                if s.where is not None:
                    _scan_expr(s.where, permuted, out)
                _scan(s.body, permuted, out)
            case ir.If():
                _scan_expr(s.cond, permuted, out)
                _scan(s.then, permuted, out)
                _scan(s.other, permuted, out)
            case ir.Assign():
                for step in ir.lvalue_path(s.target)[1]:
                    if isinstance(step, ir.LIndex):
                        _scan_expr(step.index, permuted, out)
                _scan_expr(s.value, permuted, out)
            case ir.Require() | ir.Assert():
                _scan_expr(s.cond, permuted, out)
            case ir.Let():
                _scan_expr(s.value, permuted, out)
            case _:
                assert_never(s)


def _scan_expr(e: ir.Expr, permuted: set[str], out: list[Unsafe]) -> None:
    """forall and exists stop at the first deciding value: over a permuted domain, a body that can fail
    fails or not depending on the order (count and sum visit every value, so they fail in every order)."""
    for q in ir_walk.walk(e):
        if isinstance(q, ir.Quant) and q.kind in ("forall", "exists") and _permutes(q.domain, permuted):
            bad = _failing(q.where) if q.where is not None else None
            bad = bad or _failing(q.body)
            if bad is not None:
                out.append(Unsafe(q.span, q.kind, f"stops at the first deciding value, and `{_text(bad.span)}` "
                                  "can fail for another, so whether it fails depends on the order of the values"))


def _failing(e: ir.Expr) -> ir.Expr | None:
    """The first subexpression of e (pre-order, in evaluation order) that can raise a model error, or None."""
    return next((n for n in _sub_exprs(e) if _fails(n)), None)


def _sub_exprs(e: ir.Expr) -> list[ir.Expr]:
    """e and its subexpressions, pre-order (under an expression every node is an expression)."""
    return [n for n in ir_walk.walk(e) if isinstance(n, ir.Expr)]


def _fails(e: ir.Expr) -> bool:
    match e:
        case ir.Builtin():
            return e.name in _FAILING_BUILTINS
        case ir.Narrow() | ir.SortVal():
            return True
        case ir.Binary():
            return e.op in ("/", "%")
        case ir.Index():
            return isinstance(e.base.type, SeqT)
        case _:
            return False


def _text(span: Span | None) -> str:
    """The source of a statement, on one line and short."""
    src = span.source() if span is not None else None
    if span is None or src is None:
        return "?"
    t = " ".join(src.text[span.start:span.end].split())
    return t if len(t) <= 60 else t[:57] + "..."


def _as_expr(lv: ir.LValue) -> ir.Expr:
    """The expression that reads what an assignment target writes (to recognise `v := v op e`)."""
    if isinstance(lv, ir.LVar):
        return ir.Var(lv.index, lv.name, lv.type)
    if isinstance(lv, ir.LIndex):
        return ir.Index(_as_expr(lv.base), lv.index, lv.type)
    return ir.Field(_as_expr(lv.base), lv.field_index, lv.name, lv.type)


def _strip(e: ir.Expr) -> ir.Expr:
    return e.operand if isinstance(e, ir.Narrow) else e


def _sign(e: ir.Expr) -> int:
    """+1 if e is never negative, -1 if never positive, 0 if unknown."""
    if isinstance(e, ir.Lit) and isinstance(e.value, int) and not isinstance(e.value, bool):
        return 1 if e.value >= 0 else -1
    t = e.type
    if isinstance(t, IntT) and t.lo is not None:  # bounded
        return 1 if t.lo >= 0 else -1 if t.hi is not None and t.hi <= 0 else 0
    return 0


@dataclass
class _Access:
    var: int
    kind: str  # "own" | "other" | "acc" | "const"
    write: bool
    detail: object  # own: the index position of the loop variable; acc: the operator kind; const: the value
    stmt: Span | None


class _Loop:
    """The accesses of one foreach's body, and the verdict on them."""

    def __init__(self, loop: ir.Foreach):
        # the loop variable and its aliases: a proc or def called with it binds its parameter by a let
        self.xs = {loop.uid}
        self.acc: list[_Access] = []
        self.names: dict[int, str] = {}
        # the first statement or expression that can block, and the first that can fail
        self.blocks: ir.Node | None = None
        self.fails: ir.Node | None = None
        self.stmt: Span | None = loop.span
        if loop.where is not None:
            self.expr(loop.where)
        self.block(loop.body)

    # ---------------------------------------------------------------- collection
    def block(self, stmts: Sequence[ir.Stmt]) -> None:
        for s in stmts:
            self.stmt = s.span
            match s:
                case ir.Assign():
                    self.assign(s)
                case ir.Let():
                    self.alias(s.uid, s.value)
                    self.expr(s.value)
                case ir.Require():
                    self.blocks = self.blocks or s
                    self.expr(s.cond)
                case ir.Assert():
                    self.fails = self.fails or s
                    self.expr(s.cond)
                case ir.If():
                    self.expr(s.cond)
                    self.block(s.then)
                    self.block(s.other)
                case ir.Foreach() | ir.Choose():
                    if isinstance(s, ir.Choose) and s.where is not None:
                        self.blocks = self.blocks or s
                    if s.where is not None:
                        self.stmt = s.span
                        self.expr(s.where)
                    self.block(s.body)
                case _:
                    assert_never(s)

    def assign(self, s: ir.Assign) -> None:
        var, path = ir.lvalue_path(s.target)
        self.names[var.index] = var.name
        for step in path:
            if isinstance(step, ir.LIndex):
                if isinstance(step.base.type, SeqT):
                    self.fails = self.fails or s
                self.expr(step.index)
        value = _strip(s.value)
        if isinstance(s.value, ir.Narrow):
            self.fails = self.fails or s
        own = self.own_position(path)
        if own is not None:  # a cell of this iteration, whatever is stored in it
            self.note(var.index, "own", True, own)
            self.expr(s.value)
            return
        if isinstance(value, ir.Binary) and value.op in _ACC_OPS:
            me = _as_expr(s.target)
            other = value.right if value.left == me else \
                value.left if value.right == me and value.op in _COMMUTATIVE else None
            if other is not None:
                kind: str | None = value.op
                if value.op in ("+", "-"):
                    sign = _sign(other) * (1 if value.op == "+" else -1)
                    kind = None if sign == 0 else "up" if sign > 0 else "down"
                if kind is not None:
                    self.note(var.index, "acc", True, kind)
                    self.expr(other)
                    return
        if isinstance(value, ir.Lit) or isinstance(value, ir.Some) and isinstance(value.operand, ir.Lit):
            self.note(var.index, "const", True, value)
        else:
            self.note(var.index, "other", True, None)
        self.expr(s.value)

    def own_position(self, path: Sequence[ir.LIndex | ir.LField | ir.Index | ir.Field]) -> int | None:
        for k, step in enumerate(path):
            if isinstance(step, (ir.LIndex, ir.Index)) and isinstance(step.index, ir.Local) \
                    and step.index.uid in self.xs:
                return k
        return None

    def note(self, var: int, kind: str, write: bool, detail: object) -> None:
        self.acc.append(_Access(var, kind, write, detail, self.stmt))

    def expr(self, e: ir.Expr) -> None:
        match e:
            case ir.Var() | ir.Index() | ir.Field():
                # a chain v.f[k]...: one access to v, classified by where the loop variable indexes it
                path: list[ir.Index | ir.Field] = []
                node: ir.Expr = e
                while isinstance(node, (ir.Index, ir.Field)):
                    path.append(node)
                    node = node.base
                path.reverse()
                for step in path:
                    if isinstance(step, ir.Index):
                        if _fails(step):
                            self.fails = self.fails or step
                        self.expr(step.index)
                if isinstance(node, ir.Var):
                    self.names[node.index] = node.name
                    own = self.own_position(path)
                    self.note(node.index, "own" if own is not None else "other", False, own)
                else:
                    self.expr(node)
                return
            case ir.LetIn():
                self.alias(e.uid, e.value)
            case _:
                pass
        if _fails(e):
            self.fails = self.fails or e
        for child in ir_walk.children(e):
            assert isinstance(child, ir.Expr)
            self.expr(child)

    def alias(self, uid: int, value: ir.Expr) -> None:
        if isinstance(value, ir.Local) and value.uid in self.xs:
            self.xs.add(uid)

    # ---------------------------------------------------------------- verdict
    def verdict(self) -> str | None:
        written = {a.var for a in self.acc if a.write}
        for v in sorted(written):
            accs = [a for a in self.acc if a.var == v]
            kinds = {(a.kind, _hashable(a.detail)) for a in accs}
            if len(kinds) == 1:
                kind = next(iter(kinds))[0]
                if kind in ("own", "acc") or kind == "const" and all(a.write for a in accs):
                    continue
            return self.why(v, accs)
        if self.blocks is not None and self.fails is not None:
            return (f"can both block (`{_text(self.blocks.span)}`) and fail (`{_text(self.fails.span)}`), and which "
                    "happens first depends on the order of the iterations")
        return None

    def why(self, v: int, accs: list[_Access]) -> str:
        name = self.names[v]
        first_write = next(a for a in accs if a.write)
        read = next((a for a in accs if not a.write and a.kind != "own"), None) or \
            next((a for a in accs if not a.write), None)
        if read is not None and read.stmt != first_write.stmt:
            return (f"reads `{name}` (`{_text(read.stmt)}`) which an earlier iteration may have written "
                    f"(`{_text(first_write.stmt)}`)")
        if read is not None:
            return f"reads `{name}` in a later iteration after writing it (`{_text(first_write.stmt)}`)"
        return f"keeps a value from one iteration in `{name}` (`{_text(first_write.stmt)}`): the last one wins"


def _hashable(x: object) -> object:
    try:
        hash(x)
        return x
    except TypeError:
        return repr(x)
