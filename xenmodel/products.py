"""Products of domains that an engine enumerates together, checked on the IR before any engine runs.

The type checker limits each domain on its own (XM232: a sort, an action's parameters, one binder
list). Nesting multiplies them: chooses in the init block (and in an action, times its parameters) give
up to the product of their domains as outcomes, and quantifiers or map comprehensions nested in one
another evaluate their body once per combination. Both products are counted here, never enumerated,
and capped, so a model that would make an engine enumerate more than the `domain` limit is refused with
a diagnostic naming the product and the limit (docs/language.md, "Limits").
"""
from __future__ import annotations

from . import ir
from .diagnostics import Diagnostic
from .ir_walk import children, walk
from .limits import Limits
from .types import cardinality


def _outcomes(block: tuple[ir.Stmt, ...], cap: int) -> int:
    """An upper bound (capped at cap + 1) on the paths through a block: chooses multiply, a foreach
    multiplies its body's paths once per value, an if takes its larger branch."""
    n = 1
    for s in block:
        match s:
            case ir.Choose():
                n *= cardinality(s.domain) * _outcomes(s.body, cap)
            case ir.Foreach():
                body = _outcomes(s.body, cap)
                n *= 1 if body == 1 else min(body ** min(cardinality(s.domain), 64), cap + 1)
            case ir.If():
                n *= max(_outcomes(s.then, cap), _outcomes(s.other, cap))
            case _:
                pass
        n = min(n, cap + 1)
    return n


def _binder_size(node: ir.Expr | ir.Stmt | ir.LValue) -> int:
    match node:
        case ir.Quant():
            return cardinality(node.domain)
        case ir.MapComp():
            return cardinality(node.key)
        case _:
            return 1


def _nested_products(root: ir.Expr, cap: int) -> list[tuple[ir.Expr, int]]:
    """The outermost binder nodes under `root` whose nested binders range over more than cap values
    together, with that product (capped at cap + 1)."""
    order = list(walk(root))  # pre-order: children after their parent
    inner: dict[int, int] = {}  # id(node) -> the largest product of binders strictly inside it
    for node in reversed(order):
        below = max((min(inner[id(c)] * _binder_size(c), cap + 1) for c in children(node)), default=1)
        inner[id(node)] = below
    out: list[tuple[ir.Expr, int]] = []
    stack: list[ir.Expr | ir.Stmt | ir.LValue] = [root]
    while stack:
        node = stack.pop()
        total = min(inner[id(node)] * _binder_size(node), cap + 1)
        if total > cap and _binder_size(node) > 1:
            out.append((node, total))  # type: ignore[arg-type]  # binders are expressions
            continue  # report the outermost one only
        stack.extend(children(node))
    return out


def _count(n: int, cap: int) -> str:
    return f"more than {cap:,}" if n > cap else f"up to {n:,}"


_STATEMENTS = (ir.Require, ir.Assert, ir.Assign, ir.Let, ir.If, ir.Foreach, ir.Choose)
_TARGETS = (ir.LVar, ir.LIndex, ir.LField)


def check_products(model: ir.Model, limits: Limits) -> list[Diagnostic]:
    """Diagnostics (XM233, XM234) for products of domains beyond `limits.domain`."""
    cap = limits.domain
    help_text = "use smaller domains or fewer nested binders, or raise the limit with --limit domain=N"
    diags: list[Diagnostic] = []
    n = _outcomes(model.init, cap)
    if n > cap:
        first = next((s for s in walk(model.init) if isinstance(s, ir.Choose)), None)
        diags.append(Diagnostic("XM233", f"the init block has {_count(n, cap)} initial states (its chooses "
                                         f"multiply); the limit is {cap:,}", first.span if first else None,
                                help=help_text))
    for a in model.actions:
        n = 1
        for p in a.params:
            n = min(n * cardinality(p.type), cap + 1)
        n = min(n * _outcomes(a.body, cap), cap + 1)
        if n > cap:
            diags.append(Diagnostic("XM233", f"action `{a.name}` has {_count(n, cap)} transitions from one "
                                             f"state (its parameters and chooses multiply); the limit is {cap:,}",
                                    a.span, help=help_text))
    roots: list[ir.Expr] = [p.expr for p in model.properties]
    for block in (model.init, *(a.body for a in model.actions)):
        # the expressions statements evaluate (conditions, values, where clauses)
        roots += [c for s in walk(block) if isinstance(s, _STATEMENTS)
                  for c in children(s) if not isinstance(c, _STATEMENTS + _TARGETS)]
    seen: set[int] = set()
    for root in roots:
        for node, total in _nested_products(root, cap):
            if id(node) in seen:
                continue
            seen.add(id(node))
            diags.append(Diagnostic("XM234", f"binders nested here range over {_count(total, cap)} values together; "
                                             f"the limit is {cap:,}", node.span, help=help_text))
    return diags
