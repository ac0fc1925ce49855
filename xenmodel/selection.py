"""Choosing properties (`--inv NAME`, `--skip NAME`): one selection on the IR, so no engine changes.

`select(model, inv, skip, keep_lemmas)` returns a new `ir.Model` holding only the chosen invariants,
lemmas and temporal properties, and the names checked and skipped. Patterns are fnmatch globs matched
against property names; `inv` empty means every property; `skip` wins over `inv`. A pattern that
matches no property is an error (XM704) listing the names there are: a typo must not silently check
nothing.

What a selection never removes: asserts, model errors, deadlock (when on) and the init block are part
of the transitions, not properties, and are checked whatever is chosen.

`keep_lemmas` is for `prove`: the induction engine uses every property both as a goal and as an
assumption of the pre-state, with no way to assume one without proving it. Dropping a lemma would
stay sound (a subset of properties proved inductive is proved) but would weaken the assumptions the
lemma files are written to give, so under `prove` --inv chooses among the invariants and every lemma
stays (proved as well); only an explicit --skip removes a lemma.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fnmatch import fnmatchcase

from . import ir
from .diagnostics import Diagnostic, DiagnosticError


@dataclass(frozen=True)
class Selection:
    model: ir.Model  # the model with only the checked properties
    checked: tuple[str, ...]
    skipped: tuple[str, ...]
    asked: bool = False  # --inv or --skip was given: the output then names what was checked and skipped


def select(model: ir.Model, inv: tuple[str, ...] = (), skip: tuple[str, ...] = (),
           keep_lemmas: bool = False) -> Selection:
    names = [p.name for p in model.properties] + [t.name for t in model.temporals]
    unmatched = [(flag, pat) for flag, pats in (("--inv", inv), ("--skip", skip)) for pat in pats
                 if not any(fnmatchcase(n, pat) for n in names)]
    if unmatched:
        raise DiagnosticError([Diagnostic(
            "XM704", f"{flag} {pat}: no property of model `{model.name}` matches", None,
            help=("the properties are: " + ", ".join(names)) if names else "the model has no property")
            for flag, pat in unmatched])

    def wanted(p: ir.Property | ir.Temporal) -> bool:
        if any(fnmatchcase(p.name, pat) for pat in skip):
            return False
        if not inv or (keep_lemmas and isinstance(p, ir.Property) and p.kind == "lemma"):
            return True
        return any(fnmatchcase(p.name, pat) for pat in inv)

    kept = tuple(p for p in model.properties if wanted(p))
    temporals = tuple(t for t in model.temporals if wanted(t))
    everything: tuple[ir.Property | ir.Temporal, ...] = (*model.properties, *model.temporals)
    checked = tuple(p.name for p in everything if wanted(p))
    skipped = tuple(p.name for p in everything if not wanted(p))
    return Selection(dataclasses.replace(model, properties=kept, temporals=temporals), checked, skipped,
                     bool(inv or skip))
