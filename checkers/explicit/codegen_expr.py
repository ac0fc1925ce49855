"""The code generator's expressions: an IR expression becomes Python source (code, is_constant)."""
from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, assert_never

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.builtins import BUILTINS
from xenmodel.safetext import int_fits
from xenmodel.types import (
    BoolT,
    EnumT,
    IntT,
    MapT,
    OptionT,
    RecordT,
    SeqT,
    SetT,
    SortT,
    Type,
    cardinality,
    key_index,
    values,
)

from .runtime import HELPERS, MODEL_ERRORS, Unsupported, _Stop

UNROLL_LIMIT = 64  # quantifiers / comprehensions over at most this many values are unrolled


@dataclass
class Ctx:
    vars: list[str]  # per state variable: the Python expression holding its current value
    env: dict[int, tuple[str, bool]]  # local uid -> (code, is_constant)
    picks: list[tuple[str, str]]  # [(name, python expr)] of the chooses on the path so far: an error's picks
    aid: int
    args: str  # python expression of the argument tuple
    changed: set[int] = field(default_factory=set)  # state variables assigned on the path

    def copy(self) -> Ctx:
        return Ctx(list(self.vars), dict(self.env), list(self.picks), self.aid, self.args,
                   set(self.changed))


class ExprCompiler:
    def __init__(self, model: ir.Model):
        self.model = model
        self.ns: dict[str, Any] = dict(HELPERS)
        self.ns["ModelError"] = MODEL_ERRORS
        self.ns["_Stop"] = _Stop
        self._n = itertools.count()
        self._consts: dict[tuple[str, str, int], str] = {}
        self.lines: list[str] = []
        self.line_site: list[int | None] = []  # per emitted line: site index or None
        self.sites: list[tuple[int, str, str]] = []  # (aid, args code, picks code)
        self._site_ix: dict[tuple[int, str, str], int] = {}
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
        # an int too long for Python to print (unbounded arithmetic folded at compile time) is passed
        # to the generated code as an object instead of as source text
        if value is None or type(value) is bool or (type(value) is int and int_fits(value)):
            return repr(value)
        if type(value) is tuple and all(x is None or type(x) is bool or (type(x) is int and int_fits(x))
                                        for x in value):
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
    def ex(self, e: ir.Expr, ctx: Ctx) -> tuple[str, bool]:
        match e:
            case ir.Lit():
                return self.lit(e.value), True
            case ir.Var():
                return ctx.vars[e.index], False
            case ir.Local():
                if e.uid not in ctx.env:
                    raise Unsupported(f"unbound local {e.name}")
                return ctx.env[e.uid]
            case ir.Some():
                return self.ex(e.operand, ctx)
            case ir.Index():
                return self.ex_index(e, ctx)
            case ir.Field():
                b, c = self.ex(e.base, ctx)
                return self.fold(f"{b}[{e.field_index}]", c)
            case ir.Unary():
                a, c = self.ex(e.operand, ctx)
                return self.fold(f"(not {a})" if e.op == "!" else f"(-{a})", c)
            case ir.Binary():
                return self.ex_binary(e, ctx)
            case ir.Ite():
                cc, c1 = self.ex(e.cond, ctx)
                if c1:
                    return self.ex(e.then if eval(cc, self.ns) else e.other, ctx)
                a, _ = self.ex(e.then, ctx)
                b, _ = self.ex(e.other, ctx)
                return f"({a} if {cc} else {b})", False
            case ir.Quant():
                return self.ex_quant(e, ctx)
            case ir.SetLit():
                items = [self.ex(i, ctx) for i in e.items]
                if not items:
                    return self.const(frozenset()), True
                return self.fold("frozenset((" + "".join(c + ", " for c, _ in items) + "))",
                                 all(k for _, k in items))
            case ir.SeqLit() | ir.RecordLit():
                items = [self.ex(i, ctx) for i in (e.items if isinstance(e, ir.SeqLit) else e.values)]
                return self.fold("(" + "".join(c + ", " for c, _ in items) + ")", all(k for _, k in items))
            case ir.MapComp():
                return self.ex_mapcomp(e, ctx)
            case ir.Builtin():
                return self.ex_builtin(e, ctx)
            case ir.SortVal():
                i, c = self.ex(e.index, ctx)
                tmp = self.fresh("_t")
                assert isinstance(e.type, SortT)
                return self.fold(f"({tmp} if 0 <= ({tmp} := {i}) < {e.type.size} else "
                                 f"_e_sortval({tmp}, {self.obj(e.type)}, {self.obj(e.span)}))", c)
            case ir.Narrow():
                return self.ex_narrow(e, ctx)
            case ir.LetIn():
                v, c = self.ex(e.value, ctx)
                c2 = ctx.copy()
                if c or _simple(v):
                    c2.env[e.uid] = (v, c)
                    return self.ex(e.body, c2)
                tmp = self.fresh("_l")
                c2.env[e.uid] = (tmp, False)
                b, _ = self.ex(e.body, c2)
                return f"(({tmp} := {v}), {b})[1]", False
            case _:
                assert_never(e)

    def ex_mapcomp(self, e: ir.MapComp, ctx: Ctx) -> tuple[str, bool]:
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

    def key_code(self, kt: Type, k: str, kc: bool) -> tuple[str, bool]:
        """Python expression of key_index(kt, k)."""
        if isinstance(kt, (SortT, EnumT, BoolT)):
            return k, kc
        if isinstance(kt, IntT):
            return self.fold(k if kt.lo == 0 else f"({k} - {kt.lo})", kc)
        if kc:
            return self.lit(key_index(kt, eval(k, self.ns))), True
        if isinstance(kt, OptionT):
            tmp = self.fresh("_t")
            assert kt.inner is not None  # an option of nothing but none has no keys but none
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

    def ex_index(self, e: ir.Index, ctx: Ctx) -> tuple[str, bool]:
        b, bc = self.ex(e.base, ctx)
        k, kc = self.ex(e.index, ctx)
        bt = e.base.type
        if isinstance(bt, MapT):
            kk, kkc = self.key_code(bt.key, k, kc)
            return self.fold(f"{b}[{kk}]", bc and kkc)
        return self.fold(f"_seq_index({b}, {k}, {self.obj(e.span)})", bc and kc)

    def ex_binary(self, e: ir.Binary, ctx: Ctx) -> tuple[str, bool]:
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

    def ex_quant(self, e: ir.Quant, ctx: Ctx) -> tuple[str, bool]:
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
        wq = self.ex(e.where, c2)[0] if e.where is not None else None
        b, _ = self.ex(e.body, c2)
        dom = self.const(tuple(vals))
        cond = f" if {wq}" if wq else ""
        if kind == "forall":
            return f"all({b} for {var} in {dom}{cond})", False
        if kind == "exists":
            return f"any({b} for {var} in {dom}{cond})", False
        if kind == "count":
            return f"sum(1 for {var} in {dom} if {('(' + wq + ') and ') if wq else ''}{b})", False
        return f"sum({b} for {var} in {dom}{cond})", False

    def ex_builtin(self, e: ir.Builtin, ctx: Ctx) -> tuple[str, bool]:
        args = [self.ex(a, ctx) for a in e.args]
        codes = [a for a, _ in args]
        c = all(k for _, k in args)
        hook = _BUILTIN_HOOKS.get(e.name)
        if hook is not None:
            return self.fold(hook(self, e, codes), c)
        # no fast path: the builtins table's own evaluation (errors and all)
        spec = BUILTINS.get(e.name)
        if spec is None:
            raise Unsupported(f"builtin {e.name}")
        fn = self.obj(spec.evaluate, "_b")
        return self.fold(f"{fn}(({''.join(x + ', ' for x in codes)}), {self.obj(e.type)}, {self.obj(e.span)})", c)

    def _guarded(self, e: ir.Builtin, operand: str, test: str, value: str, error: str) -> str:
        """`value` of the operand bound once to a temporary, if `test` of it holds, else raise `error`."""
        tmp = self.fresh("_t")
        return (f"({value.format(tmp)} if {test.format(f'({tmp} := {operand})')} else "
                f"{error.format(self.obj(e.span))})")

    def _remove_at(self, e: ir.Builtin, codes: list[str]) -> str:
        """remove_at in line; its error path is the table's evaluation (operands left to right, as the
        reference evaluates them)."""
        q, i = self.fresh("_t"), self.fresh("_t")
        table = f"{self.obj(BUILTINS['remove_at'].evaluate, '_b')}(({q}, {i}), {self.obj(e.type)}, {self.obj(e.span)})"
        return f"({q}[:{i}] + {q}[{i} + 1:] if len({q} := {codes[0]}) > ({i} := {codes[1]}) >= 0 else {table})"

    def _empty_guarded(self, e: ir.Builtin, codes: list[str], sel: str) -> str:
        return self._guarded(e, codes[0], "{}", "{}" + sel, f"_e_empty({e.name!r}, {{}})")

    def ex_narrow(self, e: ir.Narrow, ctx: Ctx) -> tuple[str, bool]:
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


