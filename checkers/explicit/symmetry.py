"""Symmetry reduction: canonical representatives of states under permutations of `symmetric` sorts.

The group is the product, over the symmetric sorts S1..Sk of the model, of all permutations of each
sort's values (order n1! * ... * nk!). A permutation g acts on a value by renaming every value of a
symmetric sort inside it: map keys of such a sort move (new[g(k)] = g(old[k])), sets are rebuilt,
sequences, options and records are renamed element-wise. The canonical form of a state s is the image
g(s) with the least order key over the whole group, so two states have the same canonical form exactly
when one is a permutation of the other (full reduction, not a heuristic).

Soundness rests on the language's rules for symmetric sorts (no literals, no ord, no S(i), no order
comparisons) and on the foreach rule of symmetry_rule.py, which together make the transition relation
equivariant and the properties invariant under the group; a model that breaks the foreach rule is
checked without symmetry. The search explores the canonical states; traces are rebuilt on the original
states (see explicit.py).

The canonicaliser is generated Python source: one straight-line block per group element.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from xenmodel import ir
from xenmodel.types import MapT, OptionT, RecordT, SeqT, SetT, SortT, Type, contains_symmetric, key_index, values

from .store import State
from .symmetry_rule import symmetric_sorts, symmetry_unsafe_reasons

Perm = dict[str, tuple[int, ...]]  # noqa: UP040 - sort name -> the image of each of its values

MAX_GROUP = 40320  # 8!: beyond this many permutations the canonicaliser would cost more than it saves


class _Gen:
    def __init__(self) -> None:
        self.ns: dict[str, Any] = {}
        self.n = itertools.count()
        self.lines: list[str] = []

    def fresh(self, p: str) -> str:
        return f"{p}{next(self.n)}"

    def const(self, v: Any) -> str:
        name = self.fresh("_C")
        self.ns[name] = v
        return name

    def perm(self, t: Type | None, e: str, g: Perm) -> str:
        """Expression for the image of value e (of type t) under g (sort name -> image tuple)."""
        if t is None or not contains_symmetric(t):
            return e
        if isinstance(t, SortT):
            return f"{self.const(g[t.name])}[{e}]"
        if isinstance(t, OptionT):
            tmp = self.fresh("_o")
            return f"(None if ({tmp} := {e}) is None else {self.perm(t.inner, tmp, g)})"
        if isinstance(t, SetT):
            x = self.fresh("_x")
            return f"frozenset([{self.perm(t.elem, x, g)} for {x} in {e}])"
        if isinstance(t, SeqT):
            x = self.fresh("_x")
            return f"tuple([{self.perm(t.elem, x, g)} for {x} in {e}])"
        if isinstance(t, RecordT):
            return "(" + "".join(self.perm(ft, f"{e}[{i}]", g) + ", " for i, (_, ft) in enumerate(t.fields)) + ")"
        if isinstance(t, MapT):
            keys = values(t.key)
            # new[j] = g(old[i]) where keys[j] = g(keys[i])
            src = [0] * len(keys)
            for i, k in enumerate(keys):
                src[key_index(t.key, self.apply(t.key, k, g))] = i
            return "(" + "".join(self.perm(t.value, f"{e}[{i}]", g) + ", " for i in src) + ")"
        raise TypeError(f"symmetry: cannot permute a value of type {t}")

    def apply(self, t: Type | None, v: Any, g: Perm) -> Any:
        """The image of a concrete value (for map keys)."""
        if t is None or not contains_symmetric(t):
            return v
        if isinstance(t, SortT):
            return g[t.name][v]
        if isinstance(t, OptionT):
            return None if v is None else self.apply(t.inner, v, g)
        if isinstance(t, RecordT):
            return tuple(self.apply(ft, x, g) for (_, ft), x in zip(t.fields, v, strict=True))
        raise TypeError(f"symmetry: cannot permute a key of type {t}")

    def okey(self, t: Type | None, e: str) -> str:
        """Expression for a totally ordered key of e (None and sets made comparable)."""
        if not _needs_key(t):
            return e
        if isinstance(t, OptionT):
            tmp = self.fresh("_o")
            return f"(() if ({tmp} := {e}) is None else ({self.okey(t.inner, tmp)},))"
        if isinstance(t, SetT):
            x = self.fresh("_x")
            return f"tuple(sorted([{self.okey(t.elem, x)} for {x} in {e}]))"
        if isinstance(t, SeqT):
            x = self.fresh("_x")
            return f"tuple([{self.okey(t.elem, x)} for {x} in {e}])"
        if isinstance(t, RecordT):
            return "(" + "".join(self.okey(ft, f"{e}[{i}]") + ", " for i, (_, ft) in enumerate(t.fields)) + ")"
        if isinstance(t, MapT):
            n = len(values(t.key))
            return "(" + "".join(self.okey(t.value, f"{e}[{i}]") + ", " for i in range(n)) + ")"
        return e


def _needs_key(t: Type | None) -> bool:
    if isinstance(t, (OptionT, SetT)):
        return True
    if isinstance(t, SeqT):
        return t.elem is not None and _needs_key(t.elem)
    if isinstance(t, MapT):
        return _needs_key(t.value)
    if isinstance(t, RecordT):
        return any(_needs_key(ft) for _, ft in t.fields)
    return False


def group_order(sorts: list[SortT]) -> int | None:
    """n1! * ... * nk!, or None when it exceeds MAX_GROUP (computed no further: sort sizes can be huge)."""
    order = 1
    for s in sorts:
        for k in range(2, s.size + 1):
            order *= k
            if order > MAX_GROUP:
                return None
    return order


def make_canonicaliser(model: ir.Model) -> tuple[Callable[[State], State] | None, dict[str, Any] | None]:
    """(canon(state) -> state, info); canon is None when symmetry is off, info["off"] then says why
    (a line for the output); info is None when the model has no symmetric sort."""
    sorts = symmetric_sorts(model)
    if not sorts:
        return None, None
    order = group_order(sorts)
    # the order as a bounded description: the exact number only when it is small
    info: dict[str, Any] = {"sorts": {s.name: s.size for s in sorts},
                            "group_order": order if order is not None else f"more than {MAX_GROUP}"}
    if order is None:
        shape = " * ".join(f"{s.size}!" for s in sorts)
        info["off"] = (f"symmetry off: the group of permutations ({shape}) has more than {MAX_GROUP} elements; "
                       "checked without symmetry")
        return None, info
    unsafe = symmetry_unsafe_reasons(model)
    if unsafe:
        info["off"] = unsafe[0].message()
        return None, info
    gen = _Gen()
    types = [v.type for v in model.vars]
    nv = len(types)
    sym_vars = [i for i, t in enumerate(types) if contains_symmetric(t)]
    L = gen.lines
    L.append("def _canon(_s):")
    unpack = "(" + "".join(f"_s{i}, " for i in range(nv)) + ") = _s"
    L.append(f"    {unpack}")
    # the identity is the first candidate; every other image is compared lazily, variable by variable
    # (lexicographic order of the keys): most images lose on the first variable already
    for i in sym_vars:
        L.append(f"    _b{i} = _s{i}; _bk{i} = {gen.okey(types[i], f'_s{i}')}")
    perms_per_sort = [list(itertools.permutations(range(s.size))) for s in sorts]

    def level(pos: int, g: Perm, indent: str) -> None:
        i = sym_vars[pos]
        y, k = gen.fresh("_y"), gen.fresh("_k")
        L.append(f"{indent}{y} = {gen.perm(types[i], f'_s{i}', g)}")
        L.append(f"{indent}{k} = {gen.okey(types[i], y)}")
        L.append(f"{indent}if {k} < _bk{i}:")
        L.append(f"{indent}    _b{i} = {y}; _bk{i} = {k}")
        for j in sym_vars[pos + 1:]:
            L.append(f"{indent}    _b{j} = {gen.perm(types[j], f'_s{j}', g)}; _bk{j} = {gen.okey(types[j], f'_b{j}')}")
        if pos + 1 < len(sym_vars):
            L.append(f"{indent}elif {k} == _bk{i}:")
            level(pos + 1, g, indent + "    ")

    for combo in itertools.product(*perms_per_sort):
        g = {s.name: p for s, p in zip(sorts, combo, strict=True)}
        if all(p == tuple(range(len(p))) for p in combo):
            continue
        level(0, g, "    ")
    img = "(" + "".join((f"_b{i}" if i in sym_vars else f"_s{i}") + ", " for i in range(nv)) + ")"
    L.append(f"    return {img}")
    src = "\n".join(L) + "\n"
    exec(compile(src, f"<xenmodel-symmetry {model.name}>", "exec"), gen.ns)  # noqa: S102
    return gen.ns["_canon"], info
