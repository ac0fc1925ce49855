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

import functools
import itertools
from dataclasses import dataclass, field
from typing import Any, Callable

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.semantics import ModelError
from xenmodel.types import (BoolT, EnumT, IntT, MapT, OptionT, RecordT, SeqT, SetT, SortT, cardinality,
                            key_index, show, values)

UNROLL_BUDGET = 4000  # ... as long as (tuples x size of the body) stays under this many IR nodes
PARAM_UNROLL = 256  # actions with at most this many argument tuples get one straight-line copy per tuple
UNROLL_LIMIT = 64  # quantifiers / comprehensions over at most this many values are unrolled


class Unsupported(Exception):
    """A construct the compiler does not handle; the engine falls back to the reference semantics."""


class _Stop(Exception):
    """Ends a BFS expansion early, args = (status, info): one exit that reports the per-action counts
    (a `return` with the counts at every transition site made the source quadratic in the actions)."""


# ----------------------------------------------------------------- run-time helpers (raise like semantics.py)
def _e_seq_index(k, q, span):
    raise ModelError("XM505", f"index {k} outside a seq of length {len(q)}", span)


def _seq_index(q, k, span):
    if not 0 <= k < len(q):
        raise ModelError("XM505", f"index {k} outside a seq of length {len(q)}", span)
    return q[k]


def _seq_store_index(q, k, span):
    if not 0 <= k < len(q):
        raise ModelError("XM505", f"index {k} outside a seq of length {len(q)}", span)
    return k


def _e_empty(name, span):
    raise ModelError("XM502", f"{name}() of an empty seq", span)


def _e_get(span):
    raise ModelError("XM501", "get() of none", span)


def _div(a, b, span):
    if b == 0:
        raise ModelError("XM506", "division by zero", span)
    return a // b


def _mod(a, b, span):
    if b == 0:
        raise ModelError("XM506", "modulo by zero", span)
    return a % b


def _e_overflow(v, t, span):
    raise ModelError("XM503", f"value {show(t, v)} is outside {t}", span)  # as semantics.narrow says it


def _e_cap(v, t, span):
    raise ModelError("XM504", f"a seq of length {len(v)} does not fit capacity {t.cap}", span)


def _e_sortval(i, t, span):
    raise ModelError("XM508", f"{t.name}({i}) is outside the sort (0..{t.size - 1})", span)


def _e_assert(message, span):
    raise ModelError("XM507", message, span)


def _remove(q, x):
    if x in q:
        i = q.index(x)
        return q[:i] + q[i + 1:]
    return q


def _remove_at(q, i, span):
    if not 0 <= i < len(q):
        raise ModelError("XM505", f"remove_at index {i} outside a seq of length {len(q)}", span)
    return q[:i] + q[i + 1:]


def _insert(q, i, x, cap, span):
    if not 0 <= i <= len(q):
        raise ModelError("XM505", f"insert index {i} outside 0..{len(q)}", span)
    if len(q) + 1 > cap:
        raise ModelError("XM504", f"insert into a full seq (capacity {cap})", span)
    return q[:i] + (x,) + q[i:]


HELPERS = {name: obj for name, obj in globals().items() if name.startswith(("_e_", "_seq_", "_div", "_mod",
                                                                             "_remove", "_insert"))}


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


# ----------------------------------------------------------------- the code generator
@dataclass
class Ctx:
    vars: list            # per state variable: the Python expression holding its current value
    env: dict             # local uid -> (code, is_constant)
    picks: list           # [(name, python expr)] of the chooses on the path so far: an error's picks
    aid: int
    args: str             # python expression of the argument tuple
    changed: set = field(default_factory=set)  # state variables assigned on the path

    def copy(self) -> "Ctx":
        return Ctx(list(self.vars), dict(self.env), list(self.picks), self.aid, self.args,
                   set(self.changed))


