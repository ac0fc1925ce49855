"""Statements and whole transitions of the IR in Z3: the reference semantics' `exec`, symbolically.

Statements are executed symbolically in order (SSA: every write makes a new sym, `if` merges the two
branches' states with if-then-else). The path condition `g` collects requires, branch conditions and
`choose` constraints; a model error or failed assert is recorded and removes its case from `g`, so an
error ends its path exactly as in the reference semantics (errors that come earlier in evaluation order
win). Parameters are enumerated concretely when there are few combinations (so map indices fold to
constants), else they are fresh variables; each `choose` is a fresh variable constrained to its domain;
its value and whether the path reached it give the picks.

Known deviation (harmless for every verdict): when evaluating a `choose`'s `where` raises a model error
for one value, the reference stops enumerating the later values of that choose; here the other values
stay enabled. Such a state already has an error outcome, which every engine reports at that depth.
"""
from __future__ import annotations

import itertools
from typing import Any, assert_never

import z3

from xenmodel import ir
from xenmodel import model_errors as E
from xenmodel.types import MapT, Type, cardinality, values

from .encode import Env, ExprEncoder
from .runtime import Instance, Model, Pick, value_of
from .values import TRUE, Bool, RecV, SeqV, Sym, const_sym, default_sym, eq, int_cmp, ite, ival, mk_and, mk_not, mk_or


