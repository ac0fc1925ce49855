"""Results and traces as text and as JSON (the two renderings the CLI prints).

Text is escaped line by line (xenmodel.safetext.escape); JSON escapes control characters itself, and
integers beyond 4000 digits are given as their bounded text (`<int of N bits>`) in both.
"""
from __future__ import annotations

from typing import Any, cast

from xenmodel import ir
from xenmodel.result import ProgressUpdate
from xenmodel.safetext import bounded_json, escape, int_text
from xenmodel.trace import Result, Trace
from xenmodel.tracetext import picks_text, trace_text
from xenmodel.types import show


def result_text(model: ir.Model, result: Result, reproduce: str | None = None) -> str:
    """The verdict, the counterexample, the engine's messages and stats; `reproduce` is the command line
    that gives the same result again (the CLI writes it: engines do not know the CLI's flags)."""
    lines = [f"{result.engine}: {result.headline()}"]
    if result.trace is not None:
        n = len(result.trace)
        v = result.trace.violation
        step = v.failing if v is not None else None
        failing = step is not None
        if step is not None and step[0] == "init":
            lines.append("counterexample (the init block fails):")
        else:
            lines.append(f"counterexample ({n + 1} step(s), the last one fails):" if failing
                         else f"counterexample ({n} step(s)):")
        lines += trace_text(model, result.trace).split("\n")
    for m in result.messages:
        lines += m.split("\n")  # an engine's message may span lines; each is escaped below
    if reproduce is not None:
        lines.append(f"reproduce with: {reproduce}")
    if result.stats:
        lines.append("stats: " + ", ".join(f"{k}={int_text(v) if isinstance(v, int) else v}"
                                           for k, v in result.stats.items() if not isinstance(v, dict)))
    if result.seed is not None:
        lines.append(f"seed: {result.seed}")
    return "\n".join(escape(line) for line in lines)


def trace_json(model: ir.Model, trace: Trace) -> dict[str, Any]:
    steps = []
    for step in trace.steps:
        action = model.action(step.action)
        steps.append({
            "action": step.action,
            "args": {p.name: show(p.type, a) for p, a in zip(action.params, step.args, strict=False)} if action else {},
            "picks": [list(p) for p in picks_text(model, step.action, step.picks)],
            "state": {v.name: show(v.type, x) for v, x in zip(model.vars, step.state, strict=False)},
        })
    v = trace.violation
    out: dict[str, Any] = {"length": len(trace), "steps": steps, "violation": None}
    if v is not None:
        out["violation"] = {"kind": v.kind, "name": v.name, "code": v.code, "message": v.message,
                            "span": v.span.to_json() if v.span else None,
                            "failing_step": None if v.failing is None else {
                                "action": v.failing[0],
                                "args": _args_json(model, v.failing[0], v.failing[1]),
                                "picks": [list(p) for p in picks_text(model, v.failing[0], v.failing[2])]}}
    if trace.loop is not None:  # a lasso: the cycle starts at steps[loop]; closing leads back there
        c = trace.closing
        out["loop"] = trace.loop
        out["closing"] = None if c is None else {"action": c.action, "args": _args_json(model, c.action, c.args),
                                                 "picks": [list(p) for p in picks_text(model, c.action, c.picks)]}
    return out


def _args_json(model: ir.Model, name: str, args: tuple[Any, ...]) -> dict[str, str]:
    action = model.action(name)
    return {p.name: show(p.type, a) for p, a in zip(action.params, args, strict=False)} if action else {}


def result_json(model: ir.Model, result: Result, reproduce: str | None = None) -> dict[str, Any]:
    return cast(dict[str, Any], bounded_json({
        "status": result.status,
        "engine": result.engine,
        "model": result.model,
        "instance": result.instance,
        "consts": {k: v for k, v in result.consts.items()},
        "headline": result.headline(),
        "bound": result.bound,
        "reason": result.reason,
        "seed": result.seed,
        "stats": result.stats,
        "trace": trace_json(model, result.trace) if result.trace is not None else None,
        "messages": result.messages,
        "reproduce": reproduce,
    }))


def progress_text(update: ProgressUpdate | str) -> str:
    """One progress line: an engine's ProgressUpdate, or a line an engine wrote itself (older engines)."""
    if isinstance(update, str):
        return escape(update)
    parts = [f"{update.engine}: {update.phase}"]
    if update.depth is not None:
        parts.append(f"depth {update.depth}")
    if update.states is not None:
        parts.append(f"{update.states:,} states")
    if update.transitions is not None:
        parts.append(f"{update.transitions:,} transitions")
    if update.queue is not None:
        parts.append(f"queue {update.queue:,}")
    if update.done is not None:
        parts.append(f"{update.done:,}" + (f"/{update.total:,}" if update.total is not None else "") + " done")
    parts.append(f"{update.seconds:.1f}s")
    if update.message:
        parts.append(update.message)
    return escape(", ".join(parts))