class Compiler:
    def __init__(self, model: ir.Model):
        self.model = model
        self.ns: dict[str, Any] = dict(HELPERS)
        self.ns["ModelError"] = ModelError
        self.ns["_Stop"] = _Stop
        self._n = itertools.count()
        self._consts: dict[tuple, str] = {}
        self.lines: list[str] = []
        self.line_site: list[Any] = []   # per emitted line: site index or None
        self.sites: list[tuple] = []      # (aid, args code, picks code)
        self._site_ix: dict[tuple, int] = {}
        self.indent = 0
        self.cur_site: int | None = None

    # ------------------------------------------------------------- small utilities
    def fresh(self, prefix: str) -> str:
        return f"{prefix}{next(self._n)}"

    def const(self, value: Any, prefix: str = "_K") -> str:
        """A name bound in the namespace to value (for values without a cheap literal)."""
        if value is None or type(value) in (bool, int):
            return repr(value)
        key = (type(value).__name__, repr(value), id(value) if not isinstance(value, (tuple, frozenset, str))
               else 0)
        name = self._consts.get(key)
        if name is None:
            name = self.fresh(prefix)
            self.ns[name] = value
            self._consts[key] = name
        return name

    def obj(self, value: Any, prefix: str = "_O") -> str:
        name = self.fresh(prefix)
        self.ns[name] = value
        return name

    def lit(self, value: Any) -> str:
        if value is None or type(value) in (bool, int):
            return repr(value)
        if type(value) is tuple and all(x is None or type(x) in (bool, int) for x in value):
            return repr(value)
        return self.const(value)

    def emit(self, line: str) -> None:
        self.lines.append("    " * self.indent + line)
        self.line_site.append(self.cur_site)

    def set_site(self, ctx: Ctx) -> None:
        picks = ctx.picks
        pk = "(" + "".join(f"({n!r}, {v}), " for n, v in picks) + ")"
        key = (ctx.aid, ctx.args, pk)
        ix = self._site_ix.get(key)
        if ix is None:
            ix = len(self.sites)
            self.sites.append(key)
            self._site_ix[key] = ix
        self.cur_site = ix

    def fold(self, code: str, const: bool) -> tuple[str, bool]:
        """Evaluate a closed expression at compile time when that cannot fail."""
        if not const:
            return code, False
        try:
            v = eval(code, self.ns)  # noqa: S307 - our own generated code
        except Exception:
            return code, False
        return self.lit(v), True

    # ------------------------------------------------------------- expressions: (code, is_constant)
    def ex(self, e, ctx: Ctx) -> tuple[str, bool]:
        t = type(e)
        if t is ir.Lit:
            return self.lit(e.value), True
        if t is ir.Var:
            return ctx.vars[e.index], False
        if t is ir.Local:
            if e.uid not in ctx.env:
                raise Unsupported(f"unbound local {e.name}")
            return ctx.env[e.uid]
        if t is ir.Some:
            return self.ex(e.operand, ctx)
        if t is ir.Index:
            return self.ex_index(e, ctx)
        if t is ir.Field:
            b, c = self.ex(e.base, ctx)
            return self.fold(f"{b}[{e.field_index}]", c)
        if t is ir.Unary:
            a, c = self.ex(e.operand, ctx)
            return self.fold(f"(not {a})" if e.op == "!" else f"(-{a})", c)
        if t is ir.Binary:
            return self.ex_binary(e, ctx)
        if t is ir.Ite:
            cc, c1 = self.ex(e.cond, ctx)
            if c1:
                return self.ex(e.then if eval(cc, self.ns) else e.other, ctx)
            a, c2 = self.ex(e.then, ctx)
            b, c3 = self.ex(e.other, ctx)
            return f"({a} if {cc} else {b})", False
        if t is ir.Quant:
            return self.ex_quant(e, ctx)
        if t is ir.SetLit:
            items = [self.ex(i, ctx) for i in e.items]
            if not items:
                return self.const(frozenset()), True
            return self.fold("frozenset((" + "".join(c + ", " for c, _ in items) + "))",
                             all(k for _, k in items))
        if t is ir.SeqLit or t is ir.RecordLit:
            items = [self.ex(i, ctx) for i in (e.items if t is ir.SeqLit else e.values)]
            return self.fold("(" + "".join(c + ", " for c, _ in items) + ")", all(k for _, k in items))
        if t is ir.MapComp:
            vals = values(e.key)
            if len(vals) <= UNROLL_LIMIT:
                items = []
                for v in vals:
                    c2 = ctx.copy()
                    c2.env[e.uid] = (self.lit(v), True)
                    items.append(self.ex(e.body, c2))
                return self.fold("(" + "".join(c + ", " for c, _ in items) + ")", all(k for _, k in items))
            var = self.fresh("_q")
            c2 = ctx.copy()
            c2.env[e.uid] = (var, False)
            body, _ = self.ex(e.body, c2)
            return f"tuple({body} for {var} in {self.const(tuple(vals))})", False
        if t is ir.Builtin:
            return self.ex_builtin(e, ctx)
        if t is ir.SortVal:
            i, c = self.ex(e.index, ctx)
            tmp = self.fresh("_t")
            return self.fold(f"({tmp} if 0 <= ({tmp} := {i}) < {e.type.size} else "
                             f"_e_sortval({tmp}, {self.obj(e.type)}, {self.obj(e.span)}))", c)
        if t is ir.Narrow:
            return self.ex_narrow(e, ctx)
        if t is ir.LetIn:
            v, c = self.ex(e.value, ctx)
            c2 = ctx.copy()
            if c or _simple(v):
                c2.env[e.uid] = (v, c)
                return self.ex(e.body, c2)
            tmp = self.fresh("_l")
            c2.env[e.uid] = (tmp, False)
            b, _ = self.ex(e.body, c2)
            return f"(({tmp} := {v}), {b})[1]", False
        raise Unsupported(f"unknown expression node {t.__name__}")

    def key_code(self, kt, k: str, kc: bool) -> tuple[str, bool]:
        """Python expression of key_index(kt, k)."""
        if isinstance(kt, (SortT, EnumT, BoolT)):
            return k, kc
        if isinstance(kt, IntT):
            return self.fold(k if kt.lo == 0 else f"({k} - {kt.lo})", kc)
        if kc:
            return self.lit(key_index(kt, eval(k, self.ns))), True
        if isinstance(kt, OptionT):
            tmp = self.fresh("_t")
            inner, _ = self.key_code(kt.inner, tmp, False)
            return f"(0 if ({tmp} := {k}) is None else 1 + {inner})", False
        if isinstance(kt, RecordT):
            tmp = self.fresh("_t")
            code = None
            for i, (_, ft) in enumerate(kt.fields):
                fk, _ = self.key_code(ft, f"{tmp}[{i}]", False)
                code = fk if code is None else f"({code} * {cardinality(ft)} + {fk})"
            if code is None:
                return "0", True
            # bind the key once, then compute its index
            return f"(({tmp} := {k}), {code})[1]", False
        name = self.obj(lambda v, _t=kt: key_index(_t, v), "_ki")
        return self.fold(f"{name}({k})", kc)

    def ex_index(self, e, ctx) -> tuple[str, bool]:
        b, bc = self.ex(e.base, ctx)
        k, kc = self.ex(e.index, ctx)
        bt = e.base.type
        if isinstance(bt, MapT):
            kk, kkc = self.key_code(bt.key, k, kc)
            return self.fold(f"{b}[{kk}]", bc and kkc)
        return self.fold(f"_seq_index({b}, {k}, {self.obj(e.span)})", bc and kc)

    def ex_binary(self, e, ctx) -> tuple[str, bool]:
        op = e.op
        a, ac = self.ex(e.left, ctx)
        if op in ("&&", "||", "=>") and ac:
            av = eval(a, self.ns)
            if op == "&&":
                return self.ex(e.right, ctx) if av else ("False", True)
            if op == "||":
                return ("True", True) if av else self.ex(e.right, ctx)
            return self.ex(e.right, ctx) if av else ("True", True)
        b, bc = self.ex(e.right, ctx)
        c = ac and bc
        if op == "&&":
            return (f"({a} and {b})", False) if b != "True" else (a, False)
        if op == "||":
            return f"({a} or {b})", False
        if op == "=>":
            return f"((not {a}) or {b})", False
        if op in ("/", "%"):
            if bc and eval(b, self.ns) != 0:
                return self.fold(f"({a} {'//' if op == '/' else '%'} {b})", c)
            return self.fold(f"{'_div' if op == '/' else '_mod'}({a}, {b}, {self.obj(e.span)})", c)
        if (op in (">", "!=", "==") and bc and b == "0" and not ac and type(e.left) is ir.Builtin
                and e.left.name in ("len", "size")):
            # `len(X) == 0` tests X's truth; a constant `len(...)` was folded to a number above
            # (issue 14: slicing that number gave `(not )`), so only a call that is still there is rewritten
            assert a.startswith("len(") and a.endswith(")"), a
            inner = a[4:-1]
            return f"(not {inner})" if op == "==" else f"(not not {inner})", False
        if op in ("==", "!=") and (a == "None" or b == "None") and not c:
            other = b if a == "None" else a
            if other.lstrip("-").isdigit() or other in ("True", "False"):
                # an unrolled loop value compared with none: decided here (`0 is None` makes Python warn)
                return ("False" if op == "==" else "True"), False
            return self.fold(f"({other} {'is' if op == '==' else 'is not'} None)", c)
        pyop = {"+": "+", "-": "-", "*": "*", "==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">",
                ">=": ">=", "in": "in", "++": "+", "union": "|", "diff": "-", "inter": "&"}.get(op)
        if pyop is None:
            raise Unsupported(f"operator {op}")
        return self.fold(f"({a} {pyop} {b})", c)

    def ex_quant(self, e, ctx) -> tuple[str, bool]:
        vals = values(e.domain)
        kind = e.kind
        if len(vals) <= UNROLL_LIMIT:
            parts = []
            for v in vals:
                c2 = ctx.copy()
                c2.env[e.uid] = (self.lit(v), True)
                w, wc = self.ex(e.where, c2) if e.where is not None else ("True", True)
                if wc and not eval(w, self.ns):
                    continue
                b, bc = self.ex(e.body, c2)
                has_w = not wc
                if kind == "forall":
                    if bc and eval(b, self.ns) and not has_w:
                        continue
                    parts.append(f"((not {w}) or {b})" if has_w else b)
                elif kind == "exists":
                    parts.append(f"({w} and {b})" if has_w else b)
                elif kind == "count":
                    parts.append(f"(1 if ({w} and {b}) else 0)" if has_w else f"(1 if {b} else 0)")
                else:
                    parts.append(f"({b} if {w} else 0)" if has_w else b)
            if kind == "forall":
                return ("(" + " and ".join(parts) + ")", False) if parts else ("True", True)
            if kind == "exists":
                return ("(" + " or ".join(parts) + ")", False) if parts else ("False", True)
            return ("(" + " + ".join(parts) + ")", False) if parts else ("0", True)
        var = self.fresh("_q")
        c2 = ctx.copy()
        c2.env[e.uid] = (var, False)
        w = self.ex(e.where, c2)[0] if e.where is not None else None
        b, _ = self.ex(e.body, c2)
        dom = self.const(tuple(vals))
        cond = f" if {w}" if w else ""
        if kind == "forall":
            return f"all({b} for {var} in {dom}{cond})", False
        if kind == "exists":
            return f"any({b} for {var} in {dom}{cond})", False
        if kind == "count":
            return f"sum(1 for {var} in {dom} if {('(' + w + ') and ') if w else ''}{b})", False
        return f"sum({b} for {var} in {dom}{cond})", False

    def ex_builtin(self, e, ctx) -> tuple[str, bool]:
        name = e.name
        args = [self.ex(a, ctx) for a in e.args]
        codes = [a for a, _ in args]
        c = all(k for _, k in args)
        if name in ("len", "size"):
            return self.fold(f"len({codes[0]})", c)
        if name in ("head", "tail", "last"):
            tmp = self.fresh("_t")
            sel = {"head": "[0]", "tail": "[1:]", "last": "[-1]"}[name]
            return self.fold(f"({tmp}{sel} if ({tmp} := {codes[0]}) else _e_empty({name!r}, "
                             f"{self.obj(e.span)}))", c)
        if name == "count":
            return self.fold(f"{codes[0]}.count({codes[1]})", c)
        if name == "remove":
            return self.fold(f"_remove({codes[0]}, {codes[1]})", c)
        if name == "remove_at":
            return self.fold(f"_remove_at({codes[0]}, {codes[1]}, {self.obj(e.span)})", c)
        if name == "insert":
            return self.fold(f"_insert({codes[0]}, {codes[1]}, {codes[2]}, {e.type.cap}, {self.obj(e.span)})", c)
        if name == "get":
            tmp = self.fresh("_t")
            return self.fold(f"({tmp} if ({tmp} := {codes[0]}) is not None else _e_get({self.obj(e.span)}))", c)
        if name == "ord":
            return codes[0], c
        if name in ("min", "max"):
            return self.fold(f"{name}({', '.join(codes)})", c)
        raise Unsupported(f"builtin {name}")

    def ex_narrow(self, e, ctx) -> tuple[str, bool]:
        v, c = self.ex(e.operand, ctx)
        t = e.type
        if isinstance(t, IntT):
            if not t.bounded:
                return v, c
            tmp = self.fresh("_t")
            return self.fold(f"({tmp} if {t.lo} <= ({tmp} := {v}) <= {t.hi} else "
                             f"_e_overflow({tmp}, {self.obj(t)}, {self.obj(e.span)}))", c)
        if isinstance(t, SeqT) and not isinstance(t.elem, IntT):
            tmp = self.fresh("_t")
            return self.fold(f"({tmp} if len({tmp} := {v}) <= {t.cap} else "
                             f"_e_cap({tmp}, {self.obj(t)}, {self.obj(e.span)}))", c)
        if isinstance(t, (BoolT, SortT, EnumT, RecordT)) or (isinstance(t, SetT) and not isinstance(t.elem, IntT)) \
                or (isinstance(t, MapT) and not isinstance(t.value, (IntT, SeqT))):
            return v, c  # semantics.narrow checks nothing for these
        return self.fold(f"{self.obj(S.narrow, '_narrow')}({v}, {self.obj(t)}, {self.obj(e.span)})", c)

    # ------------------------------------------------------------- statements (continuation passing)
    def block(self, stmts, i: int, ctx: Ctx, k: Callable[[Ctx], None]) -> None:
        while i < len(stmts):
            s = stmts[i]
            t = type(s)
            self.set_site(ctx)
            if t is ir.Assign:
                self.assign(s, ctx)
            elif t is ir.Let:
                v, c = self.ex(s.value, ctx)
                if c or _simple(v):
                    ctx.env[s.uid] = (v, c)
                else:
                    name = self.fresh("_l")
                    self.emit(f"{name} = {v}")
                    ctx.env[s.uid] = (name, False)
            elif t is ir.Require:
                cond, c = self.ex(s.cond, ctx)
                if c:
                    if not eval(cond, self.ns):
                        self.emit("continue")
                        return
                else:
                    self.emit(f"if not {cond}: continue")
            elif t is ir.Assert:
                cond, c = self.ex(s.cond, ctx)
                call = f"_e_assert({s.message!r}, {self.obj(s.span)})"
                if c:
                    if not eval(cond, self.ns):
                        self.emit(call)
                        return
                else:
                    self.emit(f"if not {cond}: {call}")
            elif t is ir.If:
                cond, c = self.ex(s.cond, ctx)
                if c:  # a constant condition: inline the branch taken
                    branch = s.then if eval(cond, self.ns) else s.other
                    if stmts_have_choose(branch):
                        self.branch_cps(branch, stmts, i, ctx, k)
                        return
                    self.block_straight(branch, ctx)
                elif stmts_have_choose(s.then) or stmts_have_choose(s.other):
                    self.emit(f"if {cond}:")
                    self.indent += 1
                    self.branch_cps(s.then, stmts, i, ctx.copy(), k)
                    self.indent -= 1
                    self.set_site(ctx)
                    self.emit("else:")
                    self.indent += 1
                    self.branch_cps(s.other, stmts, i, ctx.copy(), k)
                    self.indent -= 1
                    return
                else:
                    self.if_straight(cond, s, ctx)
            elif t is ir.Foreach:
                vals = values(s.domain)
                if not stmts_have_choose(s.body):
                    for v in vals:
                        ctx.env[s.uid] = (self.lit(v), True)
                        self.set_site(ctx)
                        if s.where is None:
                            self.block_straight(s.body, ctx)
                        else:
                            w, wc = self.ex(s.where, ctx)
                            if wc:
                                if eval(w, self.ns):
                                    self.block_straight(s.body, ctx)
                            else:
                                self.if_straight(w, ir.If(s.where, s.body, ()), ctx)
                else:
                    self.foreach_cps(s, vals, 0, stmts, i, ctx, k)
                    return
            elif t is ir.Choose:
                self.choose(s, stmts, i, ctx, k)
                return
            else:
                raise Unsupported(f"unknown statement {t.__name__}")
            i += 1
        k(ctx)

    def block_straight(self, stmts, ctx: Ctx) -> None:
        """A choose-free block, emitted in line; ctx is updated in place."""
        out: list[Ctx] = []
        self.block(stmts, 0, ctx, out.append)
        if out:
            end = out[0]
            ctx.vars[:] = end.vars
            ctx.changed |= end.changed
        # (lets of the block are out of scope afterwards; uids are unique, so leaving them is harmless)

    def if_straight(self, cond: str, s, ctx: Ctx) -> None:
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

    def branch_cps(self, branch, stmts, i, ctx: Ctx, k) -> None:
        # the statements after the branch run on each of its paths, with that path's picks
        self.block(branch, 0, ctx, lambda c2: self.block(stmts, i + 1, c2.copy(), k))

    def foreach_cps(self, s, vals, j, stmts, i, ctx: Ctx, k) -> None:
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

    def choose(self, s, stmts, i, ctx: Ctx, k) -> None:
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

    def assign(self, s, ctx: Ctx) -> None:
        val, vc = self.ex(s.value, ctx)
        target = s.target
        if type(target) is ir.LVar:
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
            if type(step) is ir.LIndex:
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
                n = len(step.base.type.fields)
                keys.append((str(step.field_index), True, n))
            nxt = f"{cur}[{keys[-1][0]}]"
            if len(path) > 1 and step is not path[-1]:
                cname = self.fresh("_r")
                self.emit(f"{cname} = {nxt}")
                nxt = cname
            conts.append(nxt)
        new = val
        for cur, (kk, kkc, n) in zip(reversed(conts[:-1]), reversed(keys)):
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
        for p, pv in zip(params, pvars):
            ctx.env[p.uid] = (pv, False)
        # hoisting: the leading requires/lets that cannot raise go to the outermost loop they depend on
        body = list(action.body)
        hoisted: list[list] = [[] for _ in range(len(params) + 1)]
        level_of = {p.uid: j + 1 for j, p in enumerate(params)}
        rest_start = 0
        for st in body:
            if type(st) is ir.Require and not may_raise(st.cond):
                for cj in conjuncts(st.cond):
                    lvl = max([level_of.get(u, 0) for u in expr_locals(cj)], default=0)
                    hoisted[lvl].append(ir.Require(cj, span=st.span))
            elif type(st) is ir.Let and not may_raise(st.value):
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
        for j, (p, pv) in enumerate(zip(params, pvars)):
            self.emit(f"for {pv} in {self.lit(tuple(values(p.type)))}:")
            self.indent += 1
            self.set_site(ctx)
            for st in hoisted[j + 1]:
                self.block([st], 0, ctx, lambda c: None)
        self.set_site(ctx)
        self.block(rest, 0, ctx, sink)
        self.indent = base_indent

    def unrolled(self, j: int, params, hoisted, rest, ctx: Ctx, sink) -> None:
        """Parameters unrolled: each instance is straight-line code with its arguments as literals;
        hoisted guards become nested `if`s shared by the instances below them."""
        opened = []
        self.set_site(ctx)
        for st in hoisted[j]:
            if type(st) is ir.Let:
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

    def _close(self, opened: list) -> None:
        for mark in reversed(opened):
            if len(self.lines) == mark:
                self.emit("pass")
            self.indent -= 1

    def simple_stmt_outside_loop(self, st, ctx: Ctx) -> None:
        """A hoisted statement that depends on no parameter: a require becomes an enclosing `if`."""
        if type(st) is ir.Let:
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


