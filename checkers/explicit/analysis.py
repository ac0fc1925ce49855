"""What the code generator asks of the IR (sizes, hoisting, where a loop is needed), on top of
xenmodel.ir_walk; only what is specific to the generator is written here."""
from __future__ import annotations

from collections.abc import Sequence
from typing import assert_never

from xenmodel import ir, ir_walk
from xenmodel.types import BoolT, EnumT, IntT, MapT, SeqT, SortT, cardinality

MAX_CONJUNCTS = 16  # each hoisted conjunct is one more indented `if` in the generated code


def needs_loop(stmts: Sequence[ir.Stmt]) -> bool:
    """Could a `require` of this block (outside any choose loop) need a loop to `continue`?
    The walk stops at the first `choose`: the choose's own `for` loop takes every require after it."""
    for s in stmts:
        match s:
            case ir.Require():
                return True
            case ir.If():
                if needs_loop(s.then) or needs_loop(s.other):
                    return True
            case ir.Foreach():
                if needs_loop(s.body):
                    return True
            case ir.Choose():
                return False
            case ir.Assign() | ir.Let() | ir.Assert():
                pass
            case _:
                assert_never(s)
    return False


def stmt_size(stmts: Sequence[ir.Stmt]) -> int:
    """IR nodes in a block: the cost of one unrolled copy (a `foreach` counts once per value, since
    it is unrolled; an assignment's target is not counted)."""
    n = 0
    for s in stmts:
        n += 1
        match s:
            case ir.Require() | ir.Assert():
                n += ir_walk.size(s.cond)
            case ir.Assign() | ir.Let():
                n += ir_walk.size(s.value)
            case ir.If():
                n += ir_walk.size(s.cond) + stmt_size(s.then) + stmt_size(s.other)
            case ir.Foreach() | ir.Choose():
                k = cardinality(s.domain) if isinstance(s, ir.Foreach) else 1
                n += k * (stmt_size(s.body) + (ir_walk.size(s.where) if s.where is not None else 0))
            case _:
                assert_never(s)
    return n


def stmts_have_choose(stmts: Sequence[ir.Stmt]) -> bool:
    return ir_walk.has_node(tuple(stmts), ir.Choose)


def assigned_vars(stmts: Sequence[ir.Stmt]) -> frozenset[int]:
    return ir_walk.vars_written(tuple(stmts))


def expr_vars(e: ir.Expr) -> frozenset[int]:
    """Indices of the state variables an expression reads."""
    return ir_walk.vars_read(e)


def expr_locals(e: ir.Expr) -> frozenset[int]:
    return ir_walk.locals_used(e)


def _node_may_raise(e: ir_walk.Node) -> bool:
    """Could this node itself (not counting its sub-nodes) raise a model error? Conservative."""
    match e:
        case ir.Index():
            bt = e.base.type
            if isinstance(bt, SeqT):
                return True
            assert isinstance(bt, MapT)
            return not isinstance(bt.key, (SortT, EnumT, BoolT)) and not isinstance(e.index, (ir.Lit, ir.Local))
        case ir.Binary():
            return e.op in ("/", "%") and not (isinstance(e.right, ir.Lit) and e.right.value != 0)
        case ir.Builtin():
            return e.name in ("head", "tail", "last", "remove_at", "insert", "get")
        case ir.SortVal():
            return True
        case ir.Narrow():
            return not (isinstance(e.type, IntT) and not e.type.bounded)
        case _:
            return False


def may_raise(e: ir.Expr) -> bool:
    """Could evaluating e raise a model error (or any exception)? Conservative."""
    return any(_node_may_raise(n) for n in ir_walk.walk(e))


def conjuncts(e: ir.Expr) -> list[ir.Expr]:
    """The conjuncts of a long chain stay together: Python refuses deeply indented source."""
    parts = _conjuncts(e)
    return parts if len(parts) <= MAX_CONJUNCTS else [e]


def _conjuncts(e: ir.Expr) -> list[ir.Expr]:
    if isinstance(e, ir.Binary) and e.op == "&&":
        return _conjuncts(e.left) + _conjuncts(e.right)
    return [e]
