"""A random generator of small, well-typed xenmodel models over the whole language.

`generate(rng, **knobs) -> str` writes the source of one model: constants (bounded and unbounded ints,
bools), plain and `symmetric` sorts, enums, records, options, sets, seqs, maps, defs and procs, an init
block with `choose` and `foreach`, actions with parameters, `require`, `let`, if/else, `foreach`,
`choose`, `assert`, statements that may raise model errors (out-of-range stores, seq overflow, head of
an empty seq, get(none), division by zero, S(i) outside the sort), and invariants and lemmas that are
sometimes violated and sometimes not. State spaces are kept small (a few variables over tiny domains)
so that every instance is exhausted by the explicit engine, and by the reference BFS, in well under a
second.

The generator follows the language's rules, so every model it writes should be accepted by the front
end; a rejected one is a bug of the generator or of the checker (bench/fuzz_campaign.py and
tests/test_campaigns.py measure the acceptance rate).

Symmetric sorts: the model's duty is that the initial states are closed under permutation; the
generator keeps it (no state variable of a bare symmetric type has a default: such variables are set by
a `choose` in init; order-dependent loops are never put in init).

KNOWN_BUG_SHAPES names the shapes that trip bugs of issue 14 still open on main; the generator leaves
them out while their name is in the set. Remove a name once its fix is merged:
  - "sym-foreach-order": a `foreach` over a type containing a symmetric sort whose body reads, in a later
    iteration, what an earlier one wrote (e.g. `foreach x: S { w := x }`): symmetry reduction is unsound
    on it (issue 14, "Symmetry reduction is unsound"; helper H1).
  - "prove-no-properties": a model without invariants or lemmas: `prove` says "holds" although an assert
    or a model error is reachable (issue 14, helper H4). Left out: every model gets a property.
  - "bmc-seq-bool": a `seq<bool, N>` whose elements are used as bools: BMC and induction crash with a
    Z3Exception or AttributeError (found by this campaign: /work/wt/findings/bmc-head-seq-bool*.xm).
  - "empty-init": an init block whose `require` (or empty `choose`) leaves no initial state: explicit says
    "deadlock: no initial state", BMC "bounded" (found by this campaign: findings/bmc-no-initial-state.xm).
  - "nested-choose": a `choose` inside an `if`, `choose` or `foreach` body (directly or in a called proc)
    followed by a failing statement: the reference semantics and the engines disagree on the step's
    picks, explicit and BMC stop with exit 70 (found by this campaign: findings/nested-choose-*.xm).
    Left out: no choose and no proc call inside an if, choose or foreach body.
  - "simulate-empty-init" is covered by "empty-init": `simulate` stops with exit 70 on a model with no
    initial state (findings/simulate-no-initial-state.xm).
The campaigns use `generate(..., known_bugs=())` to hunt for them, the CI tests the default.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace

KNOWN_BUG_SHAPES: frozenset[str] = frozenset()

# Types are tuples: ("bool",) ("int", lo, hi) ("sort", name, size, symmetric) ("enum", name, members)
# ("opt", T) ("set", T) ("seq", T, cap) ("map", K, V) ("rec", name, ((field, T), ...)).
BOOL = ("bool",)


def show(t) -> str:
    k = t[0]
    if k == "bool":
        return "bool"
    if k == "int":
        return f"int[{t[1]}..{t[2]}]"
    if k in ("sort", "enum", "rec"):
        return t[1]
    if k == "opt":
        return show(t[1]) + "?"
    if k == "set":
        return f"set<{show(t[1])}>"
    if k == "seq":
        return f"seq<{show(t[1])}, {t[2]}>"
    if k == "map":
        return f"{show(t[1])} -> {show(t[2])}"
    raise ValueError(t)


def enumerable(t) -> bool:
    k = t[0]
    if k in ("bool", "int", "sort", "enum"):
        return True
    if k == "opt":
        return enumerable(t[1])
    if k == "rec":
        return all(enumerable(ft) for _, ft in t[2])
    return False


def card(t) -> int:
    k = t[0]
    if k == "bool":
        return 2
    if k == "int":
        return t[2] - t[1] + 1
    if k == "sort":
        return t[2]
    if k == "enum":
        return len(t[2])
    if k == "opt":
        return 1 + card(t[1])
    if k == "rec":
        n = 1
        for _, ft in t[2]:
            n *= card(ft)
        return n
    raise ValueError(t)


def has_sym(t) -> bool:
    k = t[0]
    if k == "sort":
        return t[3]
    if k in ("opt", "set"):
        return has_sym(t[1])
    if k == "seq":
        return has_sym(t[1])
    if k == "map":
        return has_sym(t[1]) or has_sym(t[2])
    if k == "rec":
        return any(has_sym(ft) for _, ft in t[2])
    return False


def bare_sym(t) -> bool:
    """A type whose default value names a symmetric value (so a default breaks the init's symmetry)."""
    k = t[0]
    if k == "sort":
        return t[3]
    if k == "map":
        return bare_sym(t[2])
    if k == "rec":
        return any(bare_sym(ft) for _, ft in t[2])
    return False


@dataclass
class Ctx:
    """What an expression may read: locals (name -> type), state variables (unless `no_state`)."""
    locals: list = field(default_factory=list)
    no_state: bool = False
    hidden: frozenset = frozenset()  # state variables not to be read (written by a symmetric loop)
    in_init: bool = False
    in_sym_loop: bool = False  # inside a foreach over a symmetric type (restricted writes)
    loop_var: tuple | None = None  # (name, type) of the innermost symmetric foreach binder
    no_seq_writes: bool = False  # inside a foreach over a symmetric sort outside init (XM223)
    no_require: bool = False  # no guard may fail here (see "empty-init" in KNOWN_BUG_SHAPES)
    in_choose: bool = False  # inside an if, choose or foreach body (see "nested-choose" in KNOWN_BUG_SHAPES)

    def with_local(self, name, t) -> "Ctx":
        return Ctx(self.locals + [(name, t)], self.no_state, self.hidden, self.in_init, self.in_sym_loop,
                   self.loop_var, self.no_seq_writes, self.no_require, self.in_choose)


class Gen:
    def __init__(self, rng: random.Random, n_vars: int = 4, n_actions: int = 3, n_props: int = 2,
                 max_depth: int = 2, known_bugs=KNOWN_BUG_SHAPES, sym_prob: float = 0.5):
        self.r = rng
        self.n_vars = n_vars
        self.n_actions = n_actions
        self.n_props = n_props
        self.max_depth = max_depth
        self.known_bugs = frozenset(known_bugs)
        self.sym_prob = sym_prob
        self.out: list[str] = []
        self.counter = 0
        self.consts: list = []  # (name, type, value)
        self.sorts: list = []
        self.enums: list = []
        self.recs: list = []
        self.vars: list = []  # (name, type)
        self.defs: list = []  # (name, params, result type)
        self.procs: list = []  # (name, params)

    # ------------------------------------------------------------ helpers
    def fresh(self, p="b") -> str:
        self.counter += 1
        return f"{p}{self.counter}"

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def small_enum_types(self) -> list:
        """Types small enough to quantify, choose or loop over."""
        ts = [BOOL, ("int", 0, 2)] + self.sorts + self.enums
        ts += [("opt", s) for s in self.sorts if s[2] <= 2]
        ts += [r for r in self.recs if enumerable(r) and card(r) <= 6]
        return ts

    def value_types(self) -> list:
        return [BOOL, ("int", 0, 3)] + self.sorts + self.enums

    # ------------------------------------------------------------ declarations
    def declarations(self) -> None:
        r = self.r
        o = self.out
        o.append(f"model gen{r.randrange(10 ** 6)}")
        o.append("")
        n = r.randint(1, 3)
        o.append(f"const K: int[1..3] = {n}")
        self.consts.append(("K", ("int", 1, 3), n))
        big = r.randint(-5, 5)
        o.append(f"const BIG: int = K * {big} - 1")  # an unbounded constant
        self.consts.append(("BIG", ("uint",), n * big - 1))
        flag = r.choice(["true", "false"])
        o.append(f"const FLAG: bool = {flag}")
        self.consts.append(("FLAG", BOOL, flag == "true"))
        # sorts
        for i in range(r.randint(1, 2)):
            size = r.randint(1, 3)
            name, pre = f"P{i}", f"p{i}v"
            use_k = r.random() < 0.3
            o.append(f"sort {name} = {pre}[{'K' if use_k else size}]")
            self.sorts.append(("sort", name, n if use_k else size, False))
        if r.random() < self.sym_prob:
            size = r.randint(2, 3)
            o.append(f"symmetric sort S = sv[{size}]")
            self.sorts.append(("sort", "S", size, True))
        # enums
        for i in range(r.randint(0, 2)):
            members = tuple(f"e{i}{c}" for c in "abcd"[:r.randint(2, 3)])
            o.append(f"enum E{i} {{ {', '.join(members)} }}")
            self.enums.append(("enum", f"E{i}", members))
        # a record
        if r.random() < 0.6:
            fields = []
            for j in range(r.randint(1, 2)):
                ft = r.choice([BOOL, ("int", 0, 2)] + [("opt", s) for s in self.sorts] + self.enums
                              + [s for s in self.sorts if not s[3]])
                fields.append((f"f{j}", ft))
            rec = ("rec", "R", tuple(fields))
            o.append("record R { " + ", ".join(f"{f}: {show(t)}" for f, t in fields) + " }")
            self.recs.append(rec)
        if r.random() < 0.3:
            o.append("type Small = int[0..2]")
        o.append("")

    def var_type(self):
        r = self.r
        s = r.choice(self.sorts)
        choices = [
            lambda: BOOL,
            lambda: ("int", 0, r.randint(1, 3)),
            lambda: ("int", -1, 1),
            lambda: s,
            lambda: ("opt", s),
            lambda: ("set", s),
            lambda: ("seq", r.choice([s] if "bmc-seq-bool" in self.known_bugs else [s, BOOL]), r.randint(1, 2)),
            lambda: ("map", s, r.choice([BOOL, ("int", 0, 2)] + self.enums)),
            lambda: ("map", s, ("opt", r.choice(self.sorts))),
        ]
        if self.enums:
            choices.append(lambda: r.choice(self.enums))
        if self.recs:
            choices.append(lambda: self.recs[0])
            choices.append(lambda: ("map", s, self.recs[0]))
        t = r.choice(choices)()
        if t[0] == "map" and card(t[1]) > 3:
            t = ("map", t[1], BOOL)
        return t

    def state_vars(self) -> None:
        o = self.out
        sym = [s for s in self.sorts if s[3]]
        for i in range(self.n_vars):
            t = self.var_type()
            # make sure a symmetric sort, when declared, occurs in the state (else it reduces nothing)
            if i == 0 and sym:
                t = self.r.choice([("map", sym[0], BOOL), ("set", sym[0]), ("opt", sym[0]), ("map", sym[0],
                                                                                              ("int", 0, 2))])
            if i == 1 and sym and "sym-foreach-order" not in self.known_bugs:
                t = ("opt", sym[0])  # a slot for the order-dependent loops to fill (see hunt_actions)
            name = f"v{i}"
            init = ""
            if t[0] in ("bool", "int", "enum") and self.chance(0.3):
                init = " = " + self.literal(t)
            elif t[0] == "sort" and not t[3] and self.chance(0.3):
                init = " = " + self.literal(t)
            o.append(f"var {name}: {show(t)}{init}")
            self.vars.append((name, t))
        o.append("")

    def literal(self, t) -> str:
        r = self.r
        k = t[0]
        if k == "bool":
            return r.choice(["true", "false"])
        if k == "int":
            return str(r.randint(t[1], t[2]))
        if k == "sort":
            assert not t[3]
            return f"{self.prefix(t)}{r.randrange(t[2])}"
        if k == "enum":
            return r.choice(t[2])
        raise ValueError(t)

    def prefix(self, t) -> str:
        return "sv" if t[3] else f"p{t[1][1:]}v"

    # ------------------------------------------------------------ expressions
    def readable(self, ctx: Ctx) -> list:
        out = list(ctx.locals)
        if not ctx.no_state:
            out += [(n, t) for n, t in self.vars if n not in ctx.hidden]
        return out

    def atoms(self, t, ctx: Ctx, d: int) -> list[str]:
        """Expressions of exactly type t read from locals and state (variables, map entries, fields)."""
        out = []
        for n, vt in self.readable(ctx):
            if vt == t:
                out.append(n)
            if vt[0] == "map" and vt[2] == t:
                k = self.expr(vt[1], ctx, d + 1)
                if k is not None:
                    out.append(f"{n}[{k}]")
            if vt[0] == "rec":
                out += [f"{n}.{f}" for f, ft in vt[2] if ft == t]
            if vt[0] == "map" and vt[2][0] == "rec":
                for f, ft in vt[2][2]:
                    if ft == t:
                        k = self.expr(vt[1], ctx, d + 1)
                        if k is not None:
                            out.append(f"{n}[{k}].{f}")
            if vt[0] == "opt" and vt[1] == t and self.chance(0.3):
                out.append(f"get({n})")  # may be get(none): XM501
            if vt[0] == "seq" and vt[1] == t and self.chance(0.3):
                out.append(self.r.choice([f"head({n})", f"last({n})", f"{n}[{self.r.randint(0, 1)}]"]))
        if not ctx.no_state:
            for c, ct, _ in self.consts:
                if ct == t:
                    out.append(c)
        return out

    def expr(self, t, ctx: Ctx, d: int = 0, typed: bool = True) -> str | None:
        """An expression of type t, or None when none can be made (a symmetric value with no source).
        `typed`: the context gives the type (so `none`, `{}`, `[]` are allowed)."""
        r = self.r
        k = t[0]
        deep = d >= self.max_depth
        atoms = self.atoms(t, ctx, d) if d < self.max_depth + 1 else []
        if atoms and (deep or r.random() < 0.4):
            return r.choice(atoms)
        if k == "bool":
            return self.bool_expr(ctx, d)
        if k == "int":
            return self.int_expr(t, ctx, d)
        if k == "sort":
            if t[3]:
                if atoms:
                    return r.choice(atoms)
                return None
            if not deep and r.random() < 0.2:
                return f"{t[1]}({self.int_expr(('int', 0, t[2]), ctx, d + 1)})"  # may be XM508
            if not deep and r.random() < 0.2:
                c = self.bool_expr(ctx, d + 1)
                return f"(if {c} then {self.literal(t)} else {self.literal(t)})"
            return self.literal(t)
        if k == "enum":
            return self.literal(t)
        if k == "opt":
            if typed and r.random() < 0.4:
                return "none"
            inner = self.expr(t[1], ctx, d + 1)
            if inner is None:
                return "none" if typed else None
            return inner
        if k == "set":
            if atoms and r.random() < 0.6:
                a = r.choice(atoms)
                e = self.expr(t[1], ctx, d + 1)
                if e is not None and not deep:
                    return f"{a} {r.choice(['+', '-'])} {{{e}}}"
                return a
            e = self.expr(t[1], ctx, d + 1)
            if e is not None:
                return f"{{{e}}}"
            return "{}" if typed else None
        if k == "seq":
            if atoms and r.random() < 0.7:
                a = r.choice(atoms)
                e = self.expr(t[1], ctx, d + 1)
                c = r.random()
                if e is not None and c < 0.4:
                    return f"{a} ++ [{e}]"  # may overflow: XM504
                if c < 0.6:
                    return f"tail({a})"  # may be empty: XM502
                if e is not None and c < 0.7:
                    return f"remove({a}, {e})"
                if c < 0.8:
                    return f"remove_at({a}, 0)"
                return a
            e = self.expr(t[1], ctx, d + 1)
            if e is not None and r.random() < 0.5:
                return f"[{e}]"
            return "[]" if typed else None
        if k == "map":
            if atoms:
                return r.choice(atoms)
            b = self.fresh()
            v = self.expr(t[2], ctx.with_local(b, t[1]), d + 1)
            return None if v is None else f"[{b}: {show(t[1])} -> {v}]"
        if k == "rec":
            parts = []
            for f, ft in t[2]:
                e = self.expr(ft, ctx, d + 1)
                if e is None:
                    return r.choice(atoms) if atoms else None
                parts.append(f"{f}: {e}")
            return f"{t[1]} {{ " + ", ".join(parts) + " }"
        raise ValueError(t)

    def cmp_type(self, ctx: Ctx):
        """A type to compare at: one that has a source in the context."""
        ts = [t for _, t in self.readable(ctx)] + self.value_types()
        return self.r.choice(ts)

    def bool_expr(self, ctx: Ctx, d: int) -> str:
        r = self.r
        if d >= self.max_depth:
            atoms = self.atoms(BOOL, ctx, d)
            return r.choice(atoms + ["true", "false", "FLAG"] if not ctx.no_state else atoms + ["true", "false"])
        c = r.randrange(11)
        if c == 0:
            return r.choice(["true", "false"])
        if c == 1:
            t = self.cmp_type(ctx)
            a = self.expr(t, ctx, d + 1, typed=False)
            b = self.expr(t, ctx, d + 1)
            if a is None or b is None:
                return "true"
            return f"({a} {r.choice(['==', '!='])} {b})"
        if c == 2:
            t = r.choice([("int", 0, 3)] + self.enums + [s for s in self.sorts if not s[3]])
            return f"({self.expr(t, ctx, d + 1)} {r.choice(['<', '<=', '>', '>='])} {self.expr(t, ctx, d + 1)})"
        if c == 3:
            return f"(!({self.bool_expr(ctx, d + 1)}))"
        if c in (4, 5):
            op = r.choice(["&&", "||", "=>"])
            return f"({self.bool_expr(ctx, d + 1)} {op} {self.bool_expr(ctx, d + 1)})"
        if c == 6:
            colls = [(n, t) for n, t in self.readable(ctx) if t[0] in ("set", "seq")]
            if colls:
                n, t = r.choice(colls)
                e = self.expr(t[1], ctx, d + 1)
                if e is not None:
                    return f"({e} in {n})"
            return self.bool_expr(ctx, d + 1)
        if c in (7, 8):
            t = r.choice(self.small_enum_types())
            b = self.fresh()
            inner = ctx.with_local(b, t)
            q = r.choice(["forall", "exists"])
            where = f" where {self.bool_expr(inner, d + 1)}" if r.random() < 0.2 else ""
            return f"({q} {b}: {show(t)}{where} :: {self.bool_expr(inner, d + 1)})"
        if c == 9:
            return f"(if {self.bool_expr(ctx, d + 1)} then {self.bool_expr(ctx, d + 1)} else " \
                   f"{self.bool_expr(ctx, d + 1)})"
        calls = [df for df in self.defs if df[2] == BOOL and (not ctx.no_state or df[3])]
        if calls:
            return self.call(r.choice(calls), ctx, d)
        atoms = self.atoms(BOOL, ctx, d)
        return r.choice(atoms) if atoms else "true"

    def call(self, df, ctx, d) -> str:
        args = []
        for _, pt in df[1]:
            a = self.expr(pt, ctx, d + 1)
            if a is None:
                return "true" if df[2] == BOOL else "0"
            args.append(self.fit(pt, a))
        return f"{df[0]}({', '.join(args)})"

    def int_expr(self, t, ctx: Ctx, d: int) -> str:
        r = self.r
        lo, hi = (t[1], t[2]) if t[0] == "int" else (0, 3)
        if d >= self.max_depth:
            atoms = [a for tt in (("int", 0, 1), ("int", 0, 2), ("int", 0, 3), ("int", -1, 1))
                     for a in self.atoms(tt, ctx, d)]
            return r.choice(atoms + [str(r.randint(lo, hi))])
        c = r.randrange(12)
        sub = lambda: self.int_expr(("int", 0, 3), ctx, d + 1)  # noqa: E731
        if c == 0:
            return str(r.randint(lo, hi))
        if c == 1:
            return f"{sub()} {r.choice(['+', '-'])} {sub()}"
        if c == 2:
            return f"({sub()}) % {r.randint(1, 3)}"
        if c == 3:
            return f"({sub()}) / ({sub()})"  # may divide by zero: XM506
        if c == 4:
            return f"{r.choice(['min', 'max'])}({sub()}, {sub()})"
        if c == 5:
            colls = [(n, vt) for n, vt in self.readable(ctx) if vt[0] in ("set", "seq")]
            if colls:
                n, vt = r.choice(colls)
                if vt[0] == "set":
                    return f"size({n})"
                e = self.expr(vt[1], ctx, d + 1)
                if e is not None and r.random() < 0.4:
                    return f"count({n}, {e})"
                return f"len({n})"
            return sub()
        if c == 6:
            ords = [s for s in self.sorts if not s[3]] + self.enums
            if ords:
                return f"ord({self.expr(r.choice(ords), ctx, d + 1)})"
            return sub()
        if c == 7:
            ty = r.choice(self.small_enum_types())
            b = self.fresh()
            inner = ctx.with_local(b, ty)
            if r.random() < 0.5:
                return f"(count {b}: {show(ty)} :: {self.bool_expr(inner, d + 1)})"
            return f"(sum {b}: {show(ty)} :: {self.int_expr(('int', 0, 1), inner, d + 1)})"
        if c == 8:
            return f"(if {self.bool_expr(ctx, d + 1)} then {sub()} else {sub()})"
        if c == 9 and not ctx.no_state:
            return r.choice([f"max(min(BIG, {hi}), {lo})", f"min(K - 1, {hi})"])  # an unbounded constant
        calls = [df for df in self.defs if df[2][0] == "int" and (not ctx.no_state or df[3])]
        if calls and c == 10:
            return self.call(r.choice(calls), ctx, d)
        atoms = [a for tt in (("int", 0, 1), ("int", 0, 2), ("int", 0, 3), ("int", -1, 1), t)
                 for a in self.atoms(tt, ctx, d)]
        return r.choice(atoms) if atoms else str(r.randint(lo, hi))

    # ------------------------------------------------------------ statements
    def lvalues(self, ctx: Ctx) -> list:
        """(text, type) of the places a statement may write."""
        out = []
        for n, t in self.vars:
            if ctx.in_sym_loop:
                # only what the binder names, or a commutative set update (see KNOWN_BUG_SHAPES)
                lv, lt = ctx.loop_var
                if t[0] == "map" and t[1] == lt:
                    out.append((f"{n}[{lv}]", t[2]))
                continue
            if ctx.no_seq_writes and t[0] == "seq":
                continue
            out.append((n, t))
            if t[0] == "map":
                k = self.expr(t[1], ctx, 1)
                if k is not None:
                    out.append((f"{n}[{k}]", t[2]))
                    if t[2][0] == "rec":
                        f, ft = self.r.choice(t[2][2])
                        out.append((f"{n}[{k}].{f}", ft))
            if t[0] == "rec":
                f, ft = self.r.choice(t[2])
                out.append((f"{n}.{f}", ft))
            if t[0] == "seq":
                out.append((f"{n}[{self.r.randint(0, 1)}]", t[1]))  # may be out of range: XM505
        return out

    def block(self, ctx: Ctx, d: int, n: int, indent: str) -> list[str]:
        lines = []
        for _ in range(n):
            lines += self.stmt(ctx, d, indent)
            # a let extends the scope of the statements after it
            if lines and lines[-1].lstrip().startswith("let "):
                name, rest = lines[-1].strip()[4:].split(" = ", 1)
                ctx = ctx.with_local(name, self._let_types[name])
        return lines

    _let_types: dict = {}

    def stmt(self, ctx: Ctx, d: int, ind: str) -> list[str]:
        r = self.r
        c = r.randrange(10)
        if d >= 2:
            c = r.choice([0, 0, 1, 2])
        if ctx.in_sym_loop and c in (2, 6, 7):
            c = 0
        if c == 6 and ctx.in_choose and "nested-choose" in self.known_bugs:
            c = 0
        if c in (0, 5):
            lvs = self.lvalues(ctx)
            if lvs:
                lv, t = r.choice(lvs)
                inner = ctx
                if ctx.in_sym_loop:
                    e = self.expr(t, ctx, 1)
                else:
                    e = self.expr(t, inner, 0)
                if e is not None:
                    return self.store(lv, t, e, ind)
            if ctx.in_sym_loop:
                sets = [n for n, t in self.vars if t[0] == "set" and t[1] == ctx.loop_var[1]]
                if sets:
                    s = r.choice(sets)
                    return [f"{ind}if {self.bool_expr(ctx, 1)} {{ {s} := {s} {r.choice(['+', '-'])} "
                            f"{{{ctx.loop_var[0]}}} }}"]
            return self.require(ctx, ind)
        if c == 1:
            return self.require(ctx, ind)
        if c == 2:
            return [f'{ind}assert {self.bool_expr(ctx, 1)}, "gen"']
        if c == 3:
            inner = replace(ctx, in_choose=True)  # (see "nested-choose" in KNOWN_BUG_SHAPES)
            lines = [f"{ind}if {self.bool_expr(ctx, 1)} {{"] + self.block(inner, d + 1, r.randint(1, 2), ind + "  ")
            if r.random() < 0.5:
                lines += [f"{ind}}} else {{"] + self.block(inner, d + 1, 1, ind + "  ")
            return lines + [f"{ind}}}"]
        if c == 4:
            t = r.choice(self.small_enum_types())
            syms = [x for x in self.sorts if x[3]]
            if syms and "sym-foreach-order" not in self.known_bugs and self.chance(0.5):
                t = syms[0]  # hunting the order-dependent loops: loop over the symmetric sort often
            b = self.fresh()
            where = f" where {self.bool_expr(ctx.with_local(b, t), 1)}" if r.random() < 0.3 else ""
            inner = ctx.with_local(b, t)
            restricted = "sym-foreach-order" in self.known_bugs or ctx.in_init or ctx.in_sym_loop
            if has_sym(t) and restricted:
                if t[0] != "sort":
                    t = r.choice([s for s in self.sorts if not s[3]] + [BOOL])
                    inner = ctx.with_local(b, t)
                    where = ""
                else:
                    written = {n for n, vt in self.vars if vt[0] in ("map", "set") and vt[1] == t}
                    inner = Ctx(ctx.locals + [(b, t)], ctx.no_state, ctx.hidden | written, ctx.in_init, True, (b, t),
                                True, ctx.no_require)
                    where = ""
            elif has_sym(t) and not ctx.in_init:
                inner.no_seq_writes = True
                # the order-dependent shapes of issue 14: keep the last value seen, number the values
                keep = [n for n, vt in self.vars if vt in (t, ("opt", t))]
                if keep and self.chance(0.5):
                    w = r.choice(keep)
                    first = f"{ind}  if {w} == none {{ {w} := {b} }}" if ("opt", t) in [vt for n, vt in self.vars
                                                                              if n == w] else None
                    keep_it = first if first and self.chance(0.5) else f"{ind}  {w} := {b}"
                    return [f"{ind}foreach {b}: {show(t)} {{", keep_it] \
                        + self.block(inner, d + 1, r.randint(0, 1), ind + "  ") + [f"{ind}}}"]
            inner.in_choose = True  # (see "nested-choose" in KNOWN_BUG_SHAPES)
            return [f"{ind}foreach {b}: {show(t)}{where} {{"] + self.block(inner, d + 1, r.randint(1, 2), ind + "  ") \
                + [f"{ind}}}"]
        if c == 6:
            t = r.choice(self.small_enum_types())
            b = self.fresh()
            inner = ctx.with_local(b, t)
            inner.in_choose = True
            where = f" where {self.bool_expr(inner, 1)}" if r.random() < 0.3 and not ctx.no_require else ""
            return [f"{ind}choose {b}: {show(t)}{where} {{"] + self.block(inner, d + 1, r.randint(1, 2), ind + "  ") \
                + [f"{ind}}}"]
        if c == 7 and ctx.in_choose and "nested-choose" in self.known_bugs:
            c = 0  # a proc may hold a choose
        if c == 7 and self.procs and not ctx.in_init and not ctx.no_seq_writes:
            p = r.choice(self.procs)
            args = []
            for _, pt in p[1]:
                a = self.expr(pt, ctx, 1)
                if a is None:
                    return []
                args.append(self.fit(pt, a))
            return [f"{ind}{p[0]}({', '.join(args)})"]
        if c == 8:
            t = self.r.choice(self.value_types())
            e = self.expr(t, ctx, 1, typed=False)
            if e is not None:
                name = self.fresh("l")
                self._let_types[name] = t
                return [f"{ind}let {name} = {e}"]
        lvs = self.lvalues(ctx)
        if lvs:
            lv, t = r.choice(lvs)
            e = self.expr(t, ctx, 1)
            if e is not None:
                return self.store(lv, t, e, ind)
        return self.require(ctx, ind)

    def store(self, lv: str, t, e: str, ind: str) -> list[str]:
        """`lv := e`, unless e is a constant outside t's range (the checker rejects that statically)."""
        return [f"{ind}{lv} := {self.fit(t, e)}"]

    def fit(self, t, e: str) -> str:
        if t[0] == "int":
            v = self.const_value(e)
            if v is not None and not t[1] <= v <= t[2]:
                return str(t[1])
        return e

    def const_value(self, e: str):
        """The value of an integer expression made only of literals and constants, else None."""
        if not re.fullmatch(r"[-+*/%()0-9 ,a-zA-Z]*", e) or set(re.findall(r"[A-Za-z_]\w*", e)) - {
                "K", "BIG", "min", "max"}:
            return None
        env = {c: v for c, _, v in self.consts if c in ("K", "BIG")}
        try:
            return eval(e.replace("/", "//"), {"__builtins__": {}, "min": min, "max": max}, env)  # noqa: S307
        except ZeroDivisionError:
            return None

    def require(self, ctx: Ctx, ind: str) -> list[str]:
        return [] if ctx.no_require else [f"{ind}require {self.bool_expr(ctx, 1)}"]

    # ------------------------------------------------------------ behaviour and properties
    def params(self, n: int) -> list:
        ts = [BOOL, ("int", 0, 2)] + self.sorts + self.enums
        return [(self.fresh("a"), self.r.choice(ts)) for _ in range(n)]

    def defs_and_procs(self) -> None:
        r = self.r
        o = self.out
        if r.random() < 0.6:
            ps = self.params(r.randint(0, 2))
            ctx = Ctx(list(ps))
            res = r.choice([BOOL, ("int", 0, 3)])
            body = self.bool_expr(ctx, 1) if res == BOOL else self.int_expr(res, ctx, 1)
            rt = "bool" if res == BOOL else "int"
            o.append(f"def d0({', '.join(f'{n}: {show(t)}' for n, t in ps)}): {rt} = {body}")
            self.defs.append(("d0", ps, BOOL if res == BOOL else ("int", -9, 9), False))
        if r.random() < 0.5:
            ps = self.params(r.randint(0, 2))
            ctx = Ctx(list(ps))
            o.append(f"proc q0({', '.join(f'{n}: {show(t)}' for n, t in ps)}) {{")
            o += self.block(ctx, 1, r.randint(1, 2), "  ")
            o.append("}")
            self.procs.append(("q0", ps))
        o.append("")

    def init(self) -> None:
        o = self.out
        ctx = Ctx(in_init=True, no_require="empty-init" in self.known_bugs)
        lines = []
        # every state variable whose default names a symmetric value is set from a choose
        needs = sorted(((n, t) for n, t in self.vars if bare_sym(t)), key=lambda nt: nt[1][0] == "sort")
        ind = "  "
        for n, t in needs:
            if t[0] == "sort":
                b = self.fresh()
                lines.append(f"{ind}choose {b}: {show(t)} {{")
                lines.append(f"{ind}  {n} := {b}")
                ind += "  "
                ctx = ctx.with_local(b, t)
                ctx.in_choose = True
            elif t[0] == "map":
                b = self.fresh()
                lines.append(f"{ind}foreach {b}: {show(t[1])} {{")
                inner = ctx.with_local(b, t[1])
                vt = t[2]
                srcs = [x for x, xt in inner.locals if xt == vt] if vt[0] == "sort" else []
                if vt[0] == "sort" and srcs:
                    lines.append(f"{ind}  {n}[{b}] := {self.r.choice(srcs)}")
                elif vt[0] == "sort":
                    lines.append(f"{ind}  choose {b}x: {show(vt)} {{ {n}[{b}] := {b}x }}")
                else:  # a record with a symmetric field: rebuild it
                    lines.append(f"{ind}  {n}[{b}] := " + (self.expr(vt, inner, 2) or f"{n}[{b}]"))
                lines.append(f"{ind}}}")
            else:
                e = self.expr(t, ctx, 2)
                if e is not None:
                    lines.append(f"{ind}{n} := {e}")
        lines += self.block(ctx, 1, self.r.randint(0, 2), ind)
        while ind != "  ":
            ind = ind[:-2]
            lines.append(f"{ind}}}")
        o.append("init {")
        o += lines
        o.append("}")
        o.append("")

    def actions(self) -> None:
        r = self.r
        o = self.out
        for i in range(self.n_actions):
            ps = self.params(r.randint(0, 2))
            ctx = Ctx(list(ps))
            if r.random() < 0.1:
                o.append(f"@weight({r.randint(1, 20)})")
            o.append(f"action act{i}({', '.join(f'{n}: {show(t)}' for n, t in ps)}) {{")
            o += self.block(ctx, 0, r.randint(1, 3), "  ")
            o.append("}")
        o.append("")

    def hunt_actions(self) -> None:
        """The order-dependent shape of issue 14, in full: a loop over a symmetric sort picks the first
        (or last) value into a slot, another action marks the slotted value in a map. Only while
        "sym-foreach-order" is not avoided."""
        sym = [s for s in self.sorts if s[3]]
        if not sym or "sym-foreach-order" in self.known_bugs or len(self.vars) < 2 or not self.chance(0.6):
            return
        S = show(sym[0])
        (m, mt), (w, _) = self.vars[0], self.vars[1]
        keep = f"if {w} == none {{ {w} := x }}" if self.chance(0.5) else f"{w} := x"
        mark = {"map": f"{m}[x] := " + (f"!{m}[x]" if mt[0] == "map" and mt[2] == BOOL else
                                         f"{m}[x]" if mt[0] == "map" and mt[2][0] != "int" else f"min({m}[x] + 1, 2)"),
                "set": f"{m} := {m} + {{x}}", "opt": f"{m} := x"}[mt[0]]
        self.out += [f"action pick() {{ require {w} == none  foreach x: {S} {{ {keep} }} }}",
                     f"action mark(x: {S}) {{ require {w} == x  {mark}  {w} := none }}", ""]
        if mt[0] == "set":
            self.out.append(f"invariant hunt: size({m}) <= 1")
        elif mt[0] == "map" and mt[2] == BOOL:
            self.out.append(f"invariant hunt: (count y: {S} :: {m}[y]) <= 1")

    def properties(self) -> None:
        r = self.r
        n = max(self.n_props, 1 if "prove-no-properties" in self.known_bugs else 0)
        for i in range(n):
            kind = "invariant" if r.random() < 0.7 else "lemma"
            e = self.fact() if r.random() < 0.5 else self.bool_expr(Ctx(), 0)
            self.out.append(f"{kind} prop{i}: {e}")
        if r.random() < 0.3:
            self.out.append("instance small { K = 1 }")

    def fact(self) -> str:
        """A property that often holds: a bound the types already keep, or a relation to a random one."""
        r = self.r
        n, t = r.choice(self.vars)
        if t[0] == "int":
            e = f"({n} >= {t[1]} && {n} <= {t[2]})"
        elif t[0] == "set":
            e = f"size({n}) <= {t[1][2]}"
        elif t[0] == "seq":
            e = f"len({n}) <= {t[2]}"
        elif t[0] == "map" and t[2][0] == "int":
            b = self.fresh()
            e = f"(forall {b}: {show(t[1])} :: {n}[{b}] <= {t[2][2]})"
        elif t[0] == "opt":
            e = f"({n} == none || {n} != none)"
        else:
            e = "true"
        if r.random() < 0.3:
            e = f"({e} && {self.bool_expr(Ctx(), 1)})"
        elif r.random() < 0.3:
            e = f"({self.bool_expr(Ctx(), 1)} => {e})"
        return e

    def model(self) -> str:
        self._let_types = {}
        self.declarations()
        self.state_vars()
        self.defs_and_procs()
        self.init()
        self.actions()
        self.hunt_actions()
        self.properties()
        return "\n".join(self.out) + "\n"


def generate(rng: random.Random, n_vars: int | None = None, n_actions: int | None = None,
             n_props: int | None = None, max_depth: int = 2, known_bugs=KNOWN_BUG_SHAPES,
             sym_prob: float = 0.5) -> str:
    """The source text of one random well-typed model (knobs left None are drawn from rng)."""
    g = Gen(rng, n_vars=n_vars if n_vars is not None else rng.randint(2, 4),
            n_actions=n_actions if n_actions is not None else rng.randint(1, 3),
            n_props=n_props if n_props is not None else rng.randint(0, 2),
            max_depth=max_depth, known_bugs=known_bugs, sym_prob=sym_prob)
    return g.model()


if __name__ == "__main__":  # print one model: python tests/modelgen.py SEED
    import sys
    print(generate(random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 0)), end="")
