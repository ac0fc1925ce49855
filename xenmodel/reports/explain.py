"""`xenmodel explain`: a model described for a reader, from its declarations and doc comments.

The text is escaped line by line (doc comments, @refs and file names are the model author's text)."""
from __future__ import annotations

from typing import Any, cast

from xenmodel import ir
from xenmodel.loader import Loaded
from xenmodel.safetext import bounded_json, escape, int_text
from xenmodel.types import EnumT, RecordT, SortT


def _first_line(doc: str) -> str:
    return doc.splitlines()[0] if doc else ""


def explain_json(model: ir.Model, loaded: Loaded) -> dict[str, Any]:
    consts = dict(model.consts)
    return cast(dict[str, Any], bounded_json({
        "model": model.name,
        "file": model.path,
        "doc": model.doc,
        "instance": model.instance,
        "instances": sorted(loaded.instances),
        "files": loaded.files,
        "consts": consts,
        "types": [_type_json(t) for t in model.types],
        "vars": [{"name": v.name, "type": str(v.type), "doc": v.doc, "refs": list(v.refs)} for v in model.vars],
        "actions": [{"name": a.name, "params": [{"name": p.name, "type": str(p.type)} for p in a.params],
                     "doc": a.doc, "refs": list(a.refs), "weight": a.weight, "fairness": a.fairness}
                    for a in model.actions],
        "helpers": [{"kind": k, "name": n, "signature": s, "doc": d, "refs": list(r)}
                    for k, n, s, d, r in model.helpers],
        "properties": [{"kind": p.kind, "name": p.name, "doc": p.doc, "refs": list(p.refs)}
                       for p in model.properties],
        "temporals": [{"name": t.name, "kind": t.kind, "params": [p.name for p in t.params], "doc": t.doc}
                      for t in model.temporals],
    }))


def _type_json(t: object) -> dict[str, Any]:
    if isinstance(t, SortT):
        return {"kind": "sort", "name": t.name, "size": t.size, "symmetric": t.symmetric,
                "values": [f"{t.prefix}{i}" for i in range(t.size)]}
    if isinstance(t, EnumT):
        return {"kind": "enum", "name": t.name, "members": list(t.members)}
    if isinstance(t, RecordT):
        return {"kind": "record", "name": t.name, "fields": {f: str(ft) for f, ft in t.fields}}
    raise AssertionError(t)


def explain_text(model: ir.Model, loaded: Loaded) -> str:
    out = [f"model {model.name} ({model.path})"]
    if model.doc:
        out += ["  " + line for line in model.doc.splitlines()]
    if len(loaded.files) > 1:
        out.append("files: " + ", ".join(loaded.files))
    out.append(f"instance: {model.instance or '(declared constant values)'}"
               + (f"; declared: {', '.join(sorted(loaded.instances))}" if loaded.instances else ""))
    out.append("")
    out.append("constants:")
    for name, value in model.consts:
        out.append(f"  {name} = {str(value).lower() if isinstance(value, bool) else int_text(value)}")
    out.append("")
    out.append("types:")
    for t in model.types:
        if isinstance(t, SortT):
            sym = "symmetric " if t.symmetric else ""
            out.append(f"  {sym}sort {t.name}: {', '.join(f'{t.prefix}{i}' for i in range(t.size))}")
        elif isinstance(t, EnumT):
            out.append(f"  enum {t.name}: {', '.join(t.members)}")
        elif isinstance(t, RecordT):
            out.append(f"  record {t.name} {{ " + ", ".join(f"{f}: {ft}" for f, ft in t.fields) + " }")
    out.append("")
    out.append("state variables:")
    for v in model.vars:
        doc = f"  -- {_first_line(v.doc)}" if v.doc else ""
        out.append(f"  {v.name}: {v.type}{doc}")
    out.append("")
    out.append("actions:")
    for a in model.actions:
        params = ", ".join(f"{p.name}: {p.type}" for p in a.params)
        out.append(f"  {a.name}({params})")
        for r in a.refs:
            out.append(f"      @ref {r}")
        if a.weight != ir.DEFAULT_WEIGHT:
            out.append(f"      @weight {a.weight} (random runs; default {ir.DEFAULT_WEIGHT})")
        if a.fairness is not None:
            out.append(f"      {a.fairness} fairness (per instance)")
        for line in a.doc.splitlines():
            out.append(f"      {line}")
    if model.helpers:
        out.append("")
        out.append("defs and procs:")
        for kind, name, sig, doc, refs in model.helpers:
            out.append(f"  {kind} {name}{sig}" + (f"  -- {_first_line(doc)}" if doc else ""))
            for r in refs:
                out.append(f"      @ref {r}")
    out.append("")
    out.append("properties:")
    for p in model.properties:
        out.append(f"  {p.kind} {p.name}" + (f"  -- {_first_line(p.doc)}" if p.doc else ""))
        for r in p.refs:
            out.append(f"      @ref {r}")
    for tp in model.temporals:
        over = f" (forall {', '.join(p.name for p in tp.params)})" if tp.params else ""
        out.append(f"  temporal {tp.name}: {tp.kind}{over}" + (f"  -- {_first_line(tp.doc)}" if tp.doc else ""))
    return "\n".join(escape(line) for line in out)

