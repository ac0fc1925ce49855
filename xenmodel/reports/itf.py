"""Counterexample traces as ITF JSON (the Informal Trace Format of Apalache and Quint, ADR-015).

Writing goes through the `itf-py` package (`itf_py.trace_to_json` / `value_to_json`): this module only
turns the model's typed runtime values into the Python values itf-py serialises. Reading is typed: the
model says what each value must be, so the reader here checks shapes and ranges and names the first
bad value (`itf_py.value_from_json` is untyped, and itf-py 0.5.0 raises on a variant whose payload is
a #bigint/#tup/#set/#map, which Quint writes for `Some(3)`; so reading does not go through it, and the
tests read every exported file with itf-py independently).

The encoding of a value of each type (docs/traces.md has the same table):

  bool          JSON true / false
  int, int[a..b] {"#bigint": "42"}          (reading also accepts a plain JSON integer)
  sort value    the name the language prints: "pcpu1"  (reading also accepts the index as an integer)
  enum value    the member name: "RS_RUNNING"  (reading also accepts a Quint variant {"tag": "RS_RUNNING", ...})
  T?            a set of at most one element: none = {"#set": []}, v = {"#set": [v]}
                (reading also accepts Quint's {"tag": "None", ...} / {"tag": "Some", "value": v} and null)
  set<T>        {"#set": [...]} in the language's value order
  seq<T, N>     a JSON list
  K -> V        {"#map": [[k, v], ...]} with every key, in the key type's value order
  record        a JSON object with the fields in declared order

Per state, besides the model's variables (and the constants, listed in `params`):
  "mbt::actionTaken"  the action's name ("init" for state 0), as Quint writes it;
  "mbt::nondetPicks"  the values of the `choose`s met, in order: an object name -> value (typed as the
                      choose's domain); a name met again (a choose inside a foreach) gets "__2", "__3", ...
                      (keys stay identifiers, so ITF readers that map records to named tuples accept them);
  "xm::actionArgs"    the action's arguments: an object parameter name -> value.
So a trace replays without search. The top-level "#meta" holds format, source, model, instance, consts,
engine, status, property, violation (with the failing step of a model error), seed, varTypes; a
timestamp only when asked for, so the same trace always gives the same bytes.

This module writes; xenmodel.reports.itf_read reads (its names are re-exported here).
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any

import itf_py

from xenmodel import ir
from xenmodel.ir import block_of
from xenmodel.ir import choose_domains as choose_types
from xenmodel.safetext import MAX_INT_DIGITS, int_fits, int_text
from xenmodel.trace import Trace, Violation
from xenmodel.types import (
    BoolT,
    EnumT,
    IntT,
    MapT,
    OptionT,
    RecordT,
    SeqT,
    SetT,
    SortT,
    Type,
    check_value,
    show,
    sort_key,
    values,
)

from .itf_read import (
    ACTION_ARGS,
    ACTION_TAKEN,
    FORMAT,
    FORMAT_DESCRIPTION,
    MAX_NESTING,
    NONDET_PICKS,
    SPECIAL_VARS,
    XM_FORMAT,
    TraceFileError,
    binding,
    decode,
    decode_args,
    decode_picks,
    from_itf,
    loads,
    read,
)

__all__ = ["FORMAT", "FORMAT_DESCRIPTION", "XM_FORMAT", "ACTION_TAKEN", "NONDET_PICKS", "ACTION_ARGS", "SPECIAL_VARS",
           "MAX_NESTING", "TraceFileError", "to_py", "encode", "encode_picks", "encode_args", "encode_const",
           "violation_json", "to_itf", "dumps", "decode", "decode_picks", "decode_args", "loads", "read", "binding",
           "from_itf"]


# ------------------------------------------------------------------ values -> itf-py's Python values
class _OrderedSet(frozenset[Any]):
    """A frozenset that iterates in a fixed order, so itf-py writes #set elements deterministically."""
    _order: list[Any]

    def __new__(cls, items: list[Any]) -> Any:
        obj = super().__new__(cls)  # empty: the elements (lists, maps) need not be hashable
        obj._order = list(items)
        return obj

    def __iter__(self) -> Any:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


