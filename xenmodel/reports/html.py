"""A counterexample as one self-contained HTML page: a timeline and the step list.

The page is rendered from xenmodel/reports/templates/trace.html.j2 with Jinja2 (autoescaped); it loads nothing
(no network, no external script or style). What the timeline shows comes from the model's `@view`
hints (docs/language.md lists them, docs/traces.md says the same); a hint on a declaration of the
wrong shape is ignored:

- pcpu lanes: every variable with `@view("lane")` of type `P -> V?` (P, V sorts) gives one lane per
  value of P showing the V value at each step, or "idle" for none; one of type `V?` gives a single lane.
- domains of vcpus: with a sort marked `@view("domain")`, a sort marked `@view("vcpu")` and an integer
  constant marked `@view("vcpus_per_domain")` (N), vcpu v belongs to domain ord(v) / N (spec/common.xm's
  dom_of); lanes then say "vcpu1 (dom1)".
- event-channel sends (one row per value of the domain sort, plus a "xen" row), for each step of an
  action marked `@view("send")`:
    * an action `(d: D, p: P)` (D the domain sort) with a variable marked `@view("channels")` of type
      `D -> P -> R` (R a record with fields `state` and `remote_dom`): an arrow d -> remote_dom when the
      channel's state (before the step) is a member ending in INTERDOMAIN, else d -> d;
    * an action with two parameters of the domain sort: an arrow from the first to the second;
    * otherwise an arrow "xen" -> the domain of the first parameter of the domain sort (or of the vcpu
      sort, by the rule above).
- frame grid: the first variable marked `@view("frames")` of type `F -> R` (F a sort, R a record with a
  field `owner` of a sort or an option of one): one row per frame, its owner per step, with the
  record's `type` (an enum) and `count` fields when it has them.
- everything else: the full state table (variables x steps), changed cells marked; it is open when none
  of the above was recognised, folded otherwise.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from xenmodel import ir
from xenmodel.ir import block_of
from xenmodel.ir import choose_domains as choose_types
from xenmodel.ir_walk import temporal_exprs, vars_read
from xenmodel.semantics import show_args
from xenmodel.trace import Result, Trace
from xenmodel.types import (
    EnumT,
    IntT,
    MapT,
    OptionT,
    RecordT,
    SortT,
    Type,
    check_value,
    differences,
    key_index,
    show,
    values,
)

PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#9c755f",
           "#ff9da7", "#bab0ac")
TEMPLATES = Path(__file__).resolve().parent / "templates"

LABEL_W, COL_W, ROW_H, GAP = 150, 74, 22, 18


@dataclass
class Column:
    index: int          # state index (or len(steps) for the failing step)
    action: str
    title: str          # action(args) [refs]
    failing: bool = False

    @property
    def short(self) -> str:
        """The action's name in at most 12 characters (middle elided)."""
        a = self.action
        return a if len(a) <= 12 else a[:6] + "…" + a[-5:]


@dataclass
class Section:
    title: str
    note: str
    rows: list[dict[Any, Any]] = field(default_factory=list)       # {label, cells: [{text, color, title, changed}]}
    arrows: list[dict[Any, Any]] = field(default_factory=list)     # {col, src, dst, title}


def _colour(i: int | None) -> str:
    return "#eeeeee" if i is None else PALETTE[i % len(PALETTE)]


def _viewed(model: ir.Model, kind: str, hint: str) -> list[str]:
    """The names of the declarations of this kind (sort, var, action, const) with @view(hint), in order."""
    return [name for k, name, h in model.views if k == kind and h == hint]


def _sort(model: ir.Model, hint: str) -> SortT | None:
    """The first sort marked @view(hint)."""
    names = _viewed(model, "sort", hint)
    for t in model.types:
        if isinstance(t, SortT) and t.name in names:
            return t
    return None


def _var(model: ir.Model, hint: str) -> ir.VarDecl | None:
    return next((d for n in _viewed(model, "var", hint) if (d := model.var(n)) is not None), None)


def _dom_of_vcpu(model: ir.Model) -> Any:
    dom, vcpu = _sort(model, "domain"), _sort(model, "vcpu")
    consts = dict(model.consts)
    vpd = next((consts[n] for n in _viewed(model, "const", "vcpus_per_domain") if n in consts), None)
    if dom is None or vcpu is None or not isinstance(vpd, int) or isinstance(vpd, bool) or vpd <= 0:
        return None
    return lambda v: v // vpd if v // vpd < dom.size else None


