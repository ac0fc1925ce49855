"""The reference semantics: what a bound model means, executed directly on the IR.

Every engine is checked against this module. It is written for clarity, not speed.

A state is a tuple of variable values (see types.py for the value representation).
A step is one action with one tuple of parameter values and one value for each `choose` met on
the executed path (its "picks", in the order they were made). Order of enumeration:
actions in declaration order; parameters in lexicographic order of their values (the first
parameter varies slowest); picks in value order, depth first. Init states are enumerated the
same way from the init block.

Statements are sequential: a later statement sees earlier writes. `require` that fails disables
the path; a model error (see model_errors.py, XM501-XM508) or a failed assert ends the path as a
violation. Builtins evaluate through their row of builtins.BUILTINS.
"""
from __future__ import annotations

import itertools
import operator
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, assert_never

from . import ir, ir_walk
from . import model_errors as E
from .builtins import BUILTINS
from .coverage import Coverage
from .model_errors import ModelError
from .source import Span
from .types import IntT, MapT, OptionT, SeqT, SetT, SortT, Type, default, key_index, show, values

__all__ = ["COMPARISONS", "ModelError", "Step", "StepError", "eval_expr", "eval_closed", "narrow",
           "initial_states", "param_tuples", "successors_of", "successors", "check_properties",
           "show_state", "show_args", "sort_of", "nesting_depth", "recursion_headroom"]

State = tuple[Any, ...]
Env = dict[int, Any]
Picks = list[tuple[str, Any]]

# The comparison operators, shared with the engines that build terms (z3 overloads these too).
COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    ir.BinOp.EQ: operator.eq, ir.BinOp.NE: operator.ne, ir.BinOp.LT: operator.lt,
    ir.BinOp.LE: operator.le, ir.BinOp.GT: operator.gt, ir.BinOp.GE: operator.ge}


@dataclass(frozen=True)
class Step:
    """One transition: the action, its argument values, the picks, and the state it leads to."""
    action: str
    args: tuple[Any, ...]
    picks: tuple[tuple[str, Any], ...]
    state: State


@dataclass(frozen=True)
class StepError:
    """A path that ended in a model error or failed assert."""
    action: str
    args: tuple[Any, ...]
    picks: tuple[tuple[str, Any], ...]
    error: ModelError
    state: State  # the state reached so far (writes before the error)


# ------------------------------------------------------------ expressions
def eval_expr(e: ir.Expr, state: Sequence[Any], env: Env) -> Any:
    match e:
        case ir.Lit():
            return e.value
        case ir.Var():
            return state[e.index]
        case ir.Local():
            return env[e.uid]
        case ir.Index():
            base = eval_expr(e.base, state, env)
            k = eval_expr(e.index, state, env)
            bt = e.base.type
            if isinstance(bt, MapT):
                return base[key_index(bt.key, k)]
            if not 0 <= k < len(base):
                raise E.index_outside(k, len(base), e.span)
            return base[k]
        case ir.Field():
            return eval_expr(e.base, state, env)[e.field_index]
        case ir.Unary():
            v = eval_expr(e.operand, state, env)
            return (not v) if e.op == ir.UnOp.NOT else -v
        case ir.Binary():
            return _binary(e, state, env)
        case ir.Ite():
            return eval_expr(e.then if eval_expr(e.cond, state, env) else e.other, state, env)
        case ir.Quant():
            return _quant(e, state, env)
        case ir.SetLit():
            return frozenset(eval_expr(i, state, env) for i in e.items)
        case ir.SeqLit():
            return tuple(eval_expr(i, state, env) for i in e.items)
        case ir.MapComp():
            out = []
            for k in values(e.key):
                env[e.uid] = k
                out.append(eval_expr(e.body, state, env))
            return tuple(out)
        case ir.RecordLit():
            return tuple(eval_expr(v, state, env) for v in e.values)
        case ir.Builtin():
            args = tuple(eval_expr(a, state, env) for a in e.args)
            return BUILTINS[e.name].evaluate(args, e.type, e.span)
        case ir.SortVal():
            i = eval_expr(e.index, state, env)
            assert isinstance(e.type, SortT)
            if not 0 <= i < e.type.size:
                raise E.sort_value_outside(i, e.type.name, e.type.size, e.span)
            return i
        case ir.Some():
            return eval_expr(e.operand, state, env)
        case ir.Narrow():
            return narrow(eval_expr(e.operand, state, env), e.type, e.span)
        case ir.LetIn():
            env[e.uid] = eval_expr(e.value, state, env)
            return eval_expr(e.body, state, env)
        case _:
            assert_never(e)


