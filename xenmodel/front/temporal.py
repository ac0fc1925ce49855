"""Temporal properties and fairness: a `temporal` declaration's formula split into its outer `forall`s,
its shape (`ir.TemporalKind`) and its state predicates; `fair ... action` and `fairness` declarations
resolved onto the actions. The temporal operators parse as expressions, so the shapes are checked here
(XM241, XM242) and an operator anywhere else is refused where expressions are typed (XM240)."""
from __future__ import annotations

import dataclasses
import difflib

from .. import ast as A
from .. import ir
from ..diagnostics import Note
from ..ir_walk import vars_read
from .base import ErrT, Scope
from .consts import Consts

_SHAPES = "`eventually P`, `always P`, `always eventually P`, `eventually always P` or `P ~> Q`"


def first_temporal(e: A.Expr) -> A.Temporal | None:
    """The first temporal operator under `e` (pre-order), found without recursion."""
    stack: list[object] = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, A.Temporal):
            return node
        if isinstance(node, (tuple, list)):
            stack.extend(reversed(node))
        elif isinstance(node, A.Node):
            stack.extend(reversed([getattr(node, f.name) for f in dataclasses.fields(node) if f.name != "span"]))
    return None


class Temporals(Consts):
    def temporal(self, d: A.PropDecl) -> ir.Temporal | None:
        """The IR of `temporal NAME: forall ... :: <shape>`, or None after reporting an error."""
        scope = Scope(self.globals)
        params: list[ir.Param] = []
        wheres: list[ir.Expr] = []
        e = d.expr
        while isinstance(e, A.Quant) and first_temporal(e.body) is not None:
            if e.kind != "forall":
                self.error("XM242", f"`{e.kind}` around a temporal operator: only `forall` may stand outside it",
                           e.span, help="move the quantifier inside, onto the state predicate, e.g. "
                           "`eventually (exists x: T :: P)`, or write one `temporal` per value")
                return None
            for b in e.binders:
                t = self.binder_type(b, scope)
                params.append(ir.Param(self.bind_local(b.name, t, scope, b.span), b.name, t, span=b.span))
            if e.where is not None:
                w = self.cond(e.where, scope)
                if vars_read(w):
                    self.error("XM242", "the `where` of a temporal's quantifier reads state", e.where.span,
                               help="it chooses the instances once for all behaviours: use constants and the "
                               "bound names only, and put conditions on the state into the predicates")
                wheres.append(w)
            e = e.body
        if len(params) > 1:
            self.small_domain([p.type for p in params], d.expr.span, "the temporal's quantifiers range over")
        shape = self._shape(e)
        if shape is None:
            inner = first_temporal(e)
            self.error("XM241", "a temporal formula of an unsupported shape" if inner is not None else
                       "a temporal property without a temporal operator", e.span,
                       help=f"write {_SHAPES} (below `forall`s), with P and Q state predicates"
                       + ("" if inner is not None else "; a property of every state is an `invariant`"))
            return None
        kind, operands = shape
        preds = []
        for x in operands:
            nested = first_temporal(x)
            if nested is not None:
                self.error("XM241", f"`{nested.op}` nested inside a temporal formula", nested.span,
                           help=f"the supported shapes are {_SHAPES}, with P and Q state predicates")
                return None
            preds.append(self.cond(x, scope))
        if any(isinstance(p.type, ErrT) for p in params):
            return None
        where = None
        for w in wheres:
            where = w if where is None else ir.Binary(ir.BinOp.AND, where, w, w.type, span=w.span)
        return ir.Temporal(d.name, tuple(params), where, kind, preds[0], preds[1] if len(preds) > 1 else None,
                           doc=d.meta.doc, refs=d.meta.refs, span=d.meta.name_span)

    @staticmethod
    def _shape(e: A.Expr) -> tuple[ir.TemporalKind, tuple[A.Expr, ...]] | None:
        if not isinstance(e, A.Temporal):
            return None
        if e.op == "~>":
            return ir.TemporalKind.LEADS_TO, e.operands
        inner = e.operands[0]
        if isinstance(inner, A.Temporal) and inner.op != "~>" and inner.op != e.op:
            kind = ir.TemporalKind.ALWAYS_EVENTUALLY if e.op == "always" else ir.TemporalKind.EVENTUALLY_ALWAYS
            return kind, inner.operands
        if isinstance(inner, A.Temporal):
            return None
        return ir.TemporalKind(e.op), e.operands

    def fairness(self, decls: list[A.Declaration], actions: list[ir.Action]) -> list[ir.Action]:
        """The actions with their fairness: from `fair weak|strong action` and `fairness` declarations;
        XM243 for a name that is not an action, XM244 for an action given fairness twice."""
        given: dict[str, tuple[str, A.Node]] = {}  # action -> (kind, where it was given)
        for d in decls:
            if isinstance(d, A.ActionDecl) and d.fairness is not None:
                given[d.name] = (d.fairness, d)
        for d in decls:
            if not isinstance(d, A.FairnessDecl):
                continue
            spans = d.action_spans or (d.span,) * len(d.actions)
            for name, span in zip(d.actions, spans, strict=True):
                target = self.others.get(name)
                if not isinstance(target, A.ActionDecl):
                    if target is None and name not in self.defs and name not in self.procs \
                            and name not in self.type_decls:
                        close = difflib.get_close_matches(name, [a.name for a in actions], 1)
                        self.error("XM106", f"unknown action `{name}`", span,
                                   help=f"did you mean `{close[0]}`?" if close else "name a declared action")
                    else:
                        self.error("XM243", f"fairness on `{name}`, which is not an action", span,
                                   help="fairness applies to actions: name an `action`")
                    continue
                if name in given:
                    prev = given[name][1]
                    where = prev.meta.name_span if isinstance(prev, A.ActionDecl) else prev.span
                    self.error("XM244", f"action `{name}` is given fairness twice", span,
                               (Note("first given here", where),),
                               help="keep one: strong fairness implies weak fairness")
                    continue
                given[name] = (d.kind, d)
        return [dataclasses.replace(a, fairness=ir.Fairness(given[a.name][0])) if a.name in given else a
                for a in actions]
