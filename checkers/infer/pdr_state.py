"""The state of the PDR engine: one Z3 constant per leaf of the Z3 encoding's state (checkers/smt), in a
canonical form, and what each leaf means in the language.

The relation `Inv` of the CHC problem takes the state as the flat tuple of its leaves, in the order
`runtime.leaves` lists a state copy's syms (options: present bit then value; seqs: length then slots;
maps: one slot per key; records: fields). The encoding leaves some leaves as don't-cares (the value of
an absent option, the slots of a seq past its length); here they are fixed to one canonical value, so
that a state of the model is exactly one tuple and the inferred invariant never speaks of a value the
language cannot name. Widths are those of fresh state variables; the encoding's successor terms have
widths that follow their intervals and are fitted here (their values lie in the variable's type after
`narrow`, so no bit of meaning is lost).

`layout` gives, per leaf, the language expression for it (a `Leaf`), which pdr_render.py uses to write
the invariant back as lemmas.
"""
from __future__ import annotations

from dataclasses import dataclass

import z3

from checkers.smt.runtime import leaves
from checkers.smt.values import (
    FALSE,
    TRUE,
    Bool,
    MapV,
    RecV,
    Sym,
    cap_of,
    ext,
    int_cmp,
    ival,
    known,
    mk_and,
    set_domain,
    shrink,
    sort_range,
    width_for,
)
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
    contains_symmetric,
    show,
    values,
)


@dataclass(frozen=True)
class Leaf:
    """One leaf of the state: `text` (None: the language has no literal to name it, a symmetric sort)
    is the expression of its value, defined where `live` holds (None: always); elsewhere the leaf holds
    `canon`. `type` is BoolT, IntT, SortT or EnumT; `lo..hi` the values it takes where live."""
    text: str | None
    live: str | None
    type: Type
    lo: int
    hi: int
    canon: int  # False is 0 for Bool leaves

    @property
    def width(self) -> int:
        return 0 if isinstance(self.type, BoolT) else width_for(self.lo, self.hi)


def _canon_of(lo: int, hi: int) -> int:
    return 0 if lo <= 0 <= hi else lo if lo > 0 else hi


def _both(a: str | None, b: str) -> str:
    return b if a is None else f"{a} && {b}"


def layout(t: Type, text: str | None, live: str | None = None) -> list[Leaf]:
    """The leaves of a value of type t whose expression is `text`, valid where `live` holds."""
    if isinstance(t, BoolT):
        return [Leaf(text, live, t, 0, 1, 0)]
    if isinstance(t, (IntT, SortT, EnumT)):
        lo, hi = sort_range(t)
        return [Leaf(None if isinstance(t, SortT) and t.symmetric else text, live, t, lo, hi, _canon_of(lo, hi))]
    if isinstance(t, OptionT):
        inner = known(t.inner)
        some = None if text is None else f"{text} != none"
        return [Leaf(some, live, BoolT(), 0, 1, 0)] + layout(
            inner, None if text is None else f"get({text})", None if some is None else _both(live, some))
    if isinstance(t, SetT):
        named = text is not None and t.elem is not None and not contains_symmetric(t.elem)
        return [Leaf(f"{show(t.elem, d)} in {text}" if named else None, live, BoolT(), 0, 1, 0)
                for d in set_domain(t.elem)]
    if isinstance(t, SeqT):
        cap = cap_of(t)
        out = layout(IntT(0, cap), None if text is None else f"len({text})", live)
        for i in range(cap):
            inside = None if text is None else _both(live, f"len({text}) > {i}")
            out += layout(known(t.elem), None if text is None else f"{text}[{i}]", inside)
        return out
    if isinstance(t, MapT):
        named = text is not None and not contains_symmetric(t.key)
        out = []
        for k in values(t.key):
            out += layout(t.value, f"{text}[{show(t.key, k)}]" if named else None, live)
        return out
    if isinstance(t, RecordT):
        out = []
        for f, ft in t.fields:
            out += layout(ft, None if text is None else f"{text}.{f}", live)
        return out
    raise AssertionError(f"pdr: no layout for {t}")


# ------------------------------------------------------------------ canonical leaf terms
def canonical(x: Sym, t: Type, live: Bool = TRUE) -> list[z3.ExprRef]:
    """The leaf terms of sym x of type t in the canonical form of `layout` (same order, same widths)."""
    if isinstance(t, BoolT):
        return [x if z3.is_true(live) else z3.And(live, x)]
    if isinstance(t, (IntT, SortT, EnumT)):
        lo, hi = sort_range(t)
        c = _canon_of(lo, hi)
        w = width_for(lo, hi)
        v = ext(shrink(x, lo, hi), w)  # the value lies in the type's range (narrowed when stored)
        return [v if z3.is_true(live) else z3.If(live, v, z3.BitVecVal(c, w))]
    if isinstance(t, OptionT):
        inner = known(t.inner)
        p = x.p
        here = mk_and(live, p)
        val = canonical(x.v, inner, here) if x.v is not None else absent(inner)
        return canonical(p, BoolT(), live) + val
    if isinstance(t, SetT):
        dom = set_domain(t.elem)
        have = dict(zip(x.dom, x.bits, strict=True))
        return [canonical(have.get(d, FALSE), BoolT(), live)[0] for d in dom]
    if isinstance(t, SeqT):
        cap = cap_of(t)
        elem = known(t.elem)
        out = canonical(x.n, IntT(0, cap), live)
        for i in range(cap):
            if i < len(x.slots):
                out += canonical(x.slots[i], elem, mk_and(live, int_cmp(">", x.n, ival(i))))
            else:  # the seq can never be this long: the slot is always past its end
                out += absent(elem)
        return out
    if isinstance(t, MapT):
        assert isinstance(x, MapV)
        return [c for s in x.slots for c in canonical(s, t.value, live)]
    if isinstance(t, RecordT):
        assert isinstance(x, RecV)
        return [c for f, (_, ft) in zip(x.fields, t.fields, strict=True) for c in canonical(f, ft, live)]
    raise AssertionError(f"pdr: no canonical form for {t}")


def absent(t: Type) -> list[z3.ExprRef]:
    """The canonical leaves of a value that is not there (under an absent option, past a seq's end)."""
    return [FALSE if isinstance(leaf.type, BoolT) else z3.BitVecVal(leaf.canon, leaf.width) for leaf in layout(t, None)]


def state_leaves(syms: list[Sym]) -> list[z3.ExprRef]:
    """The leaves of a fresh state (fresh variables are canonical where live and free elsewhere)."""
    return [t for x in syms for t in leaves(x)]