def narrow(v: Any, t: Type, span: Span | None) -> Any:
    """Check that v fits the bounded type t (int range, seq capacity), element-wise where needed."""
    if isinstance(t, IntT):
        if t.bounded and not t.lo <= v <= t.hi:
            raise E.out_of_range(show(t, v), t, span)  # show: bounded digits
    elif isinstance(t, SeqT):
        assert t.cap is not None  # a stored seq's type has its capacity
        if len(v) > t.cap:
            raise E.over_capacity(len(v), t.cap, span)
        if isinstance(t.elem, IntT):
            for x in v:
                narrow(x, t.elem, span)
    elif isinstance(t, OptionT):
        if v is not None and t.inner is not None:
            narrow(v, t.inner, span)
    elif isinstance(t, SetT) and isinstance(t.elem, IntT):
        for x in v:
            narrow(x, t.elem, span)
    elif isinstance(t, MapT) and isinstance(t.value, (IntT, SeqT)):
        for x in v:
            narrow(x, t.value, span)
    return v


def _binary(e: ir.Binary, state: Sequence[Any], env: Env) -> Any:
    op = e.op
    # the logical operators evaluate their right operand only when it decides
    match op:
        case ir.BinOp.AND:
            return bool(eval_expr(e.left, state, env)) and bool(eval_expr(e.right, state, env))
        case ir.BinOp.OR:
            return bool(eval_expr(e.left, state, env)) or bool(eval_expr(e.right, state, env))
        case ir.BinOp.IMPLIES:
            return (not eval_expr(e.left, state, env)) or bool(eval_expr(e.right, state, env))
        case _:
            pass
    a = eval_expr(e.left, state, env)
    b = eval_expr(e.right, state, env)
    match op:
        case ir.BinOp.ADD | ir.BinOp.CONCAT:
            return a + b
        case ir.BinOp.SUB | ir.BinOp.DIFF:
            return a - b
        case ir.BinOp.MUL:
            return a * b
        case ir.BinOp.DIV | ir.BinOp.MOD:
            if b == 0:
                raise E.division_by_zero(op, e.span)
            return a // b if op == ir.BinOp.DIV else a % b
        case ir.BinOp.EQ | ir.BinOp.NE | ir.BinOp.LT | ir.BinOp.LE | ir.BinOp.GT | ir.BinOp.GE:
            return COMPARISONS[op](a, b)
        case ir.BinOp.IN:
            return a in b
        case ir.BinOp.UNION:
            return a | b
        case ir.BinOp.INTER:
            return a & b
        case ir.BinOp.AND | ir.BinOp.OR | ir.BinOp.IMPLIES:
            raise AssertionError("handled above")
        case _:
            assert_never(op)


def _quant(e: ir.Quant, state: Sequence[Any], env: Env) -> Any:
    kind = e.kind
    acc = 0
    for v in values(e.domain):
        env[e.uid] = v
        if e.where is not None and not eval_expr(e.where, state, env):
            continue
        r = eval_expr(e.body, state, env)
        match kind:
            case ir.QuantKind.FORALL:
                if not r:
                    return False
            case ir.QuantKind.EXISTS:
                if r:
                    return True
            case ir.QuantKind.COUNT:
                acc += 1 if r else 0
            case ir.QuantKind.SUM:
                acc += r
            case _:
                assert_never(kind)
    if kind == ir.QuantKind.FORALL:
        return True
    if kind == ir.QuantKind.EXISTS:
        return False
    return acc


def eval_closed(e: ir.Expr) -> Any:
    """Evaluate an expression that reads no state (constants)."""
    return eval_expr(e, (), {})


# ------------------------------------------------------------ statements
Outcome = tuple[list[Any], Picks, ModelError | None]


