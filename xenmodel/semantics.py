"""The reference semantics: what a bound model means, executed directly on the IR.

Every engine is checked against this module. It is written for clarity, not speed.

A state is a tuple of variable values (see types.py for the value representation).
A step is one action with one tuple of parameter values and one value for each `choose` met on
the executed path (its "picks", in the order they were made). Order of enumeration:
actions in declaration order; parameters in lexicographic order of their values (the first
parameter varies slowest); picks in value order, depth first. Init states are enumerated the
same way from the init block.

Statements are sequential: a later statement sees earlier writes. `require` that fails disables
the path; a model error (see CODES XM501-XM508) or a failed assert ends the path as a violation.
"""
from __future__ import annotations

import itertools
import operator
import sys
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import Any, Iterator

from . import ir
from .source import Span
from .types import (IntT, MapT, OptionT, SeqT, SetT, SortT, key_index, show, values)


# The comparison operators, shared with the engines that build terms (z3 overloads these too).
COMPARISONS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
               ">": operator.gt, ">=": operator.ge}


class ModelError(Exception):
    """A run-time error of the model (not of Python): reported as a violation."""

    def __init__(self, code: str, message: str, span: Span | None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.span = span


class _Disabled(Exception):
    pass


@dataclass(frozen=True)
class Step:
    """One transition: the action, its argument values, the picks, and the state it leads to."""
    action: str
    args: tuple[Any, ...]
    picks: tuple[tuple[str, Any], ...]
    state: tuple


@dataclass(frozen=True)
class StepError:
    """A path that ended in a model error or failed assert."""
    action: str
    args: tuple[Any, ...]
    picks: tuple[tuple[str, Any], ...]
    error: ModelError
    state: tuple  # the state reached so far (writes before the error)


# ------------------------------------------------------------ expressions
def eval_expr(e: ir.Expr, state: tuple, env: dict[int, Any]) -> Any:
    t = type(e)
    if t is ir.Lit:
        return e.value
    if t is ir.Var:
        return state[e.index]
    if t is ir.Local:
        return env[e.uid]
    if t is ir.Index:
        base = eval_expr(e.base, state, env)
        k = eval_expr(e.index, state, env)
        bt = e.base.type
        if isinstance(bt, MapT):
            return base[key_index(bt.key, k)]
        if not 0 <= k < len(base):
            raise ModelError("XM505", f"index {k} outside a seq of length {len(base)}", e.span)
        return base[k]
    if t is ir.Field:
        return eval_expr(e.base, state, env)[e.field_index]
    if t is ir.Unary:
        v = eval_expr(e.operand, state, env)
        return (not v) if e.op == "!" else -v
    if t is ir.Binary:
        return _binary(e, state, env)
    if t is ir.Ite:
        return eval_expr(e.then if eval_expr(e.cond, state, env) else e.other, state, env)
    if t is ir.Quant:
        return _quant(e, state, env)
    if t is ir.SetLit:
        return frozenset(eval_expr(i, state, env) for i in e.items)
    if t is ir.SeqLit:
        return tuple(eval_expr(i, state, env) for i in e.items)
    if t is ir.MapComp:
        out = []
        for k in values(e.key):
            env[e.uid] = k
            out.append(eval_expr(e.body, state, env))
        return tuple(out)
    if t is ir.RecordLit:
        return tuple(eval_expr(v, state, env) for v in e.values)
    if t is ir.Builtin:
        return _builtin(e, state, env)
    if t is ir.SortVal:
        i = eval_expr(e.index, state, env)
        if not 0 <= i < e.type.size:
            raise ModelError("XM508", f"{e.type.name}({i}) is outside the sort (0..{e.type.size - 1})", e.span)
        return i
    if t is ir.Some:
        return eval_expr(e.operand, state, env)
    if t is ir.Narrow:
        return narrow(eval_expr(e.operand, state, env), e.type, e.span)
    if t is ir.LetIn:
        env[e.uid] = eval_expr(e.value, state, env)
        return eval_expr(e.body, state, env)
    raise AssertionError(f"reference semantics: unknown expression node {e!r}")


def narrow(v: Any, t, span: Span | None) -> Any:
    """Check that v fits the bounded type t (int range, seq capacity), element-wise where needed."""
    if isinstance(t, IntT):
        if t.bounded and not t.lo <= v <= t.hi:
            raise ModelError("XM503", f"value {show(t, v)} is outside {t}", span)  # show: bounded digits
    elif isinstance(t, SeqT):
        if len(v) > t.cap:
            raise ModelError("XM504", f"a seq of length {len(v)} does not fit capacity {t.cap}", span)
        if isinstance(t.elem, IntT):
            for x in v:
                narrow(x, t.elem, span)
    elif isinstance(t, OptionT):
        if v is not None:
            narrow(v, t.inner, span)
    elif isinstance(t, SetT) and isinstance(t.elem, IntT):
        for x in v:
            narrow(x, t.elem, span)
    elif isinstance(t, MapT) and isinstance(t.value, (IntT, SeqT)):
        for x in v:
            narrow(x, t.value, span)
    return v


def _binary(e: ir.Binary, state, env) -> Any:
    op = e.op
    if op == "&&":
        return bool(eval_expr(e.left, state, env)) and bool(eval_expr(e.right, state, env))
    if op == "||":
        return bool(eval_expr(e.left, state, env)) or bool(eval_expr(e.right, state, env))
    if op == "=>":
        return (not eval_expr(e.left, state, env)) or bool(eval_expr(e.right, state, env))
    a = eval_expr(e.left, state, env)
    b = eval_expr(e.right, state, env)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op in ("/", "%"):
        if b == 0:
            raise ModelError("XM506", "division by zero" if op == "/" else "modulo by zero", e.span)
        return a // b if op == "/" else a % b
    compare = COMPARISONS.get(op)
    if compare is not None:
        return compare(a, b)
    if op == "in":
        return a in b
    if op == "++":
        return a + b
    if op == "union":
        return a | b
    if op == "diff":
        return a - b
    if op == "inter":
        return a & b
    raise AssertionError(f"reference semantics: unknown operator {op}")


def _quant(e: ir.Quant, state, env) -> Any:
    kind = e.kind
    acc = 0
    for v in values(e.domain):
        env[e.uid] = v
        if e.where is not None and not eval_expr(e.where, state, env):
            continue
        r = eval_expr(e.body, state, env)
        if kind == "forall":
            if not r:
                return False
        elif kind == "exists":
            if r:
                return True
        elif kind == "count":
            acc += 1 if r else 0
        else:
            acc += r
    if kind == "forall":
        return True
    if kind == "exists":
        return False
    return acc


def _builtin(e: ir.Builtin, state, env) -> Any:
    name = e.name
    args = [eval_expr(a, state, env) for a in e.args]
    if name == "len" or name == "size":
        return len(args[0])
    if name in ("head", "tail", "last"):
        q = args[0]
        if not q:
            raise ModelError("XM502", f"{name}() of an empty seq", e.span)
        return q[0] if name == "head" else q[-1] if name == "last" else q[1:]
    if name == "count":
        return args[0].count(args[1])
    if name == "remove":
        q, x = args
        if x in q:
            i = q.index(x)
            return q[:i] + q[i + 1:]
        return q
    if name == "remove_at":
        q, i = args
        if not 0 <= i < len(q):
            raise ModelError("XM505", f"remove_at index {i} outside a seq of length {len(q)}", e.span)
        return q[:i] + q[i + 1:]
    if name == "insert":
        q, i, x = args
        if not 0 <= i <= len(q):
            raise ModelError("XM505", f"insert index {i} outside 0..{len(q)}", e.span)
        if len(q) + 1 > e.type.cap:
            raise ModelError("XM504", f"insert into a full seq (capacity {e.type.cap})", e.span)
        return q[:i] + (x,) + q[i:]
    if name == "get":
        if args[0] is None:
            raise ModelError("XM501", "get() of none", e.span)
        return args[0]
    if name == "ord":
        return args[0]
    if name == "min":
        return min(args)
    if name == "max":
        return max(args)
    raise AssertionError(f"reference semantics: unknown builtin {name}")


def eval_closed(e: ir.Expr) -> Any:
    """Evaluate an expression that reads no state (constants)."""
    return eval_expr(e, (), {})


# ------------------------------------------------------------ statements
def _exec_block(stmts: tuple, i: int, state: list, env: dict, picks: list) -> Iterator[tuple[list, list, Any]]:
    """Run stmts[i:] on the mutable state; yield (state, picks, error) for every enabled path.

    A model error raised on a straight-line path propagates to the nearest `choose`, which turns
    it into an outcome of that one alternative, so an error never hides the other alternatives.
    """
    while i < len(stmts):
        s = stmts[i]
        t = type(s)
        if t is ir.Assign:
            v = eval_expr(s.value, state, env)
            _store(s.target, v, state, env)
        elif t is ir.Let:
            env[s.uid] = eval_expr(s.value, state, env)
        elif t is ir.Require:
            if not eval_expr(s.cond, state, env):
                return
        elif t is ir.Assert:
            if not eval_expr(s.cond, state, env):
                raise ModelError("XM507", s.message, s.span)
        elif t is ir.If:
            branch = s.then if eval_expr(s.cond, state, env) else s.other
            for st2, pk2, err in _exec_block(branch, 0, state, env, picks):
                if err is not None:
                    yield st2, pk2, err
                else:
                    yield from _continue(stmts, i + 1, st2, env, pk2)
            return
        elif t is ir.Foreach:
            yield from _foreach(s, list(values(s.domain)), stmts, i, state, env, picks)
            return
        elif t is ir.Choose:
            for v in values(s.domain):
                env2 = dict(env)
                env2[s.uid] = v
                if s.where is not None and not eval_expr(s.where, state, env2):
                    continue
                here = picks + [(s.name, v)]
                try:
                    for st2, pk2, err in _exec_block(s.body, 0, list(state), env2, here):
                        if err is not None:
                            yield st2, pk2, err
                        else:
                            # an error after the body belongs to this path (with the body's own picks),
                            # and must not end the body's other alternatives
                            yield from _continue(stmts, i + 1, st2, dict(env2), pk2)
                except ModelError as err:  # a straight-line error in the body itself
                    yield list(state), here, err
            return
        else:
            raise AssertionError(f"reference semantics: unknown statement {s!r}")
        i += 1
    yield state, picks, None


def _continue(stmts, i, state, env, picks):
    """The statements after a branching one, for one alternative: an error ends only that alternative."""
    try:
        yield from _exec_block(stmts, i, state, env, picks)
    except ModelError as err:
        yield state, picks, err


def _foreach(s: ir.Foreach, remaining: list, stmts, i, state, env, picks):
    if not remaining:
        yield from _exec_block(stmts, i + 1, state, env, picks)  # errors: see the caller's try
        return
    v, rest = remaining[0], remaining[1:]
    env[s.uid] = v
    if s.where is not None and not eval_expr(s.where, state, env):
        yield from _foreach(s, rest, stmts, i, state, env, picks)
        return
    for st2, pk2, err in _exec_block(s.body, 0, state, env, picks):
        if err is not None:
            yield st2, pk2, err
            continue
        env[s.uid] = v
        try:
            yield from _foreach(s, rest, stmts, i, st2, dict(env), pk2)
        except ModelError as err:  # this alternative failed later on; the others still run
            yield st2, pk2, err


def _store(lv: ir.LValue, v: Any, state: list, env: dict) -> None:
    if type(lv) is ir.LVar:
        state[lv.index] = v
        return
    node, path = ir.lvalue_path(lv)
    # read down the path, then rebuild it bottom-up with the new value
    containers = [state[node.index]]
    keys = []
    for step in path:
        cur = containers[-1]
        if type(step) is ir.LIndex:
            k = eval_expr(step.index, state, env)
            bt = step.base.type
            if isinstance(bt, MapT):
                idx = key_index(bt.key, k)
            else:
                if not 0 <= k < len(cur):
                    raise ModelError("XM505", f"index {k} outside a seq of length {len(cur)}", step.span)
                idx = k
        else:
            idx = step.field_index
        keys.append(idx)
        containers.append(cur[idx])
    new = v
    for cur, idx in zip(reversed(containers[:-1]), reversed(keys)):
        new = cur[:idx] + (new,) + cur[idx + 1:]
    state[node.index] = new


# ------------------------------------------------------------ the model as a transition system
def _run(model: ir.Model, stmts, state: list, env: dict, label: tuple, out: list) -> None:
    try:
        for st, picks, err in _exec_block(stmts, 0, state, env, []):
            if err is None:
                out.append(Step(label[0], label[1], tuple(picks), tuple(st)))
            else:
                out.append(StepError(label[0], label[1], tuple(picks), err, tuple(st)))
    except ModelError as err:
        out.append(StepError(label[0], label[1], (), err, tuple(state)))


def initial_states(model: ir.Model) -> list[Step | StepError]:
    """Every initial state (as Steps of the pseudo-action "init"), in enumeration order."""
    state: list = []
    out: list = []
    try:
        env: dict = {}
        for v in model.vars:
            state.append(narrow(eval_expr(v.init, tuple(state), env), v.type, v.span) if v.init is not None
                         else _default(v.type))
    except ModelError as err:
        return [StepError("init", (), (), err, tuple(state))]
    _run(model, model.init, state, {}, ("init", ()), out)
    return out


def _default(t):
    from .types import default
    return default(t)


def param_tuples(action: ir.Action) -> Iterator[tuple]:
    return itertools.product(*(values(p.type) for p in action.params))


def successors_of(model: ir.Model, action: ir.Action, args: tuple, state: tuple) -> list[Step | StepError]:
    env = {p.uid: a for p, a in zip(action.params, args)}
    out: list = []
    _run(model, action.body, list(state), env, (action.name, args), out)
    return out


def successors(model: ir.Model, state: tuple) -> Iterator[Step | StepError]:
    """Every transition out of `state`, in the documented order."""
    for action in model.actions:
        for args in param_tuples(action):
            yield from successors_of(model, action, args, state)


def check_properties(model: ir.Model, state: tuple) -> list[tuple[ir.Property, ModelError | None]]:
    """The properties that fail in `state` (with the model error if evaluating one raised)."""
    failed = []
    for p in model.properties:
        try:
            if not eval_expr(p.expr, state, {}):
                failed.append((p, None))
        except ModelError as err:
            failed.append((p, err))
    return failed


def show_state(model: ir.Model, state: tuple) -> dict[str, str]:
    return {v.name: show(v.type, x) for v, x in zip(model.vars, state)}


def show_args(action: ir.Action, args: tuple) -> str:
    return ", ".join(f"{p.name}={show(p.type, a)}" for p, a in zip(action.params, args))


def sort_of(t) -> SortT | None:
    return t if isinstance(t, SortT) else None


# ------------------------------------------------------------------ recursion headroom
# The evaluators (this module, checkers/z3enc.py, the trace replay) recurse once per level of nesting
# of the model's expressions and statements. The front end limits nesting (XM diagnostics); within that
# limit Python's default recursion limit (1000 frames) is not always enough, so the engines run under
# recursion_headroom(model), which raises the limit for the run by what the model's nesting needs.
FRAMES_PER_LEVEL = 8  # the most frames one level costs an evaluator (a nested `if` statement: about 6)
MAX_EXTRA_FRAMES = 100_000  # never more: deeper than this, a RecursionError is better than a crash of C


def nesting_depth(model: ir.Model) -> int:
    """The deepest nesting of IR nodes in the model, found without recursion."""
    best = 0
    stack: list = [(model.init, 1), (model.actions, 1), (model.properties, 1),
                   (tuple(v.init for v in model.vars), 1)]
    while stack:
        node, d = stack.pop()
        if isinstance(node, tuple):
            stack.extend((x, d) for x in node)
        elif isinstance(node, ir.Node):
            best = max(best, d)
            stack.extend((getattr(node, f.name), d + 1) for f in fields(node) if f.name != "span")
    return best


@contextmanager
def recursion_headroom(model: ir.Model, levels: int | None = None) -> Iterator[None]:
    """Run with a recursion limit that leaves room for the model's nesting on top of the current depth.
    levels: nesting_depth(model), when the caller has it already (it walks the whole model)."""
    levels = nesting_depth(model) if levels is None else levels
    depth = 0
    f = sys._getframe()
    while f is not None:
        depth += 1
        f = f.f_back
    need = depth + 1000 + min(FRAMES_PER_LEVEL * levels, MAX_EXTRA_FRAMES)
    old = sys.getrecursionlimit()
    if need <= old:
        yield
        return
    sys.setrecursionlimit(need)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)
