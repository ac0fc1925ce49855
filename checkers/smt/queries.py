"""The proof obligations of `xenmodel prove` (engine `induction`), as a list: what is asked, in which order,
under which assumptions, over which variables. Pure IR: no solver here, so other tools (certificates)
can enumerate the same obligations and discharge them their own way.

`obligations(model)` gives them in the proof's order, which is the order results are reported in:

  1. ("init-errors")             unsat: no path of the init block raises a model error or fails an assert;
  2. ("some-initial-state")      SAT expected: the init block has an initial state (unsat is a violation:
                                 no initial state);
  3. ("initiation", P)           unsat: init /\\ not P, for every property P in model order;
  4. per action A in model order:
     ("consecution-errors", A)   unsat: assumed(pre) /\\ some step of A from pre raises;
     ("consecution", A, P)       unsat: assumed(pre) /\\ a step of A from pre to post completes /\\ not P(post),
                                 for every property P in model order.

"not P" includes "evaluating P raises". `assumed` names the properties the query assumes in the
pre-state (every property holds and evaluates without raising there); for consecution(A, P) it always
contains P. `skipped` marks a consecution that the frame argument discharges (A writes nothing P
reads; slicing.py says why that is sound): it is not asked. With `slicing` on, `assumed` and `vars` are
the cone of influence of the query (slicing.py); off, every property and every variable.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from xenmodel import ir

from .slicing import Footprint

Kind = Literal["init-errors", "some-initial-state", "initiation", "consecution-errors", "consecution"]


@dataclass(frozen=True)
class Obligation:
    index: int  # position in the proof's order
    kind: Kind
    action: str | None  # the consecution kinds
    prop: str | None  # initiation and consecution: the property to prove
    assumed: tuple[str, ...]  # properties assumed in the pre-state (consecution kinds), in model order
    vars: tuple[str, ...]  # state variables the query encodes, in model order (every one for init kinds)
    skipped: bool = False  # discharged by the frame argument, not asked
    sliced: bool = False  # `assumed` or `vars` leave something of the model out

    @property
    def label(self) -> str:
        """Short name: "initiation P", "consecution A / P", "consecution A / errors", ..."""
        match self.kind:
            case "init-errors":
                return "init block / model errors and asserts"
            case "some-initial-state":
                return "init block / some initial state"
            case "initiation":
                return f"initiation {self.prop}"
            case "consecution-errors":
                return f"consecution {self.action} / model errors and asserts"
            case "consecution":
                return f"consecution {self.action} / {self.prop}"


def obligations(model: ir.Model, *, frame: bool = True, slicing: bool = True) -> tuple[Obligation, ...]:
    """Every obligation of the induction proof of `model`, in order (see the module comment)."""
    fp = Footprint.of(model)
    names = [v.name for v in model.vars]
    every_var = tuple(names)
    props = [p.name for p in model.properties]
    every_prop = tuple(props)
    out: list[Obligation] = []

    def add(kind: Kind, action: str | None = None, prop: str | None = None, assumed: tuple[str, ...] = (),
            vars: tuple[str, ...] = every_var, skipped: bool = False) -> None:
        sliced = len(vars) < len(every_var) or (kind.startswith("consecution") and len(assumed) < len(every_prop))
        out.append(Obligation(len(out), kind, action, prop, assumed, vars, skipped, sliced and not skipped))

    def cone(seed: frozenset[int]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if not slicing:
            return every_prop, every_var
        vs, ps = fp.cone(seed)
        return tuple(props[i] for i in ps), tuple(names[i] for i in sorted(vs))

    add("init-errors")
    add("some-initial-state")
    for p in props:
        add("initiation", prop=p)
    for a, action in enumerate(model.actions):
        seed = fp.action_seed(a)
        assumed, vs = cone(seed)
        add("consecution-errors", action.name, None, assumed, vs)
        for i, p in enumerate(props):
            if frame and fp.frame_skips(a, i):
                add("consecution", action.name, p, (p,), tuple(names[j] for j in sorted(fp.prop_reads[i])), True)
                continue
            assumed, vs = cone(seed | fp.prop_reads[i])
            add("consecution", action.name, p, assumed, vs)
    return tuple(out)