def _exec_block(stmts: tuple[ir.Stmt, ...], i: int, state: list[Any], env: Env, picks: Picks,
                cov: Coverage | None = None) -> Iterator[Outcome]:
    """Run stmts[i:] on the mutable state; yield (state, picks, error) for every enabled path.
    `cov`, when given, is told every outcome of every branch point (xenmodel/coverage.py).

    A model error raised on a straight-line path propagates to the nearest `choose`, which turns
    it into an outcome of that one alternative, so an error never hides the other alternatives.
    """
    while i < len(stmts):
        s = stmts[i]
        match s:
            case ir.Assign():
                v = eval_expr(s.value, state, env)
                _store(s.target, v, state, env)
                if cov is not None:
                    cov.recorded(s, v)
            case ir.Let():
                env[s.uid] = eval_expr(s.value, state, env)
            case ir.Require():
                held = bool(eval_expr(s.cond, state, env))
                if cov is not None:
                    cov.took(s, "held" if held else "failed")
                if not held:
                    return
            case ir.Assert():
                if not eval_expr(s.cond, state, env):
                    failed = E.assert_failed(s.message, s.span)
                    failed.context = (s.cond, tuple(state), dict(env))  # for the reports' "why"
                    raise failed
                if cov is not None:
                    cov.took(s, "checked")
            case ir.If():
                taken = bool(eval_expr(s.cond, state, env))
                if cov is not None:
                    cov.took(s, "then" if taken else "else")
                for st2, pk2, err in _exec_block(s.then if taken else s.other, 0, state, env, picks, cov):
                    if err is not None:
                        yield st2, pk2, err
                    else:
                        yield from _continue(stmts, i + 1, st2, env, pk2, cov)
                return
            case ir.Foreach():
                yield from _foreach(s, list(values(s.domain)), stmts, i, state, env, picks, cov)
                return
            case ir.Choose():
                for v in values(s.domain):
                    env2 = dict(env)
                    env2[s.uid] = v
                    if s.where is not None and not eval_expr(s.where, state, env2):
                        continue
                    here = picks + [(s.name, v)]
                    if cov is not None:
                        cov.took(s, "picked")
                    try:
                        for st2, pk2, err in _exec_block(s.body, 0, list(state), env2, here, cov):
                            if err is not None:
                                yield st2, pk2, err
                            else:
                                # an error after the body belongs to this path (with the body's own picks),
                                # and must not end the body's other alternatives
                                yield from _continue(stmts, i + 1, st2, dict(env2), pk2, cov)
                    except ModelError as err:  # a straight-line error in the body itself
                        yield list(state), here, err
                return
            case _:
                assert_never(s)
        i += 1
    yield state, picks, None


def _continue(stmts: tuple[ir.Stmt, ...], i: int, state: list[Any], env: Env, picks: Picks,
              cov: Coverage | None) -> Iterator[Outcome]:
    """The statements after a branching one, for one alternative: an error ends only that alternative."""
    try:
        yield from _exec_block(stmts, i, state, env, picks, cov)
    except ModelError as err:
        yield state, picks, err


def _foreach(s: ir.Foreach, remaining: list[Any], stmts: tuple[ir.Stmt, ...], i: int, state: list[Any], env: Env,
             picks: Picks, cov: Coverage | None) -> Iterator[Outcome]:
    if not remaining:
        yield from _exec_block(stmts, i + 1, state, env, picks, cov)  # errors: see the caller's try
        return
    v, rest = remaining[0], remaining[1:]
    env[s.uid] = v
    if s.where is not None and not eval_expr(s.where, state, env):
        yield from _foreach(s, rest, stmts, i, state, env, picks, cov)
        return
    for st2, pk2, err in _exec_block(s.body, 0, state, env, picks, cov):
        if err is not None:
            yield st2, pk2, err
            continue
        env[s.uid] = v
        try:
            yield from _foreach(s, rest, stmts, i, st2, dict(env), pk2, cov)
        except ModelError as err:  # this alternative failed later on; the others still run
            yield st2, pk2, err


def _store(lv: ir.LValue, v: Any, state: list[Any], env: Env) -> None:
    if isinstance(lv, ir.LVar):
        state[lv.index] = v
        return
    node, path = ir.lvalue_path(lv)
    # read down the path, then rebuild it bottom-up with the new value
    containers = [state[node.index]]
    keys: list[int] = []
    for step in path:
        cur = containers[-1]
        match step:
            case ir.LIndex():
                k = eval_expr(step.index, state, env)
                bt = step.base.type
                if isinstance(bt, MapT):
                    idx = key_index(bt.key, k)
                else:
                    if not 0 <= k < len(cur):
                        raise E.index_outside(k, len(cur), step.span)
                    idx = k
            case ir.LField():
                idx = step.field_index
            case _:
                assert_never(step)
        keys.append(idx)
        containers.append(cur[idx])
    new = v
    for cur, idx in zip(reversed(containers[:-1]), reversed(keys), strict=True):
        new = cur[:idx] + (new,) + cur[idx + 1:]
    state[node.index] = new


