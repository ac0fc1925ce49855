"""Compile a bound model's actions and properties, once, into specialised Python source.

The explicit-state engine never walks the IR per state. `Compiler` turns the whole transition relation
into the source of ONE Python function (exec'd once per run) with:
  - constants folded, quantifiers, map comprehensions and `foreach` over finite domains unrolled
    (loop variables become literals), defs already inlined by the front end;
  - state variables held in Python locals in SSA form (`_v2_5`), so a successor is a tuple built from
    the locals that changed and the parent's components that did not;
  - `require` compiled to `continue` of the innermost loop (parameter or `choose` loop), guards that
    cannot raise hoisted to the outermost parameter loop they depend on;
  - `choose` compiled to a `for` loop with the rest of the path inlined in its body (continuation
    passing), so every path is straight-line code.

Two sinks share the same code generator:
  - "list": `succ(state) -> list` of (action index, args, picks, next state) in exactly the order of
    xenmodel.semantics.successors, ending with ("error", action index, args, picks, ModelError) at the
    first model error (the reference would go on after some errors; the engine stops at the first one,
    so only the prefix up to and including the first error matters and is what is compared);
  - "bfs": `expand(lo, hi)` expands states[lo:hi] of the breadth-first search in place (membership test,
    parent link, invariant check of new states, per-action coverage), returning at the first violation.

Model errors are attributed exactly as the reference does: an error raised on a path belongs to the
innermost `choose` whose block (its body and the statements after it in the same block) contains the
raising statement, or to the action instance itself; the picks reported are those made up to that
`choose`. Every emitted line is tagged with its attribution; the one exception handler reads the line
number from the traceback.

Value representation is that of xenmodel.types; partial operations raise the same ModelError (code,
message, span) as xenmodel.semantics.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, assert_never

from xenmodel import ir
from xenmodel.types import MapT, RecordT, cardinality, values

from .analysis import assigned_vars, conjuncts, expr_locals, may_raise, needs_loop, stmt_size, stmts_have_choose
from .codegen_expr import Ctx, ExprCompiler, _simple

UNROLL_BUDGET = 4000  # ... as long as (tuples x size of the body) stays under this many IR nodes
PARAM_UNROLL = 256  # actions with at most this many argument tuples get one straight-line copy per tuple


Stmts = Sequence[ir.Stmt]  # noqa: UP040 - py311
Hoisted = list[list[ir.Require | ir.Let]]  # per parameter level, the guards hoisted to it
Cont = Callable[[Ctx], None]  # what follows a block on its path (continuation passing)


class Compiler(ExprCompiler):
    # ------------------------------------------------------------- statements (continuation passing)
    def block(self, stmts: Stmts, i: int, ctx: Ctx, k: Cont) -> None:
        """Statements stmts[i:] then the continuation k. A statement that ends the path, or takes over
        the rest of the block (a choose, or a branch or foreach containing one), returns. One frame
        per statement kind (no helper per kind): the generator recurses as deep as the model nests."""
        while i < len(stmts):
            s = stmts[i]
            self.set_site(ctx)
            match s:
                case ir.Assign():
                    self.assign(s, ctx)
                case ir.Let():
                    v, c = self.ex(s.value, ctx)
                    if c or _simple(v):
                        ctx.env[s.uid] = (v, c)
                    else:
                        name = self.fresh("_l")
                        self.emit(f"{name} = {v}")
                        ctx.env[s.uid] = (name, False)
                case ir.Require():
                    cond, c = self.ex(s.cond, ctx)
                    if not c:
                        self.emit(f"if not {cond}: continue")
                    elif not eval(cond, self.ns):
                        self.emit("continue")
                        return
                case ir.Assert():
                    cond, c = self.ex(s.cond, ctx)
                    call = f"_e_assert({s.message!r}, {self.obj(s.span)})"
                    if not c:
                        self.emit(f"if not {cond}: {call}")
                    elif not eval(cond, self.ns):
                        self.emit(call)
                        return
                case ir.If():
                    cond, c = self.ex(s.cond, ctx)
                    if c:  # a constant condition: inline the branch taken
                        branch = s.then if eval(cond, self.ns) else s.other
                        if stmts_have_choose(branch):
                            self.branch_cps(branch, stmts, i, ctx, k)
                            return
                        self.block_straight(branch, ctx)
                    elif stmts_have_choose(s.then) or stmts_have_choose(s.other):
                        self.if_cps(cond, s, stmts, i, ctx, k)
                        return
                    else:
                        self.if_straight(cond, s, ctx)
                case ir.Foreach():
                    vals = values(s.domain)
                    if stmts_have_choose(s.body):
                        self.foreach_cps(s, vals, 0, stmts, i, ctx, k)
                        return
                    self.foreach_straight(s, vals, ctx)
                case ir.Choose():
                    self.choose(s, stmts, i, ctx, k)
                    return
                case _:
                    assert_never(s)
            i += 1
        k(ctx)

    def foreach_straight(self, s: ir.Foreach, vals: Sequence[Any], ctx: Ctx) -> None:
        """A choose-free foreach, unrolled in line."""
        for v in vals:
            ctx.env[s.uid] = (self.lit(v), True)
            self.set_site(ctx)
            if s.where is None:
                self.block_straight(s.body, ctx)
                continue
            w, wc = self.ex(s.where, ctx)
            if not wc:
                self.if_straight(w, ir.If(s.where, s.body, ()), ctx)
            elif eval(w, self.ns):
                self.block_straight(s.body, ctx)

    def if_cps(self, cond: str, s: ir.If, stmts: Stmts, i: int, ctx: Ctx, k: Cont) -> None:
        """if/else with a choose in a branch: the rest of the block is emitted in both branches."""
        self.emit(f"if {cond}:")
        self.indent += 1
        self.branch_cps(s.then, stmts, i, ctx.copy(), k)
        self.indent -= 1
        self.set_site(ctx)
        self.emit("else:")
        self.indent += 1
        self.branch_cps(s.other, stmts, i, ctx.copy(), k)
        self.indent -= 1

    def block_straight(self, stmts: Stmts, ctx: Ctx) -> None:
        """A choose-free block, emitted in line; ctx is updated in place."""
        out: list[Ctx] = []
        self.block(stmts, 0, ctx, out.append)
        if out:
            end = out[0]
            ctx.vars[:] = end.vars
            ctx.changed |= end.changed
        # (lets of the block are out of scope afterwards; uids are unique, so leaving them is harmless)

    def if_straight(self, cond: str, s: ir.If, ctx: Ctx) -> None:
        """if/else without choose in either branch: both branches in line, SSA phi at their ends."""
        phis = [(ix, self.fresh(f"_v{ix}_")) for ix in sorted(assigned_vars(s.then) | assigned_vars(s.other))]
        for branch, head in ((s.then, f"if {cond}:"), (s.other, "else:")):
            bctx = ctx.copy()
            self.set_site(ctx)
            self.emit(head)
            self.indent += 1
            self.block_straight(branch, bctx)
            for ix, n in phis:
                self.emit(f"{n} = {bctx.vars[ix]}")
            if self.lines[-1].strip() == head:
                self.emit("pass")
            self.indent -= 1
        self.set_site(ctx)
        for ix, n in phis:
            ctx.vars[ix] = n
            ctx.changed.add(ix)

    def branch_cps(self, branch: Stmts, stmts: Stmts, i: int, ctx: Ctx, k: Cont) -> None:
        # the statements after the branch run on each of its paths, with that path's picks
        self.block(branch, 0, ctx, lambda c2: self.block(stmts, i + 1, c2.copy(), k))

    def foreach_cps(self, s: ir.Foreach, vals: Sequence[Any], j: int, stmts: Stmts, i: int, ctx: Ctx,
                    k: Cont) -> None:
        if j == len(vals):
            self.block(stmts, i + 1, ctx, k)
            return
        ctx = ctx.copy()
        ctx.env[s.uid] = (self.lit(vals[j]), True)

        def nxt(c2: Ctx) -> None:
            c3 = c2.copy()
            self.set_site(c3)
            self.foreach_cps(s, vals, j + 1, stmts, i, c3, k)

        if s.where is None:
            self.block(s.body, 0, ctx, nxt)
            return
        self.set_site(ctx)
        w, wc = self.ex(s.where, ctx)
        if wc:
            if eval(w, self.ns):
                self.block(s.body, 0, ctx, nxt)
            else:
                nxt(ctx)
            return
        self.emit(f"if {w}:")
        self.indent += 1
        self.block(s.body, 0, ctx.copy(), nxt)
        self.indent -= 1
        self.set_site(ctx)
        self.emit("else:")
        self.indent += 1
        nxt(ctx.copy())
        self.indent -= 1

    def choose(self, s: ir.Choose, stmts: Stmts, i: int, ctx: Ctx, k: Cont) -> None:
        var = self.fresh("_c")
        vals = values(s.domain)
        self.emit(f"for {var} in {self.lit(tuple(vals))}:")
        self.indent += 1
        c2 = ctx.copy()
        c2.env[s.uid] = (var, False)
        if s.where is not None:
            self.set_site(ctx)  # the where is evaluated outside the choose's own scope
            w, wc = self.ex(s.where, c2)
            if wc:
                if not eval(w, self.ns):
                    self.emit("continue")
                    self.indent -= 1
                    return
            else:
                self.emit(f"if not {w}: continue")
        c2.picks.append((s.name, var))
        self.set_site(c2)
        self.block(s.body, 0, c2, lambda c3: self.block(stmts, i + 1, c3, k))
        self.indent -= 1

    def assign(self, s: ir.Assign, ctx: Ctx) -> None:
        val, vc = self.ex(s.value, ctx)
        target = s.target
        if isinstance(target, ir.LVar):
            ix = target.index
            if vc or _simple(val):
                ctx.vars[ix] = val
            else:
                name = self.fresh(f"_v{ix}_")
                self.emit(f"{name} = {val}")
                ctx.vars[ix] = name
            ctx.changed.add(ix)
            return
        node, path = ir.lvalue_path(target)
        ix = node.index
        if not (vc or _simple(val)):
            vname = self.fresh("_n")
            self.emit(f"{vname} = {val}")
            val = vname
        # read down the path (keys evaluated root first, as semantics._store does)
        conts = [ctx.vars[ix]]
        keys: list[tuple[str, bool, int | None]] = []  # (code, constant, static length)
        for step in path:
            cur = conts[-1]
            if isinstance(step, ir.LIndex):
                bt = step.base.type
                kcode, kc = self.ex(step.index, ctx)
                if isinstance(bt, MapT):
                    kk, kkc = self.key_code(bt.key, kcode, kc)
                    n = cardinality(bt.key)
                else:
                    kk, kkc = f"_seq_store_index({cur}, {kcode}, {self.obj(step.span)})", False
                    n = None
                if not (kkc or _simple(kk)):
                    kname = self.fresh("_k")
                    self.emit(f"{kname} = {kk}")
                    kk = kname
                keys.append((kk, kkc, n))
            else:
                assert isinstance(step.base.type, RecordT)
                n = len(step.base.type.fields)
                keys.append((str(step.field_index), True, n))
            nxt = f"{cur}[{keys[-1][0]}]"
            if len(path) > 1 and step is not path[-1]:
                cname = self.fresh("_r")
                self.emit(f"{cname} = {nxt}")
                nxt = cname
            conts.append(nxt)
        new = val
        for cur, (kk, kkc, n) in zip(reversed(conts[:-1]), reversed(keys), strict=True):
            if kkc and n is not None and n <= 16:
                kv = eval(kk, self.ns)
                items = [new if j == kv else f"{cur}[{j}]" for j in range(n)]
                new = "(" + "".join(x + ", " for x in items) + ")"
            else:
                new = f"({cur}[:{kk}] + ({new},) + {cur}[{kk} + 1:])"
        name = self.fresh(f"_v{ix}_")
        self.emit(f"{name} = {new}")
        ctx.vars[ix] = name
        ctx.changed.add(ix)

    # ------------------------------------------------------------- actions
    def action(self, aid: int, action: ir.Action, nvars: int, sink: Callable[[Ctx], None]) -> None:
        params = action.params
        pvars = [self.fresh("_p") for _ in params]
        ctx = Ctx([f"_s{j}" for j in range(nvars)], {}, [], aid,
                  "(" + "".join(p + ", " for p in pvars) + ")")
        for p, pv in zip(params, pvars, strict=True):
            ctx.env[p.uid] = (pv, False)
        # hoisting: the leading requires/lets that cannot raise go to the outermost loop they depend on
        body = list(action.body)
        hoisted: list[list[ir.Require | ir.Let]] = [[] for _ in range(len(params) + 1)]
        level_of = {p.uid: j + 1 for j, p in enumerate(params)}
        rest_start = 0
        for st in body:
            if isinstance(st, ir.Require) and not may_raise(st.cond):
                for cj in conjuncts(st.cond):
                    lvl = max([level_of.get(u, 0) for u in expr_locals(cj)], default=0)
                    hoisted[lvl].append(ir.Require(cj, span=st.span))
            elif isinstance(st, ir.Let) and not may_raise(st.value):
                lvl = max([level_of.get(u, 0) for u in expr_locals(st.value)], default=0)
                level_of[st.uid] = lvl
                hoisted[lvl].append(st)
            else:
                break
            rest_start += 1
        rest = tuple(body[rest_start:])
        base_indent = self.indent
        self.cur_site = None
        self.set_site(ctx.copy())
        total = 1
        for p in params:
            total *= cardinality(p.type)
        if total <= PARAM_UNROLL and total * stmt_size(rest) <= UNROLL_BUDGET:
            self.unrolled(0, params, hoisted, rest, ctx, sink)
            self.indent = base_indent
            return
        # level 0: before any parameter loop
        for st in hoisted[0]:
            self.simple_stmt_outside_loop(st, ctx)
        if not params:
            self.emit("for _ in _ONE:")
            self.indent += 1
        for j, (p, pv) in enumerate(zip(params, pvars, strict=True)):
            self.emit(f"for {pv} in {self.lit(tuple(values(p.type)))}:")
            self.indent += 1
            self.set_site(ctx)
            for st in hoisted[j + 1]:
                self.block([st], 0, ctx, lambda c: None)
        self.set_site(ctx)
        self.block(rest, 0, ctx, sink)
        self.indent = base_indent

    def unrolled(self, j: int, params: Sequence[ir.Param], hoisted: Hoisted, rest: Stmts, ctx: Ctx, sink: Cont) -> None:
        """Parameters unrolled: each instance is straight-line code with its arguments as literals;
        hoisted guards become nested `if`s shared by the instances below them."""
        opened: list[int] = []
        self.set_site(ctx)
        for st in hoisted[j]:
            if isinstance(st, ir.Let):
                self.block([st], 0, ctx, lambda c: None)
                continue
            cond, c = self.ex(st.cond, ctx)
            if c:
                if eval(cond, self.ns):
                    continue
                self._close(opened)
                return
            self.emit(f"if {cond}:")
            self.indent += 1
            opened.append(len(self.lines))
        if j == len(params):
            ctx.args = "(" + "".join(ctx.env[p.uid][0] + ", " for p in params) + ")"
            self.set_site(ctx)
            loop = needs_loop(rest)
            if loop:
                self.emit("for _ in _ONE:")
                self.indent += 1
            mark = len(self.lines)
            self.block(rest, 0, ctx, sink)
            if len(self.lines) == mark:
                self.emit("pass")
            if loop:
                self.indent -= 1
        else:
            for v in values(params[j].type):
                c2 = ctx.copy()
                c2.env[params[j].uid] = (self.lit(v), True)
                self.unrolled(j + 1, params, hoisted, rest, c2, sink)
        self._close(opened)

    def _close(self, opened: list[int]) -> None:
        for mark in reversed(opened):
            if len(self.lines) == mark:
                self.emit("pass")
            self.indent -= 1

    def simple_stmt_outside_loop(self, st: ir.Require | ir.Let, ctx: Ctx) -> None:
        """A hoisted statement that depends on no parameter: a require becomes an enclosing `if`."""
        if isinstance(st, ir.Let):
            self.block([st], 0, ctx, lambda c: None)
            return
        cond, c = self.ex(st.cond, ctx)
        if c:
            cond = "True" if eval(cond, self.ns) else "False"
        self.emit(f"if {cond}:")
        self.indent += 1

    def state_tuple(self, ctx: Ctx) -> str:
        return "(" + "".join(v + ", " for v in ctx.vars) + ")"

    def picks_code(self, ctx: Ctx) -> str:
        return "(" + "".join(f"({n!r}, {v}), " for n, v in ctx.picks) + ")"

    # ------------------------------------------------------------- properties
    def properties_fn(self, name: str, props: list[tuple[int, ir.Property]]) -> None:
        """def name(s) -> None | (property index, ModelError | None): the first failing property."""
        nvars = len(self.model.vars)
        self.cur_site = None
        self.emit(f"def {name}(_st):")
        self.indent += 1
        if nvars:
            self.emit("(" + "".join(f"_s{j}, " for j in range(nvars)) + ") = _st")
        for pix, p in props:
            ctx = Ctx([f"_s{j}" for j in range(nvars)], {}, [], -1, "()")
            code, c = self.ex(p.expr, ctx)
            self.emit("try:")
            self.emit(f"    if not {code}: return ({pix}, None)")
            self.emit("except ModelError as _e:")
            self.emit(f"    return ({pix}, _e)")
        self.emit("return None")
        self.indent -= 1

