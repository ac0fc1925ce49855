"""The atoms of one scope compiled to one Python function (the explicit engine's expression compiler),
which adds the tuple of atom values of every state and binding to a set: the filter's inner loop.

An atom is None where its guard is false or where evaluating it raises a model error, as in
filter._value (the reference evaluation, used when the compiler does not take an expression).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from checkers.explicit.codegen import Compiler
from checkers.explicit.codegen_expr import Ctx
from xenmodel import ir

Observe = Callable[[Iterable[tuple[Any, ...]], Sequence[tuple[Any, ...]], set[tuple[bool | None, ...]]], None]
Body = tuple[ir.Expr, tuple[ir.Quant, ...]]


def compile_scope(model: ir.Model, atoms: Sequence[tuple[Body, Body | None]]) -> Observe:
    """observe(states, bindings, into). Raises checkers.explicit.runtime.Unsupported for an expression
    the compiler does not take."""
    cp = Compiler(model)
    nvars = len(model.vars)
    cp.cur_site = None
    cp.emit("def _observe(_states, _bindings, _into):")
    cp.indent += 1
    cp.emit("for _st in _states:")
    cp.indent += 1
    if nvars:
        cp.emit("(" + "".join(f"_s{j}, " for j in range(nvars)) + ") = _st")
    depth = len(atoms[0][0][1]) if atoms else 0
    cp.emit("for (" + "".join(f"_b{i}, " for i in range(depth)) + ") in _bindings:")
    cp.indent += 1
    cp.emit("_r = []")
    for core, guard in atoms:
        c_code = _code(cp, core, nvars)
        cp.emit("try:")
        if guard is not None:
            g_code = _code(cp, guard, nvars)
            cp.emit(f"    _r.append(bool({c_code}) if {g_code} else None)")
        else:
            cp.emit(f"    _r.append(bool({c_code}))")
        cp.emit("except ModelError:")
        cp.emit("    _r.append(None)")
    cp.emit("_into.add(tuple(_r))")
    src = "\n".join(cp.lines) + "\n"
    exec(compile(src, "<xenmodel-infer atoms>", "exec"), cp.ns)  # noqa: S102 - our own generated code
    fn: Observe = cp.ns["_observe"]
    return fn


def _code(cp: Compiler, body: Body, nvars: int) -> str:
    expr, quants = body
    env = {q.uid: (f"_b{i}", False) for i, q in enumerate(quants)}
    ctx = Ctx([f"_s{j}" for j in range(nvars)], env, [], -1, "()")
    code, _ = cp.ex(expr, ctx)
    return code