def _columns(model: ir.Model, trace: Trace) -> list[Column]:
    cols = []
    for i, step in enumerate(trace.steps):
        cols.append(Column(i, step.action, _step_title(model, step.action, step.args)))
    v = trace.violation
    if v is not None and v.failing is None and cols:
        cols[-1].failing = True  # the state that breaks the property (or has no successor)
    if v is not None and v.failing is not None:
        name, args, _ = v.failing
        cols.append(Column(len(trace.steps), name, _step_title(model, name, args) + f" fails: {v.code}", True))
    return cols


def _step_title(model: ir.Model, name: str, args: tuple[Any, ...]) -> str:
    a = model.action(name)
    text = f"{name}({show_args(a, args) if a else ''})"
    if a is not None and a.refs:
        text += "  [" + ", ".join(a.refs) + "]"
    return text


def _states(trace: Trace, ncols: int) -> list[tuple[Any, ...]]:
    """One state per column (the failing step's column repeats the last state)."""
    states = [s.state for s in trace.steps]
    while len(states) < ncols:
        states.append(states[-1])
    return states


# ------------------------------------------------------------------ the mapping
def lane_sections(model: ir.Model, trace: Trace, ncols: int) -> list[Section]:
    out = []
    dom_of = _dom_of_vcpu(model)
    vcpu = _sort(model, "vcpu")
    states = _states(trace, ncols)
    for name in _viewed(model, "var", "lane"):
        d = model.var(name)
        if d is None:
            continue
        t = d.type
        per_key = isinstance(t, MapT) and isinstance(t.key, SortT) and isinstance(t.value, OptionT) \
            and isinstance(t.value.inner, SortT)
        if isinstance(t, MapT) and per_key:
            assert isinstance(t.value, OptionT) and isinstance(t.value.inner, SortT)
            keys, vt = values(t.key), t.value.inner
        elif isinstance(t, OptionT) and isinstance(t.inner, SortT):
            keys, vt = [0], t.inner
        else:
            continue
        sec = Section(f"pcpu lanes: {name}", f"which {vt.name} `{name}` says each lane runs (idle = none)")
        out.append(sec)
        for k in keys:
            cells, prev = [], object()
            for c, st in enumerate(states):
                v = st[d.index][k] if per_key else st[d.index]
                text = "idle" if v is None else show(vt, v)
                owner = dom_of(v) if (dom_of and v is not None and vt == vcpu) else None
                title = text + (f" (dom{owner})" if owner is not None else "")
                cells.append({"text": text, "sub": "", "color": _colour(v), "title": title,
                              "changed": c > 0 and v != prev, "idle": v is None})
                prev = v
            label = show(t.key, k) if isinstance(t, MapT) else "cpu"
            sec.rows.append({"label": label, "cells": cells})
    return out


def send_section(model: ir.Model, trace: Trace, ncols: int) -> Section | None:
    dom = _sort(model, "domain")
    if dom is None:
        return None
    dom_of = _dom_of_vcpu(model)
    vcpu = _sort(model, "vcpu")
    chan = _var(model, "channels")
    sends = set(_viewed(model, "action", "send"))
    arrows = []
    steps = list(trace.steps)
    for i, step in enumerate(steps):
        if i == 0 or step.action not in sends:
            continue
        a = model.action(step.action)
        if a is None:
            continue
        prev = steps[i - 1].state
        params = list(zip(a.params, step.args, strict=False))
        doms = [v for p, v in params if p.type == dom]
        src = dst = None
        if chan is not None and len(params) == 2 and params[0][0].type == dom \
                and _is_channel_map(chan, dom, params[1][0].type):
            src = params[0][1]
            dst = _evtchn_target(chan, prev, src, params[1][0].type, params[1][1])
        elif len(doms) >= 2:
            src, dst = doms[0], doms[1]
        else:
            for p, v in params:
                if p.type == dom:
                    dst = v
                    break
                if dom_of is not None and p.type == vcpu:
                    dst = dom_of(v)
                    break
            src = "xen"
        if dst is None:
            continue
        arrows.append({"col": i, "src": src, "dst": dst, "title": _step_title(model, step.action, step.args)})
    if not arrows:
        return None
    sec = Section("event-channel sends", "an arrow per send, from the sending domain (or xen) to the receiver")
    sec.rows = [{"label": "xen", "key": "xen", "cells": []}] + \
               [{"label": show(dom, d), "key": d, "cells": []} for d in values(dom)]
    sec.arrows = arrows
    return sec


def _is_channel_map(chan: ir.VarDecl, dom: Type, port_t: Type) -> bool:
    t = chan.type
    return isinstance(t, MapT) and t.key == dom and isinstance(t.value, MapT) and t.value.key == port_t


