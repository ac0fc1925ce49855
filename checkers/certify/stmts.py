"""IR statements, the init block, an action and a property as SMT-LIB: the reference semantics'
`_exec_block`, written out as one formula per path condition.

Statements run in order in SSA form: every assignment names the new value of the variable it writes
(`define-fun`), `if` runs both branches from copies of the state and merges each variable with `ite`,
`foreach` is unrolled over its domain, `choose` declares a free constant constrained to its domain and
adds its `where` to the path condition; action parameters are free constants constrained to their
types. At the end, `g` is "this path completes" (every require and where passed, no error), and the
error flags say where a path ends in a model error or a failed assert.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from xenmodel import ir
from xenmodel.types import MapT, Type, values

from .exprs import Env, Exprs, where
from .shapes import MapV, RecV, SeqV, Val, choose, const, declare, initial, named
from .smtlib import FALSE, TRUE, NotCertifiable, Script, and_, cmp, not_, num, or_


@dataclass(frozen=True)
class Run:
    """A block run from a state: `en` (some path completes), the error flags, and the state at the end."""
    en: str
    errs: tuple[str, ...]
    post: tuple[Val, ...]

    def err_any(self) -> str:
        return or_(*self.errs)


class Stmts(Exprs):
    def __init__(self, s: Script, model: ir.Model) -> None:
        super().__init__(s)
        self.model = model

    # ---------------------------------------------------------- states, runs and properties
    def state(self, tag: str) -> tuple[Val, ...]:
        return tuple(declare(self.s, v.type, f"{tag}.{v.name}") for v in self.model.vars)

    def _begin(self, state: tuple[Val, ...]) -> None:
        self.g, self.errs, self.st = TRUE, [], list(state)

    def init(self) -> Run:
        self._begin(())
        for v in self.model.vars:
            x = self.narrow(self.ex(v.init, {}), v.type) if v.init is not None else initial(v.type)
            self.st.append(named(self.s, v.type, x))
        self.block(self.model.init, {})
        return Run(self.g, tuple(self.errs), tuple(self.st))

    def action(self, a: ir.Action, state: tuple[Val, ...]) -> Run:
        self._begin(state)
        env: Env = {p.uid: declare(self.s, p.type, f"arg.{a.name}.{p.name}") for p in a.params}
        self.block(a.body, env)
        return Run(self.g, tuple(self.errs), tuple(self.st))

    def bad(self, p: ir.Property, state: tuple[Val, ...]) -> str:
        """The property fails in `state`: it is false, or evaluating it raises a model error."""
        self._begin(state)
        v = self.ex(p.expr, {})
        assert isinstance(v, str)
        return self.s.name(or_(not_(v), *self.errs), "Bool")

    # ---------------------------------------------------------- statements
    def block(self, stmts: tuple[ir.Stmt, ...], env: Env) -> None:
        for st in stmts:
            if self.g == FALSE:
                return
            self.stmt(st, env)

    def stmt(self, st: ir.Stmt, env: Env) -> None:
        match st:
            case ir.Assign():
                self.store(st.target, self.ex(st.value, env), env)
            case ir.Let():
                env[st.uid] = named(self.s, st.value.type, self.ex(st.value, env))
            case ir.Require():
                c = self.ex(st.cond, env)  # first: its errors come before the guard
                assert isinstance(c, str)
                self.g = self.s.name(and_(self.g, c), "Bool")
            case ir.Assert():
                c = self.ex(st.cond, env)
                assert isinstance(c, str)
                self.error(not_(c))
            case ir.If():
                c = self.ex(st.cond, env)
                assert isinstance(c, str)
                self.branch(c, st.then, st.other, env)
            case ir.Foreach():
                for v in values(st.domain):
                    env[st.uid] = const(st.domain, v)
                    if st.where is None:
                        self.block(st.body, env)
                    else:
                        w = self.ex(st.where, env)
                        assert isinstance(w, str)
                        self.branch(w, st.body, (), env)
            case ir.Choose():
                self.s.count += 1
                env[st.uid] = declare(self.s, st.domain, f"pick.{st.name}.{self.s.prefix}{self.s.count}")
                if st.where is not None:
                    w = self.ex(st.where, env)
                    assert isinstance(w, str)
                    self.g = self.s.name(and_(self.g, w), "Bool")
                self.block(st.body, env)
            case _:
                assert_never(st)

    def branch(self, c: str, then: tuple[ir.Stmt, ...], other: tuple[ir.Stmt, ...], env: Env) -> None:
        if c in (TRUE, FALSE):
            self.block(then if c == TRUE else other, env)
            return
        saved_g, saved_st = self.g, self.st
        ends, states = [], []
        for cond, body in ((c, then), (not_(c), other)):
            self.g, self.st = self.s.name(and_(saved_g, cond), "Bool"), list(saved_st)
            start = self.g
            self.block(body, dict(env))
            ends.append(self.g if self.g != start else None)
            states.append(self.st)
        # neither branch narrowed its path: the path goes on as before the `if`
        self.g = saved_g if ends == [None, None] else self.s.name(
            or_(ends[0] or and_(saved_g, c), ends[1] or and_(saved_g, not_(c))), "Bool")
        self.st = [x if x is y else named(self.s, v.type, choose(c, x, y))
                   for x, y, v in zip(states[0], states[1], self.model.vars, strict=True)]

    def store(self, lv: ir.LValue, value: Val, env: Env) -> None:
        """lv := value: read the containers down the path, then rebuild them bottom-up."""
        var, path = ir.lvalue_path(lv)
        containers = [self.st[var.index]]
        steps: list[tuple[str, Type | None, Val | int]] = []  # (kind, map key type, key or field index)
        for step in path:
            cur = containers[-1]
            match step:
                case ir.LIndex():
                    k = self.ex(step.index, env)
                    bt = step.base.type
                    if isinstance(bt, MapT):
                        steps.append(("map", bt.key, k))
                        containers.append(self.map_get(cur, bt.key, bt.value, k))
                    else:
                        assert isinstance(cur, SeqV) and isinstance(k, str)
                        self.index_check(k, cur)
                        steps.append(("seq", None, k))
                        containers.append(self.seq_get(cur, k, step.type))
                case ir.LField():
                    assert isinstance(cur, RecV)
                    steps.append(("field", None, step.field_index))
                    containers.append(cur.fields[step.field_index])
                case _:
                    raise NotCertifiable(f"an assignment target {type(step).__name__}", where(lv))
        new: Val = value
        for box, (kind, kt, key) in zip(reversed(containers[:-1]), reversed(steps), strict=True):
            if kind == "field":
                assert isinstance(box, RecV) and isinstance(key, int)
                fields = list(box.fields)
                fields[key] = new
                new = RecV(tuple(fields))
            elif kind == "map":
                assert isinstance(box, MapV) and kt is not None and not isinstance(key, int)
                new = self.map_put(box, kt, key, new)
            else:
                assert isinstance(box, SeqV) and isinstance(key, str)
                new = SeqV(box.n, tuple(choose(cmp("==", key, num(j)), new, x) for j, x in enumerate(box.slots)))
        self.st[var.index] = named(self.s, var.type, new)
