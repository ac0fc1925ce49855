"""What one proof obligation needs: the frame argument and the cone of influence (pure IR, no solver).

The frame argument. A consecution query asks: from a pre-state where every assumed property holds, can
one step of action A break property P? P is always among the assumed properties, so P holds in the
pre-state. A property's value (and whether evaluating it raises) is a function of the state variables
it reads and of the constants only. If A assigns none of those variables, they are unchanged in the
post-state, so P still holds there: the query is unsat without asking it. "Assigns" is
`ir_walk.vars_written`: every `Assign` under the action's body, including writes through map or seq
indices and record fields (the written variable is the root of the target), writes inside `foreach`,
`if` and `choose` bodies, and writes made by procs (the front end inlines defs and procs, hooks
included, so the IR has no calls). Only an `Assign` changes the state in the reference semantics.

The cone of influence. A query encodes the variables the target reads, the action reads and writes
(`seed`), and assumes in the pre-state the properties whose variables meet that set, closed under
sharing: a property that reads a variable of the cone brings all its variables in, which may bring
more properties in, to a fixpoint. Dropping a property from the assumptions is sound for "holds": the
query then has fewer constraints, so an unsat sliced query is unsat unsliced too. Variables outside the
cone are read by nothing the query contains, so they need no encoding. Dropping assumptions can only
turn an unsat query into a sat one when the dropped properties (which share no variable with the cone)
contradict each other; the engine therefore re-asks a sat sliced query unsliced before it reports a
counterexample to induction (see induction.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from xenmodel import ir
from xenmodel.ir_walk import vars_read, vars_written


@dataclass(frozen=True)
class Footprint:
    """The variables each property reads and each action reads and writes (indices), computed once."""
    prop_reads: tuple[frozenset[int], ...]  # by position in model.properties
    action_reads: tuple[frozenset[int], ...]  # by position in model.actions
    action_writes: tuple[frozenset[int], ...]

    @staticmethod
    def of(model: ir.Model) -> Footprint:
        return Footprint(tuple(vars_read(p.expr) for p in model.properties),
                         tuple(vars_read(a.body) for a in model.actions),
                         tuple(vars_written(a.body) for a in model.actions))

    def frame_skips(self, action: int, prop: int) -> bool:
        """Does the frame argument discharge consecution(action, prop)? (the action writes nothing the
        property reads; see the module comment for why that is sound)"""
        return not (self.action_writes[action] & self.prop_reads[prop])

    def cone(self, seed: frozenset[int]) -> tuple[frozenset[int], tuple[int, ...]]:
        """(variables, assumed properties by position): the fixpoint of adding every property that
        reads a variable of the cone, and its variables."""
        cone = set(seed)
        assumed: set[int] = set()
        grew = True
        while grew:
            grew = False
            for i, reads in enumerate(self.prop_reads):
                if i not in assumed and reads & cone:
                    assumed.add(i)
                    if not reads <= cone:
                        cone |= reads
                        grew = True
        return frozenset(cone), tuple(sorted(assumed))

    def action_seed(self, action: int) -> frozenset[int]:
        return self.action_reads[action] | self.action_writes[action]
