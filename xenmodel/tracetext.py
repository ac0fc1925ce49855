"""A trace as text, step by step: the one textual form of a trace.

It lives in the language layer, not in xenmodel/reports/, because the engines need it too: the
Hypothesis machine's ModelFailure (an AssertionError that pytest prints) carries it as its message, and
engines never import the reports layer. The reports (text results, `.txt` trace files) print it as is.
Each line is escaped (xenmodel.safetext): assert messages, @refs and file names come from the model.
"""
from __future__ import annotations

from typing import Any

from . import ir
from .safetext import escape
from .semantics import show_args
from .trace import Trace
from .types import check_value, differences, show


def _refs(model: ir.Model, action: str) -> str:
    a = model.action(action)
    return f"  [{', '.join(a.refs)}]" if a is not None and a.refs else ""


def _picks(model: ir.Model, picks: tuple[tuple[str, Any], ...], action: str = "") -> str:
    if not picks:
        return ""
    return "  picks: " + ", ".join(f"{n}={text}" for n, text in picks_text(model, action, picks))


def picks_text(model: ir.Model, action: str, picks: tuple[tuple[str, Any], ...]) -> list[tuple[str, str]]:
    """Each pick shown as a value of its choose's domain type."""
    types = ir.choose_domains(ir.block_of(model, action) or ())
    out: list[tuple[str, str]] = []
    for name, v in picks:
        t = next((t for t in types.get(name, []) if check_value(t, v)), None)
        out.append((name, show(t, v) if t is not None else ("none" if v is None else str(v))))
    return out


LOOP_MARK = "-- loop starts here"


def _closing_lines(model: ir.Model, trace: Trace, last: tuple[Any, ...]) -> list[str]:
    """How a lasso closes: the step back to the loop state, or the deadlock that stutters."""
    step = trace.closing
    if step is None:
        return [f"-- loop: state {trace.loop} is a deadlock and stutters forever --"]
    action = model.action(step.action)
    args = show_args(action, step.args) if action else str(step.args)
    lines = [f"step {len(trace.steps)}: {step.action}({args}){_refs(model, step.action)}"
             f"{_picks(model, step.picks, step.action)}"]
    changed = [d for var, old, new in zip(model.vars, last, step.state, strict=False)
               for d in differences(var.type, old, new, var.name)]
    lines.extend(f"    {path}: {old} -> {new}" for path, old, new in changed)
    if not changed:
        lines.append("    (no variable changed)")
    lines.append(f"-- back to state {trace.loop}: the loop repeats forever --")
    return lines


def trace_text(model: ir.Model, trace: Trace) -> str:
    """Step by step: the action, its arguments, its @ref, and only the variables that changed."""
    lines = []
    prev: tuple[Any, ...] = ()  # step 0 is always "init", which sets it
    for i, step in enumerate(trace.steps):
        if step.action == "init":
            lines.append("step 0: init")
            for var, x in zip(model.vars, step.state, strict=False):
                lines.append(f"    {var.name} = {show(var.type, x)}")
        else:
            action = model.action(step.action)
            args = show_args(action, step.args) if action else str(step.args)
            shown = _picks(model, step.picks, step.action)
            lines.append(f"step {i}: {step.action}({args}){_refs(model, step.action)}{shown}")
            changed = [d for var, old, new in zip(model.vars, prev, step.state, strict=False)
                       for d in differences(var.type, old, new, var.name)]
            for path, old, new in changed:
                lines.append(f"    {path}: {old} -> {new}")
            if not changed:
                lines.append("    (no variable changed)")
        if i == trace.loop:  # after the state it names: the steps below lead back to it
            lines.append(f"{LOOP_MARK} (state {i}) --")
        prev = step.state
    if trace.loop is not None:
        lines.extend(_closing_lines(model, trace, prev))
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
    return "\n".join(escape(line) for line in lines)