def _simple(code: str) -> bool:
    return code.isidentifier() or (code.lstrip("-").isdigit()) or code in ("True", "False", "None")


# ----------------------------------------------------------------- state storage
class Store:
    """Component tables: a stored state is the tuple of the ids of its variables' values.

    Equal values of one variable are stored once (vals[var][id]), so states share them, a state costs
    one small tuple of ints, and hashing a successor hashes only the components a transition rebuilt.
    """

    def __init__(self, nvars: int, raw: bool = False):
        self.raw = raw  # raw: states are stored as value tuples (their rebuilt components interned)
        self.vals: list[list] = [[] for _ in range(nvars)]
        self.ids: list[dict] = [{} for _ in range(nvars)]

    def new(self, ix: int, v) -> int:
        d = self.ids[ix]
        i = d.get(v)
        if i is None:
            lst = self.vals[ix]
            i = len(lst)
            lst.append(v)
            d[v] = i
        return i

    def encode(self, state: tuple) -> tuple:
        if self.raw:
            return state
        new = self.new
        return tuple([new(ix, v) for ix, v in enumerate(state)])

    def decode(self, ids: tuple) -> tuple:
        if self.raw:
            return ids
        return tuple([self.vals[ix][i] for ix, i in enumerate(ids)])


# ----------------------------------------------------------------- the compiled model
# what CPython says of source nested deeper than it accepts (the generated code nests as the model does)
PYTHON_NESTING_LIMITS = ("too many statically nested blocks", "too many nested parentheses",
                         "too many levels of indentation")


