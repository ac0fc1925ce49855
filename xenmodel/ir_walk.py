"""The one walker of the IR: children, a traversal, and the analyses every engine asks for.

Every function here dispatches on the closed node types of `ir.py` and ends in `assert_never`, so a
node type added to the IR without a case here fails loudly (and mypy names the missing case).
Traversals are iterative: a model nested as deep as the front end allows never hits Python's
recursion limit here.

Children come in evaluation order (the order the reference semantics evaluates them), so a walk that
stops at the first match meets nodes in the order a run would.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import assert_never

from . import ir

Node = ir.Expr | ir.Stmt | ir.LValue


def children(node: Node) -> tuple[Node, ...]:
    """The direct sub-nodes of `node` (expressions, statements, assignment targets), in evaluation order."""
    match node:
        case ir.Lit() | ir.Var() | ir.Local() | ir.LVar():
            return ()
        case ir.Index() | ir.LIndex():
            return (node.base, node.index)
        case ir.Field() | ir.LField():
            return (node.base,)
        case ir.Unary() | ir.Some() | ir.Narrow():
            return (node.operand,)
        case ir.Binary():
            return (node.left, node.right)
        case ir.Ite():
            return (node.cond, node.then, node.other)
        case ir.Quant():
            return (node.body,) if node.where is None else (node.where, node.body)
        case ir.SetLit() | ir.SeqLit():
            return node.items
        case ir.MapComp():
            return (node.body,)
        case ir.RecordLit():
            return node.values
        case ir.Builtin():
            return node.args
        case ir.SortVal():
            return (node.index,)
        case ir.LetIn():
            return (node.value, node.body)
        case ir.Require() | ir.Assert():
            return (node.cond,)
        case ir.Assign():
            return (node.value, node.target)
        case ir.Let():
            return (node.value,)
        case ir.If():
            return (node.cond, *node.then, *node.other)
        case ir.Foreach() | ir.Choose():
            return node.body if node.where is None else (node.where, *node.body)
        case _:
            assert_never(node)


def binder(node: Node) -> int | None:
    """The uid of the local that `node` binds for its sub-nodes (quantifier, comprehension, let,
    foreach, choose), or None."""
    match node:
        case ir.Quant() | ir.MapComp() | ir.LetIn() | ir.Foreach() | ir.Choose() | ir.Let():
            return node.uid
        case _:
            return None


def walk(roots: Node | tuple[Node, ...]) -> Iterator[Node]:
    """Every node under `roots`, pre-order (a node before its children, children in evaluation order)."""
    stack: list[Node] = list(reversed(roots)) if isinstance(roots, tuple) else [roots]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))


def vars_read(roots: Node | tuple[Node, ...]) -> frozenset[int]:
    """Indices of the state variables read under `roots`. An assignment target's index expressions are
    reads; the target variable itself is a write (see `vars_written`), not a read."""
    return frozenset(n.index for n in walk(roots) if isinstance(n, ir.Var))


def vars_written(roots: Node | tuple[Node, ...]) -> frozenset[int]:
    """Indices of the state variables assigned under `roots`."""
    return frozenset(ir.lvalue_path(n.target)[0].index for n in walk(roots) if isinstance(n, ir.Assign))


def vars_touched(roots: Node | tuple[Node, ...]) -> frozenset[int]:
    """Indices of the state variables read or written under `roots`."""
    return vars_read(roots) | vars_written(roots)


def locals_used(roots: Node | tuple[Node, ...]) -> frozenset[int]:
    """Uids of the locals read under `roots` (bound there or not)."""
    return frozenset(n.uid for n in walk(roots) if isinstance(n, ir.Local))


def free_locals(roots: Node | tuple[Node, ...]) -> frozenset[int]:
    """Uids of the locals read under `roots` but bound outside them (parameters, outer binders).
    Uids are unique per binding in the IR, so a local is free exactly when no node under `roots`
    binds its uid."""
    bound = {b for n in walk(roots) if (b := binder(n)) is not None}
    return locals_used(roots) - bound


def has_node(roots: Node | tuple[Node, ...], kind: type | tuple[type, ...]) -> bool:
    """Does any node under `roots` have this type (e.g. `ir.Choose`, `(ir.Require, ir.Assert)`)?"""
    return any(isinstance(n, kind) for n in walk(roots))


def size(roots: Node | tuple[Node, ...]) -> int:
    """The number of IR nodes under `roots` (a measure of a block's or a formula's cost)."""
    return sum(1 for _ in walk(roots))


def depth(roots: Node | tuple[Node, ...]) -> int:
    """The deepest nesting under `roots`: 1 for a leaf, 0 for no roots. Iterative, so it measures a
    model nested deeper than Python's recursion limit (which is what it is for)."""
    best = 0
    stack: list[tuple[Node, int]] = [(r, 1) for r in roots] if isinstance(roots, tuple) else [(roots, 1)]
    while stack:
        node, d = stack.pop()
        best = max(best, d)
        stack.extend((c, d + 1) for c in children(node))
    return best


def temporal_exprs(t: ir.Temporal) -> tuple[ir.Expr, ...]:
    """The expressions of a temporal property, in order: its `where` (if any), `p`, and `q` (leads-to)."""
    return tuple(e for e in (t.where, t.p, t.q) if e is not None)