class _Record:
    """A record for itf-py: written as a JSON object from __dict__, fields in declared order (any names)."""

    def __init__(self, fields: Iterable[tuple[str, Any]]) -> None:
        self.__dict__.update(fields)


def to_py(t: Type | None, v: Any, bounded: bool = False) -> Any:
    """A runtime value of type t as the Python value itf_py.value_to_json writes in our encoding.

    An integer beyond MAX_INT_DIGITS digits cannot go into a trace file (XM606); with `bounded` (printed
    output, which must not fail) it is written {"#bigint": "<int of N bits>"}, the tag kept, the digits not."""
    assert t is not None, "a checked model has no open types"
    if isinstance(t, BoolT):
        return bool(v)
    if isinstance(t, IntT):
        return _Record([("#bigint", int_text(v))]) if bounded and not int_fits(v) else _writable_int(v)
    if isinstance(t, (SortT, EnumT)):
        return show(t, v)
    if isinstance(t, OptionT):
        return _OrderedSet([] if v is None else [to_py(t.inner, v, bounded)])
    if isinstance(t, SetT):
        return _OrderedSet([to_py(t.elem, x, bounded) for x in sorted(v, key=lambda x: sort_key(t.elem, x))])
    if isinstance(t, SeqT):
        return [to_py(t.elem, x, bounded) for x in v]
    if isinstance(t, MapT):
        return _Map([(to_py(t.key, k, bounded), to_py(t.value, x, bounded))
                     for k, x in zip(values(t.key), v, strict=False)])
    if isinstance(t, RecordT):
        return _Record((f, to_py(ft, x, bounded)) for (f, ft), x in zip(t.fields, v, strict=False))
    raise TypeError(f"cannot encode a value of type {t}")


def _writable_int(v: Any) -> int:
    n = int(v)
    if not int_fits(n):
        raise TraceFileError("XM606", f"an integer of {n.bit_length()} bits is too large for a trace file "
                                      f"(the limit is {MAX_INT_DIGITS} digits)")
    return n


class _Map(dict[Any, Any]):
    """Key/value pairs for #map. Keys may be unhashable-looking objects; a dict keeps insertion order."""

    def __init__(self, pairs: list[Any]) -> None:
        super().__init__()
        self._pairs = pairs

    def items(self) -> Any:  # itf_py.value_to_json iterates val.items()
        return iter(self._pairs)


def encode(t: Type, v: Any, bounded: bool = False) -> Any:
    """A runtime value as its ITF JSON (via itf-py); `bounded` as in to_py."""
    return itf_py.value_to_json(to_py(t, v, bounded))


# ------------------------------------------------------------------ picks and their types
def encode_picks(model: ir.Model, action: str, picks: tuple[Any, ...], bounded: bool = False) -> dict[Any, Any]:
    types = choose_types(block_of(model, action) or ())
    out: dict[Any, Any] = {}
    count: dict[str, int] = {}
    for name, v in picks:
        count[name] = count.get(name, 0) + 1
        key = name if count[name] == 1 else f"{name}__{count[name]}"
        cands = [t for t in types.get(name, []) if check_value(t, v)]
        if not cands:
            raise TypeError(f"pick {name}={v!r} of {action} matches no choose of that name")
        out[key] = encode(cands[0], v, bounded)
    return out


def encode_args(action: ir.Action | None, args: tuple[Any, ...], bounded: bool = False) -> dict[Any, Any]:
    if action is None:
        return {}
    return {p.name: encode(p.type, a, bounded) for p, a in zip(action.params, args, strict=False)}


def encode_const(v: Any, bounded: bool = False) -> Any:
    """A constant's value (a bool or an int) as in the states: true/false or {"#bigint": ...}."""
    return encode(BoolT() if isinstance(v, bool) else IntT(), v, bounded)