def _evtchn_target(chan: ir.VarDecl, state: tuple[Any, ...], d: int, port_t: Type, port: int) -> int | None:
    t = chan.type
    if not (isinstance(t, MapT) and isinstance(t.value, MapT) and isinstance(t.value.value, RecordT)):
        return None
    rec = t.value.value
    si, ri = rec.field_index("state"), rec.field_index("remote_dom")
    if si is None or ri is None:
        return None
    c = state[chan.index][key_index(t.key, d)][key_index(t.value.key, port)]
    st_t = rec.fields[si][1]
    st_name = show(st_t, c[si]) if isinstance(st_t, EnumT) else ""
    return c[ri] if st_name.endswith("INTERDOMAIN") else d


def frame_section(model: ir.Model, trace: Trace, ncols: int) -> Section | None:
    for name in _viewed(model, "var", "frames"):
        d = model.var(name)
        if d is None:
            continue
        t = d.type
        if not (isinstance(t, MapT) and isinstance(t.key, SortT) and isinstance(t.value, RecordT)):
            continue
        rec = t.value
        oi = rec.field_index("owner")
        if oi is None:
            continue
        ot = rec.fields[oi][1]
        inner = ot.inner if isinstance(ot, OptionT) else ot
        if not isinstance(inner, SortT):
            continue
        ti, ci = rec.field_index("type"), rec.field_index("count")
        ty_t = rec.fields[ti][1] if ti is not None else None
        ct_t = rec.fields[ci][1] if ci is not None else None
        sec = Section(f"frames: {d.name}", f"owner of each {t.key.name} per step"
                      + (", its type" if isinstance(ty_t, EnumT) else "")
                      + (" and reference count" if isinstance(ct_t, IntT) else ""))
        states = _states(trace, ncols)
        for k in values(t.key):
            cells, prev = [], None
            for c, st in enumerate(states):
                f = st[d.index][k]
                owner = f[oi]
                text = "-" if owner is None else show(inner, owner)
                sub = []
                if isinstance(ty_t, EnumT):
                    sub.append(show(ty_t, f[ti]))
                if isinstance(ct_t, IntT):
                    sub.append(f"c{f[ci]}")
                cells.append({"text": text, "sub": " ".join(sub), "color": _colour(owner) if owner is not None
                              else "#ffffff", "title": show(rec, f), "changed": c > 0 and f != prev,
                              "idle": owner is None})
                prev = f
            sec.rows.append({"label": show(t.key, k), "cells": cells})
        return sec
    return None


# ------------------------------------------------------------------ step list and state table
def property_vars(model: ir.Model, trace: Trace) -> set[str]:
    v = trace.violation
    out: set[str] = set()
    if v is not None and v.kind in ("invariant", "lemma"):
        for p in model.properties:
            if p.name == v.name:
                out |= {model.vars[i].name for i in vars_read(p.expr)}
    t = model.temporal(v.name) if v is not None and v.kind == "temporal" else None
    if t is not None:
        out |= {model.vars[i].name for i in vars_read(temporal_exprs(t))}
    return out


def pick_text(model: ir.Model, action: str, picks: tuple[Any, ...]) -> str:
    """Picks as the language prints them (the type is the choose's domain; the first that fits)."""
    types = choose_types(block_of(model, action) or ())
    out = []
    for n, x in picks:
        t = next((t for t in types.get(n, []) if check_value(t, x)), None)
        out.append(f"{n}={show(t, x) if t is not None else x}")
    return ", ".join(out)


def step_list(model: ir.Model, trace: Trace, hot: set[str]) -> list[dict[Any, Any]]:
    out = []
    prev = None
    for i, step in enumerate(trace.steps):
        a = model.action(step.action)
        changes = []
        if prev is None:
            changes = [{"var": d.name, "old": None, "new": show(d.type, x), "hot": d.name in hot}
                       for d, x in zip(model.vars, step.state, strict=False)]
        else:
            changes = [{"var": path, "old": old, "new": new, "hot": d.name in hot}
                       for d, o, n in zip(model.vars, prev, step.state, strict=False) if o != n
                       for path, old, new in diff(d.name, d.type, o, n)]
        out.append({"index": i, "action": step.action, "args": show_args(a, step.args) if a else "",
                    "refs": list(a.refs) if a else [], "doc": (a.doc.splitlines()[0] if a and a.doc else ""),
                    "picks": pick_text(model, step.action, step.picks),
                    "changes": changes, "init": prev is None, "failing": False,
                    "loop_start": i == trace.loop, "in_loop": trace.loop is not None and i > trace.loop})
        prev = step.state
    c = trace.closing
    if c is not None and prev is not None:  # a lasso's step back to the loop state
        a = model.action(c.action)
        out.append({"index": len(trace.steps), "action": c.action, "args": show_args(a, c.args) if a else "",
                    "refs": list(a.refs) if a else [], "doc": "", "picks": pick_text(model, c.action, c.picks),
                    "changes": [{"var": path, "old": old, "new": new, "hot": d.name in hot}
                                for d, o, n in zip(model.vars, prev, c.state, strict=False) if o != n
                                for path, old, new in diff(d.name, d.type, o, n)],
                    "init": False, "failing": False, "in_loop": True, "closing": trace.loop})
    elif trace.loop is not None and out:
        out[-1]["stutter"] = True  # a deadlock: the last state repeats forever
    v = trace.violation
    if v is not None and v.failing is not None:
        name, args, picks = v.failing
        a = model.action(name)
        out.append({"index": len(trace.steps), "action": name, "args": show_args(a, args) if a else "",
                    "refs": list(a.refs) if a else [], "doc": (a.doc.splitlines()[0] if a and a.doc else ""),
                    "picks": pick_text(model, name, picks),
                    "changes": [], "init": False, "failing": True})
    return out


