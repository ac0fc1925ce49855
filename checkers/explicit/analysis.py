"""Analyses of the IR that the code generator asks for (sizes, hoisting, where loops are needed)."""
from __future__ import annotations

from xenmodel import ir
from xenmodel.types import BoolT, EnumT, IntT, SeqT, SortT, cardinality

from .runtime import Unsupported


# ----------------------------------------------------------------- analysis helpers
def needs_loop(stmts) -> bool:
    """Could a `require` of this block (outside any choose loop) need a loop to `continue`?"""
    for s in stmts:
        t = type(s)
        if t is ir.Require:
            return True
        if t is ir.If and (needs_loop(s.then) or needs_loop(s.other)):
            return True
        if t is ir.Foreach and needs_loop(s.body):
            return True
        if t is ir.Choose:
            return False
    return False


def stmt_size(stmts) -> int:
    """IR nodes in a block (statements and expressions): the cost of one unrolled copy."""
    n = 0
    for s in stmts:
        n += 1
        t = type(s)
        if t in (ir.Require, ir.Assert):
            n += expr_size(s.cond)
        elif t in (ir.Assign, ir.Let):
            n += expr_size(s.value)
        elif t is ir.If:
            n += expr_size(s.cond) + stmt_size(s.then) + stmt_size(s.other)
        elif t in (ir.Foreach, ir.Choose):
            k = cardinality(s.domain) if t is ir.Foreach else 1
            n += k * (stmt_size(s.body) + (expr_size(s.where) if s.where is not None else 0))
    return n


def expr_size(e) -> int:
    return 1 + sum(expr_size(c) for c in expr_children(e))


def stmts_have_choose(stmts) -> bool:
    for s in stmts:
        t = type(s)
        if t is ir.Choose:
            return True
        if t is ir.If and (stmts_have_choose(s.then) or stmts_have_choose(s.other)):
            return True
        if t is ir.Foreach and stmts_have_choose(s.body):
            return True
    return False


def assigned_vars(stmts) -> set:
    out: set = set()
    for s in stmts:
        t = type(s)
        if t is ir.Assign:
            node = s.target
            while type(node) is not ir.LVar:
                node = node.base
            out.add(node.index)
        elif t is ir.If:
            out |= assigned_vars(s.then) | assigned_vars(s.other)
        elif t in (ir.Foreach, ir.Choose):
            out |= assigned_vars(s.body)
    return out


def expr_children(e) -> list:
    t = type(e)
    if t in (ir.Lit, ir.Var, ir.Local):
        return []
    if t is ir.Index:
        return [e.base, e.index]
    if t is ir.Field:
        return [e.base]
    if t in (ir.Unary, ir.Some, ir.Narrow):
        return [e.operand]
    if t is ir.Binary:
        return [e.left, e.right]
    if t is ir.Ite:
        return [e.cond, e.then, e.other]
    if t is ir.Quant:
        return ([e.where] if e.where is not None else []) + [e.body]
    if t in (ir.SetLit, ir.SeqLit):
        return list(e.items)
    if t is ir.MapComp:
        return [e.body]
    if t is ir.RecordLit:
        return list(e.values)
    if t is ir.Builtin:
        return list(e.args)
    if t is ir.SortVal:
        return [e.index]
    if t is ir.LetIn:
        return [e.value, e.body]
    raise Unsupported(f"unknown expression node {type(e).__name__}")


def expr_vars(e, out: set | None = None) -> set:
    """Indices of the state variables an expression reads."""
    out = set() if out is None else out
    if type(e) is ir.Var:
        out.add(e.index)
    for c in expr_children(e):
        expr_vars(c, out)
    return out


def expr_locals(e, out: set | None = None) -> set:
    out = set() if out is None else out
    if type(e) is ir.Local:
        out.add(e.uid)
    for c in expr_children(e):
        expr_locals(c, out)
    return out


def may_raise(e) -> bool:
    """Could evaluating e raise a model error (or any exception)? Conservative."""
    t = type(e)
    if t is ir.Index:
        if isinstance(e.base.type, SeqT):
            return True
        kt = e.base.type.key
        if not isinstance(kt, (SortT, EnumT, BoolT)) and type(e.index) not in (ir.Lit, ir.Local):
            return True
    elif t is ir.Binary and e.op in ("/", "%"):
        if not (type(e.right) is ir.Lit and e.right.value != 0):
            return True
    elif t is ir.Builtin and e.name in ("head", "tail", "last", "remove_at", "insert", "get"):
        return True
    elif t is ir.SortVal:
        return True
    elif t is ir.Narrow:
        if not (isinstance(e.type, IntT) and not e.type.bounded):
            return True
    return any(may_raise(c) for c in expr_children(e))


MAX_CONJUNCTS = 16  # each hoisted conjunct is one more indented `if` in the generated code


def conjuncts(e) -> list:
    """The conjuncts of a long chain stay together: Python refuses deeply indented source."""
    parts = _conjuncts(e)
    return parts if len(parts) <= MAX_CONJUNCTS else [e]


def _conjuncts(e) -> list:
    if type(e) is ir.Binary and e.op == "&&":
        return _conjuncts(e.left) + _conjuncts(e.right)
    return [e]

