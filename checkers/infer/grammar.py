"""The candidate grammar of `xenmodel infer`: atoms over the model's declared types, per scope.

A scope is none, one or two universally quantified variables of the model's sorts (`forall p: PCpu, v: VCpu`);
two of the same sort are distinct (`p != q =>` in front of every candidate). Terms over a scope:

  - a scalar state variable `x`; a map entry `m[k]`, `m[k][j]` indexed by the scope's variables; a
    record field `m[k].f`; one step through a sort-valued term `m2[t]`, `m2[get(t)]` (the latter
    guarded: `t != none` is added in front of the candidate);
  - counts: `(count j: K :: m[j] == v)` for a map to V or V?, `(sum j: K :: count(m[j], v))` for a map
    to seq<V>, `(count j: K :: v in m[j])` for a map to set<V>;
  - totals: `(sum j: K :: t)` for an int term t and `(count j: K :: t)` for a bool term t, t a term of
    the scope plus one more variable j of a sort K (`(sum d: Dom :: pages[d])`, `(count v: VCpu ::
    is_running[v])`); at most MAX_TOTALS per scope;
  - the model's defs: `f(k, ...)` for a def of a bool, sort or enum result (or an option of one),
    its sort parameters given the scope's variables, a bool def's enum parameters each member; first,
    on a budget of their own (MAX_DEF_TERMS calls, MAX_DEF_ATOMS atoms);
  - sort constants: for a sort S that is not symmetric, `m[S(0)]` indexes a map by S's first value when
    the scope has no variable of S (`chan[d][Port(0)].pending`).

Atoms (each with its negation): a bool term; `t == c` for an enum member c, for `none`, for the bounds
of an int range (and 0); `t == k` for a scope variable k of t's sort; `k in s` for a set or seq term;
`len(q) == 0`; counts `== 0`, `== 1`, `<= 1`; `t1 == t2` for two terms of one sort or enum type; for two
bounded integer terms `t1 == t2`, `t1 <= t2` and `t1 == t2 + 1`; `t == S(0)` for a term of a sort S that
is not symmetric; a total `== 0` and `==`, `<=` an integer term of the scope (`total_pages == (sum d:
Dom :: pages[d])`, `(count v: VCpu :: is_running[v]) <= npcpu`). Atoms of a single condition with `if`
arithmetic, `t1 == t2 + (if B then 1 else 0)`, are not listed: the two implications `B => t1 == t2 + 1`
and `!B => t1 == t2` say the same and are candidates already. The atoms of these last families
(constants, totals) come after the others, so MAX_ATOMS keeps the others first.

Candidates are `forall scope :: L` and `forall scope :: L1 => L2` over literals of one scope that mention
every variable of the scope (so `m1[k] == v => m2[v] == k`, ownership and agreement shapes are
implications of two atoms). They are never listed blindly: `filter.py` evaluates the atoms on reachable
states and only the implications that held on every observed state become candidates. Bounds: at most
MAX_TERM_SIZE nodes per term, MAX_ATOMS atoms per scope and `cap` candidates in all (the smallest first).
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from xenmodel import ir
from xenmodel.types import BoolT, EnumT, IntT, MapT, OptionT, RecordT, SeqT, SetT, SortT, Type

MAX_TERM_SIZE = 5  # nodes of one term: a variable, each index, field, get and count counts one
MAX_ATOMS = 120  # atoms of one scope (the implications are quadratic in them)
MAX_INT_SPAN = 64  # int ranges wider than this get only `== 0`
MAX_TOTALS = 12  # sum/count totals of one scope (each is compared with every int term of the scope)
MAX_DEF_TERMS = 24  # calls of the model's defs in one scope
MAX_DEF_ATOMS = 40  # their atoms, on top of MAX_ATOMS
MAX_DEF_ENUM = 8  # an enum parameter of a def is given each member up to this many


@dataclass(frozen=True)
class Binder:
    name: str
    sort: SortT


@dataclass(frozen=True)
class Scope:
    binders: tuple[Binder, ...]

    def prefix(self) -> str:
        if not self.binders:
            return ""
        return "forall " + ", ".join(f"{x.name}: {x.sort.name}" for x in self.binders) + " :: "

    def distinct(self) -> list[str]:
        """Antecedents every candidate of the scope carries: two variables of one sort differ."""
        b = self.binders
        return [f"{b[0].name} != {b[1].name}"] if len(b) == 2 and b[0].sort == b[1].sort else []

    @property
    def same_sort(self) -> bool:
        return len(self.binders) == 2 and self.binders[0].sort == self.binders[1].sort

    def label(self) -> str:
        return ", ".join(f"{x.name}: {x.sort.name}" for x in self.binders) or "(none)"


@dataclass(frozen=True)
class Term:
    text: str
    type: Type
    vars: frozenset[str]
    size: int
    guard: str | None = None  # a term under `get(t)`: defined when the guard holds


@dataclass(frozen=True)
class Atom:
    """A boolean formula of the scope; `neg` is its negation; `guard` (if any) must hold for it to mean
    anything: an observation where the guard is false satisfies every candidate using the atom."""
    pos: str
    neg: str
    vars: frozenset[str]
    size: int
    guard: str | None = None
    subject: str | None = None  # `t` of `t == c` for a constant c: two of one subject never pair up
    flag: bool = False  # a bool term or a bool def's call (candidates.conditioned's conditions)


@dataclass
class ScopeAtoms:
    scope: Scope
    atoms: list[Atom] = field(default_factory=list)


def _paren(t: str) -> str:
    plain = t.replace("_", "").replace(".", "").replace("[", "").replace("]", "").isalnum()
    return t if plain or re.fullmatch(r"\w+\([\w, ]*\)", t) else f"({t})"


class Grammar:
    """The scopes and their atoms for one model (the model's types only: nothing Xen-specific)."""

    def __init__(self, model: ir.Model) -> None:
        self.model = model
        self.taken = _names_in(model)
        self.sorts = _sorts(model)

    def fresh(self, base: str, used: set[str]) -> str:
        for i in itertools.count():
            name = base if i == 0 else f"{base}{i + 1}"
            if name not in self.taken and name not in used:
                used.add(name)
                return name
        raise AssertionError("unreachable")

    def scopes(self) -> list[Scope]:
        out: list[Scope] = [Scope(())]  # the scalar state variables
        for s in self.sorts:
            used: set[str] = set()
            out.append(Scope((Binder(self.fresh(s.name[0].lower(), used), s),)))
        for i, s in enumerate(self.sorts):
            for t in self.sorts[i:]:
                used = set()
                a = Binder(self.fresh(s.name[0].lower(), used), s)
                b = Binder(self.fresh(t.name[0].lower() if t != s else _next_letter(s.name[0].lower()), used), t)
                out.append(Scope((a, b)))
        return out

    def atoms(self, scope: Scope) -> ScopeAtoms:
        terms = self._terms(scope)
        out = ScopeAtoms(scope)
        seen: set[str] = set()
        defs = 0

        def add(a: Atom, cap: int | None = None) -> None:
            if a.pos not in seen and len(out.atoms) < (MAX_ATOMS + defs if cap is None else cap):
                seen.add(a.pos)
                out.atoms.append(a)

        # the model's defs first, on a budget of their own (MAX_DEF_ATOMS more than MAX_ATOMS)
        for t in self._def_terms(scope):
            for a in self._atoms_of(t, scope):
                add(a, MAX_DEF_ATOMS)
        defs = len(out.atoms)
        for t in terms:
            for a in self._atoms_of(t, scope):
                add(a)
        by_type: dict[Type, list[Term]] = {}
        ints: list[Term] = []
        for t in terms:
            if _enumerable_scalar(t.type):
                by_type.setdefault(t.type, []).append(t)
            elif isinstance(t.type, IntT) and t.type.lo is not None and not t.text.startswith("("):
                ints.append(t)
        for group in by_type.values():
            for t1, t2 in itertools.combinations(group, 2):
                if t1.size + t2.size <= MAX_TERM_SIZE + 2:
                    add(_cmp(t1, "==", t2.text, t2.vars, t1.size + t2.size, t2.guard, constant=False))
        # two bounded integers: equal, ordered, one more than the other
        for t1, t2 in itertools.permutations(ints, 2):
            if t1.size + t2.size > MAX_TERM_SIZE + 2:
                continue
            size = t1.size + t2.size
            if t1.text < t2.text:
                add(_cmp(t1, "==", t2.text, t2.vars, size, t2.guard, constant=False))
                add(Atom(f"{t1.text} <= {t2.text}", f"{t1.text} > {t2.text}", t1.vars | t2.vars, size,
                         _guards(t1, t2)))
            add(_cmp(t1, "==", f"{t2.text} + 1", t2.vars, size + 1, t2.guard, constant=False))
        # totals against 0 and against every int term (counts included) of the scope
        others = ints + [t for t in terms if isinstance(t.type, IntT) and t.text.startswith("(")]
        for tot in self._totals(scope):
            add(_cmp(tot, "==", "0", frozenset(), tot.size + 1))
            for t in others:
                if t.guard is None:
                    add(_cmp(t, "==", tot.text, tot.vars, t.size + tot.size, constant=False))
                    add(Atom(f"{tot.text} <= {t.text}", f"{tot.text} > {t.text}", t.vars | tot.vars,
                             t.size + tot.size))
        # sort constants last: `t == S(0)`, and maps indexed by S(0)
        for t in terms + self._constant_terms(scope):
            for a in self._constant_atoms(t, scope):
                add(a)
        return out

    # -------------------------------------------------------------- terms
    def _terms(self, scope: Scope) -> list[Term]:
        base: list[Term] = []
        for v in self.model.vars:
            base.extend(self._expand(Term(v.name, v.type, frozenset(), 1), scope, deref=True))
        counts = self._counts(scope)
        return base + counts

    def _def_terms(self, scope: Scope) -> list[Term]:
        """The model's own defs as terms: `f(k, ...)` for a def whose result is bool, a sort, an enum or an
        option of one, and whose parameters are sorts (given the scope's variables of that sort) or, for a
        bool def, enums of at most MAX_DEF_ENUM members (given each member: `code_is(SD_SUSPEND)`); the
        defs that take a sort of the scope first, at most MAX_DEF_TERMS per scope."""
        named: dict[str, Type] = {"bool": BoolT()}
        for t in self.model.types:
            if isinstance(t, (SortT, EnumT)):
                named[t.name] = t
                named[f"{t.name}?"] = OptionT(t)
        out: list[Term] = []
        # defs of the scope's sorts first, then the others (a def of no parameter reads the state alone)
        helpers = sorted(self.model.helpers, key=lambda h: not any(f": {b.sort.name}" in h[2] for b in scope.binders))
        for kind, name, sig, _, _ in helpers:
            params_text, _, result = sig.rpartition("): ")
            rtype = named.get(result)
            if kind != "def" or rtype is None:
                continue
            choices: list[list[str]] = []
            for param in filter(None, params_text.lstrip("(").split(", ")):
                ptype = named.get(param.partition(": ")[2])
                if isinstance(ptype, SortT):
                    choices.append([b.name for b in scope.binders if b.sort == ptype])
                elif isinstance(ptype, EnumT) and len(ptype.members) <= MAX_DEF_ENUM and isinstance(rtype, BoolT):
                    choices.append(list(ptype.members))
                else:
                    choices.append([])
            binder_names = {b.name for b in scope.binders}
            for args in itertools.product(*choices):
                vars_ = frozenset(a for a in args if a in binder_names)
                if len(scope.binders) > 1 and not vars_:
                    continue  # a smaller scope has it
                if len(out) >= MAX_DEF_TERMS:
                    return out
                out.append(Term(f"{name}({', '.join(args)})", rtype, vars_, 1 + len(args)))
        return out

    def _expand(self, t: Term, scope: Scope, deref: bool, const: bool = False) -> list[Term]:
        """t itself (when it is not a map) and every term reached from it by indexing and fields; with
        `const`, the terms indexed by one sort constant S(0) (only where the scope has no S variable)."""
        if t.size > MAX_TERM_SIZE:
            return []
        ty = t.type
        out: list[Term] = []
        if isinstance(ty, MapT):
            keys = [b.name for b in scope.binders if b.sort == ty.key]
            if const and not keys and isinstance(ty.key, SortT) and not ty.key.symmetric:
                out.extend(self._expand(Term(f"{t.text}[{ty.key.name}(0)]", ty.value, t.vars, t.size + 1, t.guard),
                                        scope, deref=False, const=False))
            for k in keys:
                out.extend(self._expand(Term(f"{t.text}[{k}]", ty.value, t.vars | {k}, t.size + 1, t.guard),
                                        scope, deref, const))
            return out
        if isinstance(ty, RecordT):
            for fname, ftype in ty.fields:
                out.extend(self._expand(Term(f"{t.text}.{fname}", ftype, t.vars, t.size + 1, t.guard), scope, deref,
                                        const))
            return out
        if const:
            return out  # only the terms through a constant index are asked for
        out.append(t)
        if deref and t.guard is None:
            inner, opt = (ty.inner, True) if isinstance(ty, OptionT) else (ty, False)
            if isinstance(inner, SortT):
                for v in self.model.vars:
                    if isinstance(v.type, MapT) and v.type.key == inner:
                        key = f"get({t.text})" if opt else t.text
                        out.extend(self._expand(Term(f"{v.name}[{key}]", v.type.value, t.vars, t.size + 2,
                                                     f"{t.text} != none" if opt else None), scope, deref=False))
        return out

    def _constant_terms(self, scope: Scope) -> list[Term]:
        """The terms through one sort-constant index (`m[S(0)]`, `m[k][S(0)].f`)."""
        out: list[Term] = []
        for v in self.model.vars:
            out.extend(self._expand(Term(v.name, v.type, frozenset(), 1), scope, deref=False, const=True))
        return out

    def _constant_atoms(self, t: Term, scope: Scope) -> list[Atom]:
        """`t == S(0)` for a term of a non-symmetric sort; every atom of a term through a constant index."""
        inner = t.type.inner if isinstance(t.type, OptionT) else t.type
        out: list[Atom] = []
        if isinstance(inner, SortT) and not inner.symmetric and inner.size > 1:
            out.append(_cmp(t, "==", f"{inner.name}(0)", frozenset(), t.size + 1))
        if "(0)]" in t.text:
            out.extend(self._atoms_of(t, scope))
        return out

    def _totals(self, scope: Scope) -> list[Term]:
        """`(sum j: K :: t)` and `(count j: K :: t)` over one more variable j (scopes of at most one)."""
        if len(scope.binders) > 1:
            return []
        out: list[Term] = []
        names = {b.name for b in scope.binders}
        for s in self.sorts:
            j = Binder(self.fresh(s.name[0].lower(), set(names)), s)
            wider = Scope(scope.binders + (j,))
            for v in self.model.vars:
                for t in self._expand(Term(v.name, v.type, frozenset(), 1), wider, deref=False):
                    if j.name not in t.vars or t.guard is not None or t.size > MAX_TERM_SIZE - 1:
                        continue
                    if isinstance(t.type, IntT):
                        op = "sum"
                    elif isinstance(t.type, BoolT):
                        op = "count"
                    else:
                        continue
                    out.append(Term(f"({op} {j.name}: {s.name} :: {t.text})", IntT(0, None), t.vars - {j.name},
                                    t.size + 1))
                    if len(out) >= MAX_TOTALS:
                        return out
        return out

    def _counts(self, scope: Scope) -> list[Term]:
        out: list[Term] = []
        for b in scope.binders:
            for v in self.model.vars:
                ty = v.type
                if not (isinstance(ty, MapT) and isinstance(ty.key, SortT)):
                    continue
                j = self.fresh(ty.key.name[0].lower(), {x.name for x in scope.binders})
                val = ty.value
                inner = val.inner if isinstance(val, OptionT) else val
                vars_ = frozenset({b.name})
                if inner == b.sort:
                    out.append(Term(f"(count {j}: {ty.key.name} :: {v.name}[{j}] == {b.name})", IntT(0, ty.key.size),
                                    vars_, 3))
                elif isinstance(val, SeqT) and val.elem == b.sort:
                    out.append(Term(f"(sum {j}: {ty.key.name} :: count({v.name}[{j}], {b.name}))", IntT(0, None),
                                    vars_, 3))
                elif isinstance(val, SetT) and val.elem == b.sort:
                    out.append(Term(f"(count {j}: {ty.key.name} :: {b.name} in {v.name}[{j}])", IntT(0, ty.key.size),
                                    vars_, 3))
        return out

    # -------------------------------------------------------------- atoms
    def _atoms_of(self, t: Term, scope: Scope) -> list[Atom]:
        ty = t.type
        out: list[Atom] = []
        if isinstance(ty, BoolT):
            out.append(Atom(t.text, f"!{_paren(t.text)}", t.vars, t.size, t.guard, flag=True))
        elif isinstance(ty, EnumT):
            for m in ty.members:
                out.append(_cmp(t, "==", m, frozenset(), t.size + 1))
        elif isinstance(ty, IntT):
            if t.text.startswith("("):  # a count
                for c in (0, 1):
                    out.append(_cmp(t, "==", str(c), frozenset(), t.size + 1))
                out.append(Atom(f"{t.text} <= 1", f"{t.text} > 1", t.vars, t.size + 1, t.guard))
            elif ty.lo is not None and ty.hi is not None:
                consts = [ty.lo, ty.hi] if ty.hi - ty.lo <= MAX_INT_SPAN else []
                if ty.lo < 0 < ty.hi:
                    consts.append(0)
                for c in sorted(set(consts)):
                    out.append(_cmp(t, "==", str(c), frozenset(), t.size + 1))
        elif isinstance(ty, OptionT):
            out.append(_cmp(t, "==", "none", frozenset(), t.size + 1))
            if isinstance(ty.inner, SortT):
                out.extend(_cmp(t, "==", b.name, frozenset({b.name}), t.size + 1)
                           for b in scope.binders if b.sort == ty.inner)
        elif isinstance(ty, SortT):
            out.extend(_cmp(t, "==", b.name, frozenset({b.name}), t.size + 1) for b in scope.binders if b.sort == ty)
        elif isinstance(ty, (SetT, SeqT)):
            for b in scope.binders:
                if ty.elem == b.sort:
                    atom = f"{b.name} in {t.text}"
                    out.append(Atom(atom, f"!({atom})", t.vars | {b.name}, t.size + 1, t.guard))
            size = "size" if isinstance(ty, SetT) else "len"
            out.append(_cmp(Term(f"{size}({t.text})", IntT(0, None), t.vars, t.size + 1, t.guard), "==", "0",
                            frozenset(), t.size + 2))
        return out


def _cmp(t: Term, op: str, other: str, other_vars: frozenset[str], size: int, other_guard: str | None = None,
         constant: bool = True) -> Atom:
    guard = t.guard if other_guard is None or other_guard == t.guard else (
        other_guard if t.guard is None else f"{t.guard} && {other_guard}")
    return Atom(f"{t.text} {op} {other}", f"{t.text} {'!=' if op == '==' else '=='} {other}", t.vars | other_vars,
                size, guard, t.text if constant and not other_vars else None)


def _guards(t1: Term, t2: Term) -> str | None:
    gs = [g for g in (t1.guard, t2.guard) if g]
    return " && ".join(dict.fromkeys(gs)) or None


def _enumerable_scalar(t: Type) -> bool:
    return isinstance(t, (SortT, EnumT)) or (isinstance(t, OptionT) and isinstance(t.inner, (SortT, EnumT)))


def _next_letter(c: str) -> str:
    return chr(ord(c) + 1) if c < "z" else "a"


def _sorts(model: ir.Model) -> list[SortT]:
    """The sorts state variables are indexed by or hold, in declaration order (types), larger than one."""
    out: list[SortT] = []
    for t in model.types:
        if isinstance(t, SortT) and t.size > 1 and t not in out:
            out.append(t)
    return out


def _names_in(model: ir.Model) -> set[str]:
    """Names a binder may not take: variables, constants, enum members, sort values, defs, actions."""
    names = {v.name for v in model.vars} | {c for c, _ in model.consts} | {a.name for a in model.actions}
    names |= {h[1] for h in model.helpers} | {p.name for p in model.properties}
    for t in model.types:
        if isinstance(t, EnumT):
            names |= set(t.members)
        elif isinstance(t, SortT):
            names |= {f"{t.prefix}{i}" for i in range(t.size)} | {t.name}
        elif isinstance(t, RecordT):
            names.add(t.name)
    return names