class Encoder(ExprEncoder):
    """Encodes the init block, the instances of every action out of a state, and the properties."""

    # ---------------------------------------------------------- states
    def state(self, tag: str) -> list[Sym]:
        """Fresh state variables (their domain constraints go to fresh.side)."""
        return [self.fresh.sym(v.type, f"{tag}.{v.name}") for v in self.model.vars]

    def state_eq(self, a: list[Sym], b: list[Sym]) -> Bool:
        return mk_and(*(eq(x, y) for x, y in zip(a, b, strict=True)))

    def state_value(self, m: Model, s: list[Sym]) -> tuple[Any, ...]:
        return tuple(value_of(m, x, v.type) for x, v in zip(s, self.model.vars, strict=True))

    # ---------------------------------------------------------- running code
    def _begin(self, state: list[Sym]) -> None:
        self.g = TRUE
        self.errs = []
        self.st = list(state)
        self.picks = []
        self.choices = []

    def init(self) -> Instance:
        """The init block as an instance from nothing: en/next give the initial states, errs its errors."""
        self._begin([])
        env: Env = {}
        for v in self.model.vars:
            if v.init is not None:
                x = self.narrow(self.ex(v.init, env), v.type, v.span)
            else:
                x = default_sym(v.type)
            self.st.append(x)
        self.block(self.model.init, env)
        fake = ir.Action("init", (), ())
        return Instance(fake, (), [], self.g, self.errs, self.st, self.picks, self.choices)

    def instances(self, state: list[Sym], tag: str, actions: tuple[ir.Action, ...] | None = None) -> list[Instance]:
        """The instances of every action (or of `actions` only) out of `state`."""
        out = []
        for a in self.model.actions if actions is None else actions:
            n = 1
            for p in a.params:
                n *= cardinality(p.type)
            if n <= self.enumerate_limit:
                for args in itertools.product(*(values(p.type) for p in a.params)):
                    out.append(self.instance(a, state, args, tag))
            else:
                out.append(self.instance(a, state, None, tag))
        return out

    def instance(self, a: ir.Action, state: list[Sym], args: tuple[Any, ...] | None, tag: str) -> Instance:
        self._begin(state)
        env: Env = {}
        arg_syms = []
        for i, p in enumerate(a.params):
            if args is not None:
                x = const_sym(p.type, args[i])
            else:
                x = self.fresh.sym(p.type, f"{tag}.{a.name}.{p.name}")
                self.choices.append((x, p.type))
            env[p.uid] = x
            arg_syms.append(x)
        self.block(a.body, env)
        return Instance(a, args, arg_syms, self.g, self.errs, self.st, self.picks, self.choices)

    def predicate(self, e: ir.Expr, state: list[Sym], env: Env) -> tuple[Bool, list[Any]]:
        """(value, errs) of a bool state predicate in `state`, its locals bound by `env` (temporal
        properties: the instance's parameter values)."""
        self._begin(state)
        return self.ex(e, env), self.errs

    def prop(self, p: ir.Property, state: list[Sym]) -> tuple[Bool, list[Any]]:
        """(bad, errs): bad holds when the property fails (false, or evaluating it raises)."""
        self._begin(state)
        v = self.ex(p.expr, {})
        errs = self.errs
        return mk_or(mk_not(v), *(e.cond for e in errs)), errs

    # ---------------------------------------------------------- statements
    def block(self, stmts: tuple[ir.Stmt, ...], env: Env) -> None:
        for s in stmts:
            if z3.is_false(self.g):
                return
            self.stmt(s, env)

    def stmt(self, s: ir.Stmt, env: Env) -> None:
        match s:
            case ir.Assign():
                self.store(s.target, self.ex(s.value, env), env)
            case ir.Let():
                env[s.uid] = self.ex(s.value, env)
            case ir.Require():
                c = self.ex(s.cond, env)  # first: evaluating it may raise, which narrows g
                self.g = mk_and(self.g, c)
            case ir.Assert():
                c = self.ex(s.cond, env)
                self.raise_if(mk_not(c), E.assert_failed(s.message, s.span))
            case ir.If():
                self.branch(self.ex(s.cond, env), s.then, s.other, env)
            case ir.Foreach():
                for v in values(s.domain):
                    env[s.uid] = const_sym(s.domain, v)
                    if s.where is not None:
                        self.branch(self.ex(s.where, env), s.body, (), env)
                    else:
                        self.block(s.body, env)
            case ir.Choose():
                x = self.fresh.sym(s.domain, f"choose.{s.name}")
                self.choices.append((x, s.domain))
                env[s.uid] = x
                if s.where is not None:
                    w = self.ex(s.where, env)  # first: evaluating it may raise, which narrows g
                    self.g = mk_and(self.g, w)
                self.picks.append(Pick(s.name, x, s.domain, self.g))
                self.block(s.body, env)
            case _:
                assert_never(s)

    def branch(self, c: Bool, then: tuple[ir.Stmt, ...], other: tuple[ir.Stmt, ...], env: Env) -> None:
        if z3.is_true(c):
            self.block(then, env)
            return
        if z3.is_false(c):
            self.block(other, env)
            return
        saved_g, saved_st = self.g, self.st
        g1 = mk_and(saved_g, c)
        self.g, self.st = g1, list(saved_st)
        self.block(then, dict(env))
        end1, st1 = self.g, self.st
        g2 = mk_and(saved_g, mk_not(c))
        self.g, self.st = g2, list(saved_st)
        self.block(other, dict(env))
        end2, st2 = self.g, self.st
        if end1 is g1 and end2 is g2:
            self.g = saved_g
        else:
            self.g = mk_or(end1, end2)
        self.st = [ite(c, a, b) for a, b in zip(st1, st2, strict=True)]

    def store(self, lv: ir.LValue, v: Sym, env: Env) -> None:
        """Assign v to the place lv: read the containers down the path, then rebuild them bottom-up."""
        node, path = ir.lvalue_path(lv)
        containers = [self.st[node.index]]
        keys: list[tuple[str, Type | None, Any]] = []
        for step in path:
            cur = containers[-1]
            match step:
                case ir.LIndex():
                    k = self.ex(step.index, env)
                    bt = step.base.type
                    if isinstance(bt, MapT):
                        keys.append(("map", bt.key, k))
                        containers.append(self.map_get(cur, bt.key, k))
                    else:
                        self.index_check(k, cur, step.span)
                        keys.append(("seq", None, k))
                        containers.append(self.seq_get(cur, k, step.type))
                case ir.LField():
                    keys.append(("field", None, step.field_index))
                    containers.append(cur.fields[step.field_index])
                case _:
                    raise AssertionError(f"z3: {step!r} inside an assignment target")
        new = v
        for cur, (kind, kt, k) in zip(reversed(containers[:-1]), reversed(keys), strict=True):
            if kind == "field":
                fields = list(cur.fields)
                fields[k] = new
                new = RecV(fields)
            elif kind == "map":
                assert kt is not None
                new = self.map_put(cur, kt, k, new)
            else:
                new = SeqV(cur.n, [ite(int_cmp("==", k, ival(j)), new, s) for j, s in enumerate(cur.slots)])
        self.st[node.index] = new