def diff(path: str, t: Type, old: Any, new: Any, limit: int = 8) -> list[tuple[str, str, str]]:
    """The changed parts of a value: map entries and record fields, down to the leaves (at most `limit`;
    past that, the whole value)."""
    out = differences(t, old, new, path)
    if len(out) > limit:
        return [(path, show(t, old), show(t, new))]
    return out


def state_table(model: ir.Model, trace: Trace, hot: set[str]) -> list[dict[Any, Any]]:
    rows = []
    for d in model.vars:
        cells, prev = [], None
        for i, step in enumerate(trace.steps):
            x = step.state[d.index]
            cells.append({"text": show(d.type, x), "changed": i > 0 and x != prev})
            prev = x
        rows.append({"var": d.name, "type": str(d.type), "hot": d.name in hot, "cells": cells})
    return rows


# ------------------------------------------------------------------ layout and rendering
def layout(sections: list[Section], ncols: int) -> dict[Any, Any]:
    """Pixel geometry of the timeline SVG: one column per step, one row per lane/domain/frame."""
    y = 28  # room for the column headers
    out = []
    for sec in sections:
        y += GAP
        title_y = y
        y += 6
        rows = []
        for r in sec.rows:
            h = ROW_H + 10 if any(c.get("sub") for c in r["cells"]) or sec.arrows else ROW_H
            rows.append({**r, "y": y, "h": h})
            y += h
        arrows = []
        if sec.arrows:
            ypos = {r.get("key"): r["y"] + r["h"] / 2 for r in rows}
            for a in sec.arrows:
                x = LABEL_W + a["col"] * COL_W + COL_W / 2
                y1, y2 = ypos.get(a["src"]), ypos.get(a["dst"])
                if y1 is None or y2 is None:
                    continue
                arrows.append({**a, "x": x, "y1": y1, "y2": y2, "self": y1 == y2})
        out.append({"title": sec.title, "note": sec.note, "title_y": title_y, "rows": rows, "arrows": arrows})
    return {"sections": out, "width": LABEL_W + ncols * COL_W + 10, "height": y + 10,
            "label_w": LABEL_W, "col_w": COL_W, "row_h": ROW_H}


def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                              autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_html(model: ir.Model, result: Result, itf_json: str | None = None) -> str:
    trace = result.trace
    assert trace is not None, "a page needs a trace"
    cols = _columns(model, trace)
    ncols = len(cols)
    sections: list[Section] = lane_sections(model, trace, ncols)
    s = send_section(model, trace, ncols)
    if s is not None:
        sections.append(s)
    f = frame_section(model, trace, ncols)
    if f is not None:
        sections.append(f)
    hot = property_vars(model, trace)
    v = trace.violation
    failing_step = v is not None and v.failing is not None
    violation = None
    if v is not None:
        violation = {"kind": v.kind, "name": v.name, "code": v.code, "message": v.message,
                     "where": v.span.short() if v.span else "", "source": v.span.text() if v.span else "",
                     "what": v.kind if v.kind == v.name else f"{v.kind} {v.name}"}
    consts = ", ".join(f"{k}={'true' if x is True else 'false' if x is False else x}"
                       for k, x in (result.consts or dict(model.consts)).items())
    embedded = None
    if itf_json is not None:  # the trace itself, for tools: inert JSON, `</` escaped so it cannot end the tag
        embedded = itf_json.replace("<", "\\u003c")
    return _env().get_template("trace.html.j2").render(
        model=model.name, source=result.model or model.path, instance=result.instance, consts=consts,
        engine=result.engine, status=result.status, seed=result.seed, headline=result.headline(),
        columns=cols, timeline=layout(sections, ncols) if sections else None,
        steps=step_list(model, trace, hot), table=state_table(model, trace, hot),
        table_open=not sections, violation=violation, hot=sorted(hot), embedded=embedded,
        nsteps=len(trace) + (1 if failing_step else 0), failing=failing_step, json=json)