# ------------------------------------------------------------ the model as a transition system
def _run(stmts: tuple[ir.Stmt, ...], state: list[Any], env: Env, label: tuple[str, tuple[Any, ...]],
         out: list[Step | StepError], cov: Coverage | None = None) -> None:
    try:
        for st, picks, err in _exec_block(stmts, 0, state, env, [], cov):
            if err is None:
                out.append(Step(label[0], label[1], tuple(picks), tuple(st)))
            else:
                out.append(StepError(label[0], label[1], tuple(picks), err, tuple(st)))
    except ModelError as err:
        out.append(StepError(label[0], label[1], (), err, tuple(state)))


def initial_states(model: ir.Model, cover: Coverage | None = None) -> list[Step | StepError]:
    """Every initial state (as Steps of the pseudo-action "init"), in enumeration order (`cover`: see
    _exec_block)."""
    state: list[Any] = []
    out: list[Step | StepError] = []
    try:
        env: Env = {}
        for v in model.vars:
            state.append(narrow(eval_expr(v.init, tuple(state), env), v.type, v.span) if v.init is not None
                         else default(v.type))
    except ModelError as err:
        return [StepError("init", (), (), err, tuple(state))]
    _run(model.init, state, {}, ("init", ()), out, cover)
    return out


def param_tuples(action: ir.Action) -> Iterator[tuple[Any, ...]]:
    return itertools.product(*(values(p.type) for p in action.params))


def successors_of(model: ir.Model, action: ir.Action, args: tuple[Any, ...], state: State,
                  cover: Coverage | None = None) -> list[Step | StepError]:
    env = {p.uid: a for p, a in zip(action.params, args, strict=False)}
    out: list[Step | StepError] = []
    _run(action.body, list(state), env, (action.name, args), out, cover)
    return out


def successors(model: ir.Model, state: State) -> Iterator[Step | StepError]:
    """Every transition out of `state`, in the documented order."""
    for action in model.actions:
        for args in param_tuples(action):
            yield from successors_of(model, action, args, state)


def check_properties(model: ir.Model, state: State) -> list[tuple[ir.Property, ModelError | None]]:
    """The properties that fail in `state` (with the model error if evaluating one raised)."""
    failed: list[tuple[ir.Property, ModelError | None]] = []
    for p in model.properties:
        try:
            if not eval_expr(p.expr, state, {}):
                failed.append((p, None))
        except ModelError as err:
            failed.append((p, err))
    return failed


def show_state(model: ir.Model, state: State) -> dict[str, str]:
    return {v.name: show(v.type, x) for v, x in zip(model.vars, state, strict=False)}


def show_args(action: ir.Action, args: tuple[Any, ...]) -> str:
    return ", ".join(f"{p.name}={show(p.type, a)}" for p, a in zip(action.params, args, strict=False))


def sort_of(t: Type) -> SortT | None:
    return t if isinstance(t, SortT) else None


# ------------------------------------------------------------------ recursion headroom
# The evaluators (this module, checkers/smt/encode.py, the trace replay) recurse once per level of nesting
# of the model's expressions and statements. The front end limits nesting (XM diagnostics); within that
# limit Python's default recursion limit (1000 frames) is not always enough, so the engines run under
# recursion_headroom(model), which raises the limit for the run by what the model's nesting needs.
FRAMES_PER_LEVEL = 8  # the most frames one level costs an evaluator (a nested `if` statement: about 6)
MAX_EXTRA_FRAMES = 100_000  # never more: deeper than this, a RecursionError is better than a crash of C


def nesting_depth(model: ir.Model) -> int:
    """The deepest nesting of IR nodes in the model (an action or a property is one level above its
    body), found without recursion."""
    best = ir_walk.depth(model.init)
    best = max([best, *(ir_walk.depth(v.init) for v in model.vars if v.init is not None)])
    for a in model.actions:
        best = max(best, 2 if a.params else 1, 1 + ir_walk.depth(a.body))
    for p in model.properties:
        best = max(best, 1 + ir_walk.depth(p.expr))
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
        f = f.f_back  # type: ignore[assignment]  # None ends the loop
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
