"""Why a property or an assert failed: the values of its subterms where it failed.

The condition (an invariant's or lemma's formula at the violating state, or a failed assert's condition
at the point of the action where it failed) is evaluated again with the reference semantics, subterm by
subterm, following what makes it false: the false operands of `&&`, both sides of a false `=>` or `||`,
the operands of a comparison, the body of a defined function called (with its arguments bound), and for
a `forall` the first binding that makes its body false (an `exists` that holds: the first that makes it
true). Each line is a subterm's source text and its value; literals and repeated texts are left out.

Text (`why_text`), JSON (`why_json`, values in their ITF encoding) and the HTML page share it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.model_errors import ModelError
from xenmodel.result import ViolationKind
from xenmodel.trace import Trace
from xenmodel.types import Type, show, values

from . import itf

MAX_LINES = 40  # a formula over many maps can have hundreds of subterms; the first ones say why
MAX_DEPTH = 10
TEXT_WIDTH = 120  # a term or value longer than this is cut in text output (JSON and HTML have it whole)


@dataclass(frozen=True)
class Line:
    depth: int
    term: str  # the subterm's source text (whitespace collapsed), or the bound names
    shown: str  # its value as the language prints it, or the model error evaluating it raised
    value: Any = None  # the value's ITF JSON (a binding line: name -> ITF JSON)
    binding: str = ""  # "for": a quantifier's witness; "with": a defined function's arguments


@dataclass(frozen=True)
class Why:
    what: str  # "invariant mm_rw_maps_writable" or "assert"
    where: str  # "state 3" or "step 3"
    formula: str
    lines: list[Line] = field(default_factory=list)


def _text(e: ir.Expr) -> str:
    return " ".join(e.span.text().split()) if e.span is not None else ""


class _Explainer:
    def __init__(self, state: tuple[Any, ...]) -> None:
        self.state = state
        self.lines: list[Line] = []
        self.seen: set[tuple[int, str]] = set()
        self.bound: set[int] = set()  # locals given by a binding line (a witness, a call's arguments)

    def value(self, e: ir.Expr, env: dict[int, Any]) -> tuple[bool, Any]:
        try:
            return True, S.eval_expr(e, self.state, dict(env))
        except ModelError as err:
            return False, err

    def add(self, depth: int, e: ir.Expr, ok: bool, v: Any) -> bool:
        """One line for e (unless literal, unnamed or already said at this depth); False when full."""
        if len(self.lines) >= MAX_LINES:
            return False
        text = _text(e)
        key = (-1 if isinstance(e, ir.Local) else depth, text)  # a local's value is said once
        if isinstance(e, ir.Lit) or not text or key in self.seen or (isinstance(e, ir.Local) and e.uid in self.bound):
            return True
        self.seen.add(key)
        if ok:
            self.lines.append(Line(depth, text, show(e.type, v), itf.encode(e.type, v, bounded=True)))
        else:
            self.lines.append(Line(depth, text, f"raises {v.code}: {v.message}"))
        return True

    def bind(self, depth: int, names: list[tuple[str, Type, Any]], uids: list[int], word: str) -> None:
        self.bound.update(uids)
        if len(self.lines) < MAX_LINES and names:
            self.lines.append(Line(depth, ", ".join(n for n, _, _ in names),
                                   ", ".join(f"{n} = {show(t, v)}" for n, t, v in names),
                                   {n: itf.encode(t, v, bounded=True) for n, t, v in names}, binding=word))

    def explain(self, e: ir.Expr, env: dict[int, Any], depth: int) -> None:
        while isinstance(e, (ir.Some, ir.Narrow)):  # the same value, no text of their own
            e = e.operand
        ok, v = self.value(e, env)
        if not self.add(depth, e, ok, v) or depth >= MAX_DEPTH or not ok:
            return
        shown = depth + (0 if isinstance(e, ir.Lit) or not _text(e) else 1)
        for child, child_env in self.children(e, env, v, shown):
            self.explain(child, child_env, shown)

    def children(self, e: ir.Expr, env: dict[int, Any], v: Any, depth: int) -> list[tuple[ir.Expr, dict[int, Any]]]:
        """The subterms that say why e has the value v (bindings are added as lines on the way)."""
        match e:
            case ir.Binary(op=ir.BinOp.AND | ir.BinOp.OR):
                # the first operand that decides (false for &&, true for ||), else both
                deciding = not v if e.op == ir.BinOp.AND else bool(v)
                if deciding:
                    first = next(c for c in (e.left, e.right) if self.decides(c, env, e.op == ir.BinOp.OR))
                    return [(first, env)]
                return [(e.left, env), (e.right, env)]
            case ir.Binary(op=ir.BinOp.IMPLIES):
                return [(e.left, env)] + ([(e.right, env)] if self.decides(e.left, env, True) else [])
            case ir.Binary() | ir.Builtin() | ir.Unary() | ir.SortVal():
                return [(c, env) for c in _operands(e)]
            case ir.Ite():
                ok, cond = self.value(e.cond, env)
                return [(e.cond, env)] + ([(e.then if cond else e.other, env)] if ok else [])
            case ir.Quant(kind=ir.QuantKind.FORALL | ir.QuantKind.EXISTS):
                return self.witness(e, env, depth)
            case ir.LetIn():
                names: list[tuple[str, Type, Any]] = []
                uids: list[int] = []
                env2 = dict(env)
                body: ir.Expr = e
                while isinstance(body, ir.LetIn):  # a def call: one LetIn per argument
                    ok, arg = self.value(body.value, env2)
                    if not ok:
                        return [(body.value, env2)]
                    env2[body.uid] = arg
                    names.append((body.name, body.value.type, arg))
                    uids.append(body.uid)
                    body = body.body
                self.bind(depth, names, uids, "with")
                return [(body, env2)]
            case ir.Index() | ir.Field():  # the value is the answer; the indexes say where
                return [(i, env) for i in _indexes(e)]
            case _:  # a variable, a local, a literal, ...
                return []

    def decides(self, e: ir.Expr, env: dict[int, Any], value: bool) -> bool:
        """Whether e evaluates to `value` (an error decides too: evaluation stops there)."""
        ok, v = self.value(e, env)
        return not ok or bool(v) == value

    def witness(self, e: ir.Quant, env: dict[int, Any], depth: int) -> list[tuple[ir.Expr, dict[int, Any]]]:
        """The first binding of `forall x, y` (nested quantifiers of one kind) that decides the value."""
        want = e.kind == ir.QuantKind.EXISTS  # forall: a body that is false; exists: one that is true
        binders: list[ir.Quant] = [e]
        while isinstance(binders[-1].body, ir.Quant) and binders[-1].body.kind == e.kind \
                and binders[-1].body.span == e.span:
            binders.append(binders[-1].body)
        found = self._search(binders, 0, dict(env), want)
        if found is None:
            return []
        env2, names = found
        self.bind(depth, names, [q.uid for q in binders], "for")
        return [(binders[-1].body, env2)]

    def _search(self, binders: list[ir.Quant], i: int, env: dict[int, Any],
                want: bool) -> tuple[dict[int, Any], list[tuple[str, Type, Any]]] | None:
        q = binders[i]
        for x in values(q.domain):
            env[q.uid] = x
            if q.where is not None and not self.value(q.where, env)[1]:
                continue
            if i + 1 < len(binders):
                found = self._search(binders, i + 1, env, want)
                if found is not None:
                    return found[0], [(q.name, q.domain, x)] + found[1]
                continue
            ok, r = self.value(q.body, env)
            if not ok or bool(r) == want:
                return dict(env), [(q.name, q.domain, x)]
        return None


def _indexes(e: ir.Expr) -> list[ir.Expr]:
    """The index expressions of an access path `m[k].f[j]` that are not literals: k, j."""
    out: list[ir.Expr] = []
    while isinstance(e, (ir.Index, ir.Field)):
        if isinstance(e, ir.Index) and not isinstance(e.index, ir.Lit):
            out.insert(0, e.index)
        e = e.base
    return out


def _operands(e: ir.Expr) -> tuple[ir.Expr, ...]:
    match e:
        case ir.Binary():
            return (e.left, e.right)
        case ir.Builtin():
            return e.args
        case ir.Unary():
            return (e.operand,)
        case ir.SortVal():
            return (e.index,)
        case _:
            return ()


def explain(cond: ir.Expr, state: tuple[Any, ...], env: dict[int, Any] | None = None) -> list[Line]:
    """The lines that say why `cond` has its value in `state` (with the locals `env`)."""
    ex = _Explainer(state)
    ex.explain(cond, dict(env or {}), 0)
    return ex.lines


def why_violation(model: ir.Model, trace: Trace) -> Why | None:
    """Why the trace's violation happens: a property's formula at the last state, or a failed assert's
    condition where it failed; None for other violations (deadlock, model errors)."""
    with S.recursion_headroom(model):  # deeply nested formulas evaluate as they did in the engine
        return _why(model, trace)


def _why(model: ir.Model, trace: Trace) -> Why | None:
    v = trace.violation
    if v is None or not trace.steps:
        return None
    last = trace.steps[-1].state
    n = len(trace)
    if v.kind in (ViolationKind.INVARIANT, ViolationKind.LEMMA):
        prop = next((p for p in model.properties if p.name == v.name), None)
        if prop is None:
            return None
        return Why(f"{v.kind} {v.name}", f"state {n}", _text(prop.expr), explain(prop.expr, last))
    if v.kind == ViolationKind.ASSERT and v.failing is not None and v.failing[0] != "init":
        name, args, picks = v.failing
        action = model.action(name)
        if action is None:
            return None
        for o in S.successors_of(model, action, args, last):
            if isinstance(o, S.StepError) and o.picks == picks and o.error.context is not None:
                cond, state, env = o.error.context
                return Why("assert", f"step {n + 1}", _text(cond), explain(cond, state, env))
    return None


def why_text(why: Why) -> list[str]:
    """`why: ...` and one indented line per subterm (values cut at TEXT_WIDTH characters)."""
    what = "the assert's condition" if why.what == "assert" else why.what
    out = [f"why: {what} is false in {why.where}:"]
    for line in why.lines:
        pad = "    " + "  " * line.depth
        out.append(f"{pad}{line.binding} {_cut(line.shown)}:" if line.binding
                   else f"{pad}{_cut(line.term)}  is  {_cut(line.shown)}")
    return out


def _cut(text: str) -> str:
    return text if len(text) <= TEXT_WIDTH else text[:TEXT_WIDTH - 1] + "…"


def why_json(why: Why) -> dict[str, Any]:
    return {"what": why.what, "where": why.where, "formula": why.formula,
            "terms": [{"depth": line.depth, line.binding: line.value} if line.binding else
                      {"depth": line.depth, "term": line.term, "value": line.value, "shown": line.shown}
                      for line in why.lines]}
