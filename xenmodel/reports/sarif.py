"""Results as SARIF 2.1.0 (`--format sarif`), for CI code-scanning annotations.

One run: `tool.driver` is xenmodel with one rule per property of the model (its doc comment as the
description) and one per violation that is not a property's (`assert`, `model-error`, `deadlock`). A
violation is one result at the span of what failed (the property, the assert, the erroring expression;
a deadlock at the model file's first line) with the counterexample summarised in its message and given
step by step as a code flow. Nothing violated is an empty results list; a bounded, sampled or unknown
verdict adds a notification saying so (not a proof). Errors in the model or on the command line (exit 2)
are notifications with their diagnostic code, and the invocation did not succeed.

Files are named relative to the working directory under the base id SRCROOT (its absolute path is not
written: reports/paths.py), so code-scanning tools resolve them against the checkout.
"""
from __future__ import annotations

import os
import urllib.parse
from typing import Any

from xenmodel import __version__, ir
from xenmodel.diagnostics import Diagnostic
from xenmodel.result import Result, Status, ViolationKind, first_sentence
from xenmodel.semantics import show_args
from xenmodel.source import Span
from xenmodel.trace import Trace

from .paths import portable
from .results import steps_text

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
BASE = "SRCROOT"
INFO_URI = "https://github.com/xenmodel/xenmodel"
# violations that are not a property's: their rule ids and descriptions
KIND_RULES = {
    ViolationKind.ASSERT: "An `assert` in an action failed.",
    ViolationKind.MODEL_ERROR: "An action raised a model error (XM501-XM508: get() of none, a value outside its "
                               "range, an index outside a seq, ...).",
    ViolationKind.DEADLOCK: "A reachable state in which no action is enabled.",
}


def _location(path: str, span: Span | None = None, message: str | None = None) -> dict[str, Any]:
    """A physicalLocation: the file (relative under SRCROOT, or a file: URI when absolute) and the region."""
    shown = portable(path)
    artifact: dict[str, Any]
    if os.path.isabs(shown):
        artifact = {"uri": "file://" + urllib.parse.quote(shown)}
    else:
        artifact = {"uri": urllib.parse.quote(shown.replace(os.sep, "/")), "uriBaseId": BASE}
    region = {"startLine": 1}
    if span is not None and span.src is not None:
        (line, col), (end_line, end_col) = span.line_col(), span.end_line_col()
        region = {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col + 1}
    out: dict[str, Any] = {"physicalLocation": {"artifactLocation": artifact, "region": region}}
    if message is not None:
        out["message"] = {"text": message}
    return out


def _rules(model: ir.Model) -> list[dict[str, Any]]:
    rules = []
    for p in model.properties:
        rule: dict[str, Any] = {"id": p.name, "name": p.name,
                                "shortDescription": {"text": first_sentence(p.doc) or f"{p.kind} {p.name}"},
                                "defaultConfiguration": {"level": "error"}, "properties": {"kind": p.kind}}
        if p.doc:
            rule["fullDescription"] = {"text": " ".join(p.doc.split())}
        if p.refs:
            rule["properties"]["refs"] = list(p.refs)
        rules.append(rule)
    for kind, text in KIND_RULES.items():
        rules.append({"id": str(kind), "name": str(kind), "shortDescription": {"text": text},
                      "defaultConfiguration": {"level": "error"}})
    return rules


def _step_text(model: ir.Model, name: str, args: tuple[Any, ...]) -> str:
    a = model.action(name)
    return f"{name}({show_args(a, args) if a else ''})"


def _summary(model: ir.Model, trace: Trace) -> str:
    """The actions of the counterexample, in order: `init, a(x=1), b(), then c() fails`."""
    parts = [_step_text(model, s.action, s.args) if s.action != "init" else "init" for s in trace.steps]
    v = trace.violation
    if v is not None and v.failing is not None:
        parts.append(("then " if parts else "") + _step_text(model, v.failing[0], v.failing[1]) + " fails")
    return ", ".join(parts)


