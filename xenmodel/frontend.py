"""The pipeline in one call: file -> loaded declarations -> instance bound -> checked IR.

`load_model(path, instance=None, consts={})` is what the CLI, the tests and every engine's
front door use. It raises DiagnosticError (never another exception) for a bad model or binding.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import ir
from .diagnostics import Diagnostic, DiagnosticError, Note
from .front import Checker
from .limits import DEFAULT, MAX_DIGITS, Limits
from .loader import Loaded, load
from .products import check_products
from .semantics import ModelError, eval_closed
from .source import Span

_CONST_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(-?[0-9]+|true|false)$")


@dataclass
class Bound:
    model: ir.Model
    warnings: list[Diagnostic]
    loaded: Loaded  # the declarations the model was checked from (for `explain`)


def parse_const_options(items: list[str] | tuple[str, ...]) -> dict[str, int | bool]:
    """`--const K=V` strings -> values. Raises DiagnosticError (XM304) on a malformed item."""
    out: dict[str, int | bool] = {}
    diags = []
    for item in items:
        m = _CONST_RE.match(item.replace(" ", ""))
        if not m:
            diags.append(Diagnostic("XM304", f"--const {item!r} is not of the form NAME=VALUE", None,
                                    help="e.g. --const NPCPU=3 or --const BUG=true (integers and booleans only)"))
            continue
        raw = m.group(2)
        if len(raw.lstrip("-")) > MAX_DIGITS:
            diags.append(Diagnostic("XM304", f"--const {m.group(1)} has {len(raw.lstrip('-'))} digits; the limit is "
                                             f"{MAX_DIGITS}", None, help="give a smaller integer"))
            continue
        out[m.group(1)] = True if raw == "true" else False if raw == "false" else int(raw)
    if diags:
        raise DiagnosticError(diags)
    return out


def _instance_values(loaded: Loaded, name: str | None, limits: Limits
                     ) -> tuple[str | None, dict[str, int | bool], dict[str, Span | None]]:
    """The instance's name, its constant values, and the span of each binding."""
    if name is None:
        if "default" in loaded.instances and "default" not in loaded.ambiguous:
            name = "default"
        else:
            return None, {}, {}
    if name in loaded.ambiguous:
        decls = loaded.ambiguous[name]
        raise DiagnosticError([Diagnostic(
            "XM306", f"instance `{name}` is declared by more than one included file", decls[0].meta.name_span,
            tuple(Note("also declared here", d.meta.name_span) for d in decls[1:]),
            help=f"declare `instance {name} {{ ... }}` in {loaded.root} to say which values to use")])
    inst = loaded.instances.get(name)
    if inst is None:
        names = sorted(loaded.instances)
        raise DiagnosticError([Diagnostic(
            "XM301", f"no instance named `{name}` in {loaded.root}", None,
            help=f"declared instances: {', '.join(names)}" if names else "the model declares no instances")])
    values: dict[str, int | bool] = {}
    diags = []
    checker = Checker(loaded, {}, None, limits=limits)
    for b in inst.bindings:
        expr = checker.expr(b.value, checker.globals, None, const_only=True)
        if checker.diags:
            diags.extend(checker.diags)
            checker.diags = []
            continue
        try:
            values[b.name] = eval_closed(expr)
        except ModelError as err:
            diags.append(Diagnostic("XM307", f"cannot evaluate `{b.name}`: {err.message}", b.value.span))
    if diags:
        raise DiagnosticError(diags)
    return name, values, {b.name: b.span for b in inst.bindings}


def load_model(path: str, instance: str | None = None, consts: dict[str, int | bool] | None = None,
               text: str | None = None, extra: tuple[str, ...] = (), limits: Limits = DEFAULT,
               root: str | None = None) -> Bound:
    """Parse, include, bind the instance and the --const overrides, check, and lower to IR.

    `extra` files are read as if the root file included them at its end (how `prove --lemmas`
    adds a proofs/ file's lemmas to a spec; the lemma file's own include of the spec counts once).
    `limits` are the size limits (xenmodel/limits.py); includes stay under `root` (loader.project_root).
    """
    loaded = load(path, text, extra, root=root, limits=limits)
    inst_name, values, spans = _instance_values(loaded, instance, limits)
    for name in consts or {}:
        spans.pop(name, None)
    values.update(consts or {})
    checker = Checker(loaded, values, inst_name, spans, limits)
    model = checker.run()
    products = check_products(model, limits)
    if products:
        raise DiagnosticError(products)
    return Bound(model, [d for d in checker.diags if d.severity != "error"], loaded)

