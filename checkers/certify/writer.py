"""Certificates on disk: one SMT-LIB 2 file per proof obligation, and manifest.json.

Each file is self-contained (declarations, definitions, assertions, `(check-sat)`) and says in a comment
header which obligation it is. The common parts are encoded once and copied: the init block for the
initiation files; the pre-state, the properties assumed in it, then one action, for that action's files.
An obligation the encoder cannot write gets no file: the manifest says "not certifiable: <construct> at
<file:line>" for it, and `xenmodel certify` reports it as not checked.

The manifest: format, xenmodel version, model path, instance, constants, the prover's status, and per
obligation its id, kind, action, property, file, expected status, the file's sha256 and the prover's
verdict on the same query ("sat", "unsat", "unknown", or null when the prover did not ask it).
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from xenmodel import __version__, ir
from xenmodel import semantics as S
from xenmodel.result import ProgressUpdate

from .obligations import Obligation, obligations
from .smtlib import NotCertifiable, Script
from .stmts import Run, Stmts

FORMAT = "xenmodel-certificates/1"
MANIFEST = "manifest.json"


class Verdicts:
    """A progress callback for the prover that remembers each query's answer by its label (and passes
    every update on to the display, if there is one)."""

    def __init__(self, inner: Callable[[Any], None] | None = None) -> None:
        self.inner = inner
        self.by_query: dict[str, str] = {}

    def __call__(self, update: ProgressUpdate | str) -> None:
        if isinstance(update, ProgressUpdate) and update.message:
            answer = update.message.split(" ", 1)[0]
            if answer in ("sat", "unsat", "unknown"):
                # "init block: ..." and "init block / ...": the prover's two spellings of its init queries
                self.by_query[update.phase.replace("init block / ", "init block: ")] = answer
        if self.inner is not None:
            self.inner(update)


def _header(model: ir.Model, ob: Obligation) -> str:
    consts = ", ".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in model.consts) or "(none)"
    assumed = ", ".join(f"{p.kind} {p.name}" for p in model.properties) or "(none)"
    lines = [f"xenmodel {__version__} proof obligation {ob.id} ({ob.kind})",
             f"model: {model.name} ({model.path}), instance: {model.instance or '(declared values)'}",
             f"constants: {consts}",
             f"claim: {ob.describe()}",
             f"expected: {ob.expected} (a satisfying assignment is a counterexample)" if ob.expected == "unsat"
             else f"expected: {ob.expected}"]
    if ob.kind in ("errors", "consecution"):
        lines.append(f"assumed in the pre-state (all properties, lemmas included): {assumed}")
    if ob.action:
        lines.append(f"action: {ob.action}")
    if ob.prop:
        lines.append(f"property: {ob.prop}")
    return "\n".join(lines)


def _render(model: ir.Model, ob: Obligation, s: Script) -> str:
    head = Script()
    head.comment(_header(model, ob))
    logic = "QF_NIA" if s.nonlinear else "QF_LIA"
    return (head.text() + "(set-info :smt-lib-version 2.6)\n" + f"(set-logic {logic})\n"
            + f"(set-info :status {ob.expected})\n" + s.text() + "(check-sat)\n(exit)\n")


def _scripts(model: ir.Model) -> dict[str, Script | NotCertifiable]:
    """Each obligation's script (or why it has none)."""
    props = {p.name: p for p in model.properties}
    out: dict[str, Script | NotCertifiable] = {}
    obs = obligations(model)
    # initiation: the init block once, then per obligation its own assertion
    try:
        base = Script("$i")
        run = Stmts(base, model).init()
        for ob in obs:
            if ob.action is not None:
                continue
            s = base.fork(f"$i{len(out)}_")
            if ob.kind == "init-errors":
                s.assert_(run.err_any())
            elif ob.kind == "init-exists":
                s.assert_(run.en)
            else:
                s.assert_(run.en)
                s.assert_(Stmts(s, model).bad(props[str(ob.prop)], run.post))
            out[ob.id] = s
    except NotCertifiable as err:
        out.update({ob.id: err for ob in obs if ob.action is None})
    # consecution: the pre-state and the properties assumed in it once, then per action
    try:
        pre_s = Script("$pre")
        enc = Stmts(pre_s, model)
        pre = enc.state("pre")
        for p in model.properties:
            pre_s.assert_(f"(not {enc.bad(p, pre)})")
    except NotCertifiable as err:
        out.update({ob.id: err for ob in obs if ob.action is not None})
        return out
    for ai, a in enumerate(model.actions):
        mine = [ob for ob in obs if ob.action == a.name]
        try:
            act_s = pre_s.fork(f"$a{ai}_")
            run2: Run = Stmts(act_s, model).action(a, pre)
            for ob in mine:
                s = act_s.fork(f"$a{ai}_{len(out)}_")
                if ob.kind == "errors":
                    s.assert_(run2.err_any())
                else:
                    s.assert_(run2.en)
                    s.assert_(Stmts(s, model).bad(props[str(ob.prop)], run2.post))
                out[ob.id] = s
        except NotCertifiable as err:
            out.update({ob.id: err for ob in mine})
    return out


def _remove_old(d: Path) -> None:
    """The files an earlier manifest in d lists (and only those): certificates of another run must not
    linger next to the new ones."""
    try:
        old = json.loads((d / MANIFEST).read_text(encoding="utf-8"))
        names = [e.get("file") for e in old["obligations"]] if old.get("format") == FORMAT else []
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return
    for name in names:
        if isinstance(name, str) and Path(name).name == name and name.endswith(".smt2"):
            (d / name).unlink(missing_ok=True)


def _file_name(i: int, ob: Obligation) -> str:
    return f"{i:05d}-{ob.id.replace('/', '--').replace(':', '-')}.smt2"


def write(model: ir.Model, directory: str | os.PathLike[str], verdicts: Mapping[str, str] | None = None,
          prover_status: str | None = None) -> dict[str, Any]:
    """Write every obligation's file and the manifest into `directory` (created if missing); returns
    the manifest. verdicts: the prover's answers by query label (Verdicts.by_query)."""
    started = time.perf_counter()
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    _remove_old(d)
    with S.recursion_headroom(model):
        scripts = _scripts(model)
    entries = []
    for i, ob in enumerate(obligations(model)):
        entry: dict[str, Any] = {"id": ob.id, "kind": ob.kind, "action": ob.action, "property": ob.prop,
                                 "expected": ob.expected, "prover": (verdicts or {}).get(ob.query),
                                 "file": None, "sha256": None, "not_certifiable": None}
        s = scripts[ob.id]
        if isinstance(s, NotCertifiable):
            entry["not_certifiable"] = str(s)
        else:
            name = _file_name(i, ob)
            data = _render(model, ob, s).encode()
            (d / name).write_bytes(data)
            entry["file"], entry["sha256"] = name, hashlib.sha256(data).hexdigest()
        entries.append(entry)
    manifest = {"format": FORMAT, "xenmodel": __version__, "model": model.path, "model_name": model.name,
                "instance": model.instance, "consts": {k: v for k, v in model.consts},
                "prover_status": prover_status, "write_seconds": round(time.perf_counter() - started, 3),
                "obligations": entries}
    tmp = d / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=1) + "\n")
    tmp.replace(d / MANIFEST)
    return manifest
