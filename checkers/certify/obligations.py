"""The proof obligations of `xenmodel prove` (engine induction), listed from the IR.

The same list as the prover's queries (checkers/smt/induction.py), in the same order:
  init:errors      the init block raises no model error and no failed assert     (expected unsat)
  init:exists      some initial state exists                                     (expected sat)
  init/P           every initial state satisfies P (initiation)                  (expected unsat)
  A:errors         from a state satisfying every property, no step of A raises   (expected unsat)
  A/P              from a state satisfying every property, no step of A breaks P (expected unsat)
Each one is a formula whose satisfying assignments are counterexamples, so "holds" is unsat (except
init/exists, whose unsat would mean that the model has no initial state).
`query` is the prover's name for the same query (the phase of its progress updates), which is how
`prove --certify` records the prover's verdict next to each obligation.
"""
from __future__ import annotations

from dataclasses import dataclass

from xenmodel import ir

KINDS = ("init-errors", "init-exists", "initiation", "errors", "consecution")


@dataclass(frozen=True)
class Obligation:
    id: str
    kind: str
    action: str | None
    prop: str | None
    expected: str  # "unsat" or "sat"
    query: str  # the prover's label of the same query

    def describe(self) -> str:
        return {
            "init-errors": "the init block raises no model error and no failed assert",
            "init-exists": "some initial state exists (expected sat: a model with an initial state)",
            "initiation": f"every initial state satisfies {self.prop}",
            "errors": f"from any state satisfying every property, no step of {self.action} raises a model "
                      "error or a failed assert",
            "consecution": f"from any state satisfying every property, no step of {self.action} breaks "
                           f"{self.prop}",
        }[self.kind]


ERRORS = "model errors and asserts"


def obligations(model: ir.Model) -> list[Obligation]:
    out = [Obligation("init:errors", "init-errors", None, None, "unsat", f"init block: {ERRORS}"),
           Obligation("init:exists", "init-exists", None, None, "sat", "init block: some initial state")]
    out += [Obligation(f"init/{p.name}", "initiation", None, p.name, "unsat", f"initiation {p.name}")
            for p in model.properties]
    for a in model.actions:
        out.append(Obligation(f"{a.name}:errors", "errors", a.name, None, "unsat", f"consecution {a.name} / {ERRORS}"))
        out += [Obligation(f"{a.name}/{p.name}", "consecution", a.name, p.name, "unsat",
                           f"consecution {a.name} / {p.name}") for p in model.properties]
    return out
