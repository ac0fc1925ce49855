"""Results and traces as text and as JSON (the two renderings the CLI prints).

Text is escaped line by line (xenmodel.safetext.escape); JSON escapes control characters itself. JSON
gives every model value (states, arguments, picks, the failing step, constants) in its ITF encoding, the
one trace files use (itf.encode); an integer beyond 4000 digits is `<int of N bits>` in text and
{"#bigint": "<int of N bits>"} in JSON (counters in "stats" are plain JSON numbers, bounded alike).
"""
from __future__ import annotations

from typing import Any, cast

from xenmodel import ir
from xenmodel.result import ProgressUpdate
from xenmodel.safetext import bounded_json, escape, int_text
from xenmodel.trace import Result, Trace
from xenmodel.tracetext import trace_text

from . import itf
from .paths import portable_result
from .why import why_json, why_text, why_violation


def result_text(model: ir.Model, result: Result, reproduce: str | None = None) -> str:
    """The verdict, the counterexample, the engine's messages and stats; `reproduce` is the command line
    that gives the same result again (the CLI writes it: engines do not know the CLI's flags)."""
    lines = [f"{result.engine}: {result.headline()}"]
    if result.trace is not None:
        lines.append(f"counterexample ({steps_text(result.trace)}):")
        lines += trace_text(model, result.trace).split("\n")
        why = why_violation(model, result.trace)
        lines += why_text(why) if why is not None else []
    for m in result.messages:
        lines += m.split("\n")  # an engine's message may span lines; each is escaped below
    if reproduce is not None:
        lines.append(f"reproduce with: {reproduce}")
    if result.stats:  # the scalar figures; tables and lists (coverage, never_enabled) are in JSON only
        lines.append("stats: " + ", ".join(f"{k}={int_text(v) if isinstance(v, int) else v}"
                                           for k, v in result.stats.items() if not isinstance(v, (dict, list, tuple))))
    if result.seed is not None:
        lines.append(f"seed: {result.seed}")
    return "\n".join(escape(line) for line in lines)


def steps_text(trace: Trace) -> str:
    """The length of a trace by the one convention (docs/traces.md): "N step(s)" is the number of actions
    taken, state 0 the initial state; a failed assert or model error is in step N+1, which makes no state."""
    n = len(trace)
    v = trace.violation
    if v is not None and v.failing is not None:
        return "the init block fails" if v.failing[0] == "init" else f"{n} step(s), then step {n + 1} fails"
    return f"{n} step(s)"


def trace_json(model: ir.Model, trace: Trace) -> dict[str, Any]:
    """The trace with every value in its ITF encoding (itf.encode, as in trace files; docs/traces.md)."""
    steps = []
    for i, step in enumerate(trace.steps):
        steps.append({
            "index": i,
            "action": step.action,
            "args": itf.encode_args(model.action(step.action), step.args, bounded=True),
            "picks": itf.encode_picks(model, step.action, step.picks, bounded=True),
            "state": {d.name: itf.encode(d.type, x, bounded=True)
                      for d, x in zip(model.vars, step.state, strict=False)},
        })
    why = why_violation(model, trace)
    c = trace.closing  # a lasso: the cycle starts at steps[loop]; closing leads back there (None: a stutter)
    closing = None if c is None else {"action": c.action,
                                      "args": itf.encode_args(model.action(c.action), c.args, bounded=True),
                                      "picks": itf.encode_picks(model, c.action, c.picks, bounded=True)}
    return {"length": len(trace), "loop": trace.loop, "closing": closing, "steps": steps,
            "violation": itf.violation_json(model, trace.violation, bounded=True),
            "why": why_json(why) if why is not None else None}


def result_json(model: ir.Model, result: Result, reproduce: str | None = None,
                files: list[str] | None = None) -> dict[str, Any]:
    """The result for machines: values in ITF form; `files` the files written (e.g. the --trace-out file)."""
    result = portable_result(result)
    return cast(dict[str, Any], bounded_json({
        "status": result.status,
        "engine": result.engine,
        "model": result.model,
        "instance": result.instance,
        "consts": {k: itf.encode_const(v, bounded=True) for k, v in result.consts.items()},
        "headline": result.headline(),
        "bound": result.bound,
        "reason": result.reason,
        "seed": result.seed,
        "stats": result.stats,
        "trace": trace_json(model, result.trace) if result.trace is not None else None,
        "messages": result.messages,
        "reproduce": reproduce,
        "files": list(files or []),
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