def _within_python_limits(build):
    """A build_* method whose model nests deeper than Python (or the generator's own recursion) can take
    raises Unsupported, so that the engine falls back to the reference semantics; any other invalid
    generated code is a bug of the generator and propagates."""
    @functools.wraps(build)
    def guarded(*args, **kwargs):
        try:
            return build(*args, **kwargs)
        except RecursionError as err:
            raise Unsupported(f"it nests too deeply for the code generator ({err})") from err
        except SyntaxError as err:
            if err.msg in PYTHON_NESTING_LIMITS:
                raise Unsupported(f"its generated code nests too deeply for Python: {err.msg}") from err
            raise
    return guarded


class ModelCode:
    """Generated source for one model: the list-sink successor function, property checkers, and a
    factory for the BFS expansion function."""

    def __init__(self, model: ir.Model):
        self.model = model
        self.nvars = len(model.vars)
        self.props = list(model.properties)
        self.prop_reads: list[set] | None = None  # per property, the variables it reads (built by build_bfs)
        self.action_names = [a.name for a in model.actions]

    # -------------------------------------------------------- list sink (for tests and traces)
    @_within_python_limits
    def build_list(self):
        cp = Compiler(self.model)
        cp.ns["_ONE"] = (0,)
        nv = self.nvars
        cp.emit("def _succ_list(_st):")
        cp.indent += 1
        cp.emit("_out = []")
        cp.emit("_ap = _out.append")
        if nv:
            cp.emit("(" + "".join(f"_s{j}, " for j in range(nv)) + ") = _st")
        cp.emit("try:")
        cp.indent += 1
        body_start = len(cp.lines)
        for aid, a in enumerate(self.model.actions):
            cp.action(aid, a, nv, lambda ctx: cp.emit(
                f"_ap(({ctx.aid}, {ctx.args}, {cp.picks_code(ctx)}, {cp.state_tuple(ctx)}))"))
        if len(cp.lines) == body_start:
            cp.emit("pass")
        cp.indent -= 1
        cp.cur_site = None
        self._handler(cp, "_ap(('error', _a, _g, _k, _e)); return _out")
        cp.emit("return _out")
        cp.indent -= 1
        fn = self._finish(cp, "_succ_list")
        return fn, "\n".join(cp.lines)

    def _handler(self, cp: Compiler, then: str) -> None:
        # the site's argument and pick expressions are evaluated in the frame's locals, once, when an
        # error happens: one table entry per site (an if/elif chain over the sites made the source
        # nest as deep as there are sites)
        cp.emit("except ModelError as _e:")
        cp.indent += 1
        cp.emit("_site = _LINESITE.get(_e.__traceback__.tb_lineno)")
        cp.emit("if _site is None: raise")
        cp.emit("_a, _g, _k = _SITEVAL(_site, locals())")
        ns = cp.ns
        table = [(aid, compile(args, "<site args>", "eval"), compile(picks, "<site picks>", "eval"))
                 for aid, args, picks in cp.sites]
        ns["_SITEVAL"] = lambda ix, loc: (table[ix][0], eval(table[ix][1], ns, loc),
                                          eval(table[ix][2], ns, loc))
        for part in then.split("; "):
            cp.emit(part)
        cp.indent -= 1

    def _finish(self, cp: Compiler, name: str):
        src = "\n".join(cp.lines) + "\n"
        # line numbers are 1-based
        cp.ns["_LINESITE"] = {i + 1: s for i, s in enumerate(cp.line_site) if s is not None}
        code = compile(src, f"<xenmodel-compiled {self.model.name}:{name}>", "exec")
        exec(code, cp.ns)  # noqa: S102 - our own generated code
        return cp.ns[name]

    # -------------------------------------------------------- properties
    @_within_python_limits
    def build_props(self):
        """(check_all(state), check_for(changed_vars) -> function or None)."""
        cp = Compiler(self.model)
        cp.properties_fn("_check_all", list(enumerate(self.props)))
        fn = self._finish(cp, "_check_all")
        return fn

    def props_subset(self, changed: set) -> list[tuple[int, ir.Property]]:
        if self.prop_reads is None:
            self.prop_reads = [expr_vars(p.expr) for p in self.props]
        return [(i, p) for i, p in enumerate(self.props) if self.prop_reads[i] & changed]

    # -------------------------------------------------------- BFS sink
    @_within_python_limits
    def build_bfs(self, store: "Store", canon: Callable | None, max_states: int | None, deadlock: bool):
        """Source and function `_expand(_states, _lo, _hi, _seen, _parent)` -> (status, info, gen, dist).

        status: "done" (states[lo:hi] expanded), "inv" (info = (state index, property index, error)),
        "error" (info = (state index, action index, args, picks, ModelError)), "deadlock" (info = state
        index), "limit" (max_states reached; info = index of the next state to expand).
        """
        cp = Compiler(self.model)
        cp.ns["_ONE"] = (0,)
        nv = self.nvars
        na = len(self.model.actions)
        # per-site property checkers, by the set of variables a transition may change
        prop_fns: dict[frozenset, str | None] = {}
        prop_src: list[str] = []

        def props_for(changed: set) -> str | None:
            key = frozenset(changed)
            if key in prop_fns:
                return prop_fns[key]
            subset = self.props_subset(set(changed))
            if not subset:
                prop_fns[key] = None
                return None
            sub = Compiler(self.model)
            sub.ns = cp.ns
            sub._n = cp._n
            sub._consts = cp._consts
            name = cp.fresh("_props")
            sub.properties_fn(name, subset)
            prop_src.extend(sub.lines)
            prop_fns[key] = name
            return name

        counts = "(" + "".join(f"_g{a}, " for a in range(na)) + "), (" + "".join(f"_d{a}, " for a in range(na)) + ")"
        cp.emit("def _expand(_states, _lo, _hi, _seen, _parent):")
        cp.indent += 1
        cp.emit("_seen_add = _seen.add; _st_append = _states.append; _par_append = _parent.append")
        for ix in range(nv):
            cp.emit(f"_G{ix} = _IDS[{ix}].get; _V{ix} = _VALS[{ix}]; _in{ix} = _IDS[{ix}].setdefault")
        for a in range(na):
            cp.emit(f"_g{a} = 0; _d{a} = 0")
        cp.emit("_i = _lo")
        cp.emit("try:")
        cp.indent += 1
        cp.emit("while _i < _hi:")
        cp.indent += 1
        if nv and store.raw:
            cp.emit("(" + "".join(f"_s{j}, " for j in range(nv)) + ") = _states[_i]")
        elif nv:
            cp.emit("(" + "".join(f"_a{j}, " for j in range(nv)) + ") = _states[_i]")
            cp.emit("; ".join(f"_s{j} = _V{j}[_a{j}]" for j in range(nv)))
        cp.emit("_en = 0")

        def sink(ctx: Ctx) -> None:
            aid = ctx.aid
            # variables whose SSA name differs from the parent's may have changed
            changed = [ix for ix in range(nv) if ctx.vars[ix] != f"_s{ix}"]
            if canon is not None:
                cp.emit(f"_c = _canon({cp.state_tuple(ctx)})")
                cp.emit("_t = _enc(_c)" if not store.raw else "_t = _c")
            elif store.raw:
                cp.emit(f"_t = {cp.state_tuple(ctx)}")
            else:
                # a state is stored as the tuple of its components' ids: only the components this
                # transition rebuilt are hashed (to find their ids); the others keep the parent's
                for ix in changed:
                    v = ctx.vars[ix]
                    cp.emit(f"_x{ix} = _G{ix}({v})")
                    cp.emit(f"if _x{ix} is None: _x{ix} = _new({ix}, {v})")
                cp.emit("_t = (" + "".join((f"_x{ix}, " if ix in changed else f"_a{ix}, ")
                                           for ix in range(nv)) + ")")
            cp.emit(f"_g{aid} += 1; _en = 1")
            cp.emit("if _t not in _seen:")
            cp.indent += 1
            if store.raw and canon is None and changed:
                # intern the rebuilt components: equal components of different states share one object
                cp.emit("_t = (" + "".join(f"_in{ix}({ctx.vars[ix]}, {ctx.vars[ix]}), " if ix in changed
                                           else f"_s{ix}, " for ix in range(nv)) + ")")
            cp.emit(f"_seen_add(_t); _st_append(_t); _par_append(_i); _d{aid} += 1")
            # only the properties that read a variable the transition may have written: the parent
            # satisfied all of them (under symmetry too: properties are invariant under the group)
            pf = props_for(set(changed))
            if pf is not None:
                cp.emit(f"_r = {pf}({'_c' if canon is not None else cp.state_tuple(ctx)})")
                cp.emit("if _r is not None: raise _Stop('inv', (len(_states) - 1, _r[0], _r[1]))")
            if max_states is not None:
                cp.emit(f"if len(_states) >= {max_states}: raise _Stop('limit', _i)")
            cp.indent -= 1

        for aid, a in enumerate(self.model.actions):
            cp.action(aid, a, nv, sink)
        cp.cur_site = None
        if deadlock:
            cp.emit("if not _en: raise _Stop('deadlock', _i)")
        cp.emit("_i += 1")
        cp.indent -= 2
        self._handler(cp, f"return 'error', (_i, _a, _g, _k, _e), {counts}")
        cp.emit("except _Stop as _x:")
        cp.emit(f"    return _x.args[0], _x.args[1], {counts}")
        # Ctrl-C, --timeout (SIGALRM), out of memory: the caller reports the counts so far
        cp.emit("except BaseException as _x:")
        cp.emit(f"    _x.counts = {counts}")
        cp.emit("    raise")
        cp.emit(f"return 'done', _hi, {counts}")
        cp.indent -= 1
        if canon is not None:
            cp.ns["_canon"] = canon
        cp.ns["_IDS"] = store.ids
        cp.ns["_VALS"] = store.vals
        cp.ns["_new"] = store.new
        cp.ns["_enc"] = store.encode
        # property functions go before _expand (line numbers of _expand must stay as recorded: append)
        cp.lines.extend(prop_src)
        cp.line_site.extend([None] * len(prop_src))
        fn = self._finish(cp, "_expand")
        return fn, "\n".join(cp.lines)