# ------------------------------------------------------------------ whole traces
def violation_json(model: ir.Model, v: Violation | None, bounded: bool = False) -> dict[Any, Any] | None:
    if v is None:
        return None
    out: dict[str, Any] = {"kind": v.kind, "name": v.name, "code": v.code, "message": v.message,
                           "span": v.span.to_json() if v.span else None, "failing": None}
    if v.failing is not None:
        name, args, picks = v.failing
        out["failing"] = {"action": name, "args": encode_args(model.action(name), args, bounded),
                          "picks": encode_picks(model, name, picks, bounded)}
    t = model.temporal(v.name) if v.kind == "temporal" else None
    if t is not None:  # the temporal's instance: its params' values
        out["instance"] = {p.name: encode(p.type, a, bounded) for p, a in zip(t.params, v.instance, strict=False)}
    return out


def to_itf(model: ir.Model, trace: Trace, *, engine: str | None = None, status: str | None = None,
           seed: int | None = None, source: str | None = None, instance: str | None = None,
           consts: dict[Any, Any] | None = None, timestamp: bool = False, version: str = "") -> dict[Any, Any]:
    """The ITF JSON object of a trace (deterministic unless timestamp=True)."""
    consts = dict(model.consts) if consts is None else dict(consts)
    v = trace.violation
    meta: dict[str, Any] = {
        "format": FORMAT,
        "format-description": FORMAT_DESCRIPTION,
        "description": f"Created by xenmodel{(' ' + version) if version else ''}",
        "xenmodel": XM_FORMAT,
        "source": source if source is not None else model.path,
        "model": model.name,
        "instance": instance if instance is not None else model.instance,
        "consts": {k: (val if isinstance(val, bool) else _writable_int(val)) for k, val in consts.items()},
        "engine": engine,
        "status": status if status is not None else ("violated" if v is not None else None),
        "property": None if v is None else v.name,
        "violation": violation_json(model, v),
        "seed": seed,
        "varTypes": {d.name: str(d.type) for d in model.vars},
    }
    if trace.loop is not None:  # a lasso: the step from the last state back to states[loop] (null: a deadlock stutters)
        c = trace.closing
        meta["closing"] = None if c is None else {
            "action": c.action, "args": encode_args(model.action(c.action), c.args),
            "picks": encode_picks(model, c.action, c.picks)}
    if timestamp:
        meta["timestamp"] = int(time.time() * 1000)
    states = []
    for i, step in enumerate(trace.steps):
        values_: dict[str, Any] = {}
        for name, val in consts.items():
            values_[name] = val if isinstance(val, bool) else _writable_int(val)
        for d, x in zip(model.vars, step.state, strict=False):
            values_[d.name] = to_py(d.type, x)
        st = itf_py.state_to_json(itf_py.State(meta={"index": i}, values=values_))
        st[ACTION_TAKEN] = step.action
        st[NONDET_PICKS] = encode_picks(model, step.action, step.picks)
        st[ACTION_ARGS] = encode_args(model.action(step.action), step.args)
        states.append(st)
    names = [d.name for d in model.vars] + list(SPECIAL_VARS)
    doc: dict[str, Any] = itf_py.trace_to_json(itf_py.Trace(meta=meta, params=list(consts), vars=names, states=[],
                                                            loop=trace.loop))
    doc["states"] = states
    if doc.get("loop") is None:
        doc.pop("loop", None)
    return doc


def dumps(doc: dict[Any, Any]) -> str:
    """The JSON text: "#meta" indented, each state on one line (diffs and greps stay readable)."""
    head = {k: v for k, v in doc.items() if k != "states"}
    lines = [json.dumps(head, indent=1, ensure_ascii=False)[:-2] + ",", ' "states": [']
    states = doc.get("states", [])
    for i, st in enumerate(states):
        lines.append("  " + json.dumps(st, ensure_ascii=False, separators=(",", ":"))
                     + ("," if i + 1 < len(states) else ""))
    lines.append(" ]")
    lines.append("}")
    return "\n".join(lines) + "\n"
