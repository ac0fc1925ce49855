"""Results and traces as text and as JSON (the two renderings the CLI prints)."""
from __future__ import annotations

from typing import Any

from . import ir
from .semantics import show_args
from .trace import Result, Trace
from .types import check_value, differences, show


def _refs(model: ir.Model, action: str) -> str:
    a = model.action(action)
    return f"  [{', '.join(a.refs)}]" if a is not None and a.refs else ""


def _picks(model: ir.Model, picks, action: str = "") -> str:
    if not picks:
        return ""
    return "  picks: " + ", ".join(f"{n}={text}" for n, text in picks_text(model, action, picks))


def picks_text(model: ir.Model, action: str, picks) -> list[tuple[str, str]]:
    """Each pick shown as a value of its choose's domain type."""
    types = ir.choose_domains(ir.block_of(model, action) or ())
    out = []
    for name, v in picks:
        t = next((t for t in types.get(name, []) if check_value(t, v)), None)
        out.append((name, show(t, v) if t is not None else ("none" if v is None else str(v))))
    return out


def trace_text(model: ir.Model, trace: Trace) -> str:
    """Step by step: the action, its arguments, its @ref, and only the variables that changed."""
    lines = []
    prev = None
    for i, step in enumerate(trace.steps):
        if step.action == "init":
            lines.append(f"step 0: init")
            for v, x in zip(model.vars, step.state):
                lines.append(f"    {v.name} = {show(v.type, x)}")
        else:
            action = model.action(step.action)
            args = show_args(action, step.args) if action else str(step.args)
            lines.append(f"step {i}: {step.action}({args}){_refs(model, step.action)}{_picks(model, step.picks, step.action)}")
            changed = [d for v, old, new in zip(model.vars, prev, step.state)
                       for d in differences(v.type, old, new, v.name)]
            for path, old, new in changed:
                lines.append(f"    {path}: {old} -> {new}")
            if not changed:
                lines.append("    (no variable changed)")
        prev = step.state
    v = trace.violation
    if v is not None:
        where = f" ({v.span.short()})" if v.span else ""
        if v.failing is not None and v.failing[0] == "init":
            lines.append(f"init{_picks(model, v.failing[2], 'init')}")
            lines.append(f"    fails: {v.code} {v.message}{where}")
        elif v.failing is not None:
            name, fargs, picks = v.failing
            action = model.action(name)
            args = show_args(action, fargs) if action else str(fargs)
            lines.append(f"step {len(trace.steps)}: {name}({args}){_refs(model, name)}{_picks(model, picks, name)}")
            lines.append(f"    fails: {v.code} {v.message}{where}")
        else:
            what = v.kind if v.kind == v.name else f"{v.kind} {v.name}"
            lines.append(f"violated[{v.code}]: {what}{where}: {v.message}")
    return "\n".join(lines)


def result_text(model: ir.Model, result: Result) -> str:
    lines = [f"{result.engine}: {result.headline()}"]
    if result.trace is not None:
        n = len(result.trace)
        v = result.trace.violation
        failing = v is not None and v.failing is not None
        if failing and v.failing[0] == "init":
            lines.append("counterexample (the init block fails):")
        else:
            lines.append(f"counterexample ({n + 1} step(s), the last one fails):" if failing
                         else f"counterexample ({n} step(s)):")
        lines.append(trace_text(model, result.trace))
    for m in result.messages:
        lines.append(m)
    if result.stats:
        lines.append("stats: " + ", ".join(f"{k}={v}" for k, v in result.stats.items() if not isinstance(v, dict)))
    if result.seed is not None:
        lines.append(f"seed: {result.seed}")
    return "\n".join(lines)


def trace_json(model: ir.Model, trace: Trace) -> dict:
    steps = []
    for step in trace.steps:
        action = model.action(step.action)
        steps.append({
            "action": step.action,
            "args": {p.name: show(p.type, a) for p, a in zip(action.params, step.args)} if action else {},
            "picks": [list(p) for p in picks_text(model, step.action, step.picks)],
            "state": {v.name: show(v.type, x) for v, x in zip(model.vars, step.state)},
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
    return out


def _args_json(model: ir.Model, name: str, args) -> dict:
    action = model.action(name)
    return {p.name: show(p.type, a) for p, a in zip(action.params, args)} if action else {}


def result_json(model: ir.Model, result: Result) -> dict:
    return {
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
    }