Hook = Callable[[ExprCompiler, ir.Builtin, list[str]], str]
# The compiled engine's fast paths, one line per builtin (the Python source of its application to the
# operands' source); a builtin without a line here is evaluated by its row of xenmodel.builtins.BUILTINS.
_BUILTIN_HOOKS: dict[str, Hook] = {
    "len": lambda cp, e, a: f"len({a[0]})",
    "size": lambda cp, e, a: f"len({a[0]})",
    "head": lambda cp, e, a: cp._empty_guarded(e, a, "[0]"),
    "tail": lambda cp, e, a: cp._empty_guarded(e, a, "[1:]"),
    "last": lambda cp, e, a: cp._empty_guarded(e, a, "[-1]"),
    "get": lambda cp, e, a: cp._guarded(e, a[0], "{} is not None", "{}", "_e_get({})"),
    "remove_at": lambda cp, e, a: cp._remove_at(e, a),
    "count": lambda cp, e, a: f"{a[0]}.count({a[1]})",
    "ord": lambda cp, e, a: a[0],
    "min": lambda cp, e, a: f"min({a[0]}, {a[1]})",
    "max": lambda cp, e, a: f"max({a[0]}, {a[1]})",
}


def _simple(code: str) -> bool:
    return code.isidentifier() or (code.lstrip("-").isdigit()) or code in ("True", "False", "None")