def _code_flow(model: ir.Model, trace: Trace) -> dict[str, Any]:
    """The counterexample step by step, each at its action's declaration."""
    locs = []
    steps = [(i, s.action, s.args) for i, s in enumerate(trace.steps)]
    v = trace.violation
    if v is not None and v.failing is not None:
        steps.append((len(trace.steps), v.failing[0], v.failing[1]))
    for i, name, args in steps:
        a = model.action(name)
        span = a.span if a is not None else None
        text = f"step {i}: " + ("init" if name == "init" else _step_text(model, name, args))
        if v is not None and v.failing is not None and i == len(trace.steps):
            text += f" fails: {v.code} {v.message}"
        locs.append({"location": _location(span.file if span else model.path, span, text)})
    return {"threadFlows": [{"locations": locs}]}


def _result(model: ir.Model, result: Result, rule_ids: list[str]) -> dict[str, Any]:
    trace = result.trace
    assert trace is not None and trace.violation is not None, "a violated result has a violation"
    v = trace.violation
    rule = v.name if v.kind in (ViolationKind.INVARIANT, ViolationKind.LEMMA) else str(v.kind)
    span = v.span
    message = f"{result.headline().rstrip('.')}. Counterexample ({steps_text(trace)}): {_summary(model, trace)}."
    out: dict[str, Any] = {
        "ruleId": rule, "level": "error", "kind": "fail", "message": {"text": message},
        "locations": [_location(span.file if span else model.path, span)],
        "codeFlows": [_code_flow(model, trace)],
        "properties": {"code": v.code, "steps": len(trace), "engine": result.engine},
    }
    if rule in rule_ids:
        out["ruleIndex"] = rule_ids.index(rule)
    return out


def _notification(level: str, text: str, code: str | None = None, span: Span | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"level": level, "message": {"text": text}}
    if code is not None:
        out["descriptor"] = {"id": code}
    if span is not None:
        out["locations"] = [_location(span.file, span)]
    return out


def _log(rules: list[dict[str, Any]], results: list[dict[str, Any]], ok: bool, exit_code: int,
         notifications: list[dict[str, Any]], properties: dict[str, Any]) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": ok, "exitCode": exit_code}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "xenmodel", "version": __version__, "informationUri": INFO_URI,
                            "rules": rules}},
        "originalUriBaseIds": {BASE: {"description": {"text": "the directory xenmodel was run in"}}},
        "invocations": [invocation], "results": results, "properties": properties}]}


def result_sarif(model: ir.Model, result: Result, files: list[str] | None = None,
                 failed: list[Diagnostic] | None = None) -> dict[str, Any]:
    """The SARIF log of one result (`files`: the files written, e.g. the --trace-out file; `failed`: the
    diagnostics of a file that could not be written, which make the invocation unsuccessful, exit 2)."""
    rules = _rules(model)
    ids = [r["id"] for r in rules]
    results = [_result(model, result, ids)] if result.status == Status.VIOLATED else []
    notes = []
    if result.status in (Status.BOUNDED, Status.SAMPLED):
        notes.append(_notification("note", result.headline() + " (not a proof)"))
    elif result.status == Status.UNKNOWN:
        notes.append(_notification("warning", result.headline()))
    notes += [_diagnostic(d) for d in failed or []]
    props = {"status": str(result.status), "headline": result.headline(), "engine": result.engine,
             "model": portable(result.model), "instance": result.instance, "files": list(files or [])}
    return _log(rules, results, not failed, 2 if failed else result.exit_code, notes, props)


def _diagnostic(d: Diagnostic) -> dict[str, Any]:
    text = d.message + (f" (help: {d.help})" if d.help else "")
    return _notification("error" if d.severity == "error" else "warning", text, d.code, d.span)


def errors_sarif(diags: list[Diagnostic], exit_code: int) -> dict[str, Any]:
    """The SARIF log of a run that stopped on errors in the model or the command line."""
    return _log([], [], False, exit_code, [_diagnostic(d) for d in diags], {"status": "error"})
