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
from checkers.explicit.runtime import Unsupported
from xenmodel import ir
from xenmodel import semantics as S

Observe = Callable[[Iterable[tuple[Any, ...]], Sequence[tuple[Any, ...]], set[tuple[bool | None, ...]]], None]
Body = tuple[ir.Expr, tuple[ir.Quant, ...]]


def state_loop(model: ir.Model, header: str) -> tuple[Compiler, int]:
    """A compiler whose code so far is `header` (a def line) and a loop over its `_states` argument
    that unpacks each state's variables into _s0, _s1, ...; and the number of variables."""
    cp = Compiler(model)
    nvars = len(model.vars)
    cp.cur_site = None
    cp.emit(header)
    cp.indent += 1
    cp.emit("for _st in _states:")
    cp.indent += 1
    if nvars:
        cp.emit("(" + "".join(f"_s{j}, " for j in range(nvars)) + ") = _st")
    return cp, nvars


def compile_scope(model: ir.Model, atoms: Sequence[tuple[Body, Body | None]]) -> Observe:
    """observe(states, bindings, into). Raises checkers.explicit.runtime.Unsupported for an expression
    the compiler does not take."""
    cp, nvars = state_loop(model, "def _observe(_states, _bindings, _into):")
    depth = len(atoms[0][0][1]) if atoms else 0
    cp.emit("for (" + "".join(f"_b{i}, " for i in range(depth)) + ") in _bindings:")
    cp.indent += 1
    # the fast path builds the tuple in one expression; a model error (rare: an atom outside its
    # guard's protection) sends the binding to the slow path, one try per atom
    fast: list[str] = []
    slow: list[str] = []
    for core, guard in atoms:
        c_code = _code(cp, core, nvars)
        g_code = None if guard is None else _code(cp, guard, nvars)
        value = f"bool({c_code})" if g_code is None else f"(bool({c_code}) if {g_code} else None)"
        fast.append(value)
        slow.extend(["try:", f"    _r.append({value})", "except ModelError:", "    _r.append(None)"])
    cp.emit("try:")
    cp.emit("    _into.add((" + "".join(f"{v}, " for v in fast) + "))")
    cp.emit("except ModelError:")
    cp.indent += 1
    cp.emit("_r = []")
    for line in slow:
        cp.emit(line)
    cp.emit("_into.add(tuple(_r))")
    cp.indent -= 1
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


def failing_fn(model: ir.Model) -> Callable[[tuple[Any, ...]], set[str]]:
    """state -> the names of the model's properties false in it (or raising there): compiled once, for
    the many candidates the selection evaluates on every CTI; the reference semantics where the
    compiler does not take a property."""
    names = [p.name for p in model.properties]
    try:
        cp = Compiler(model)
        nvars = len(model.vars)
        cp.cur_site = None
        cp.emit("def _failing(_st):")
        cp.indent += 1
        if nvars:
            cp.emit("(" + "".join(f"_s{j}, " for j in range(nvars)) + ") = _st")
        cp.emit("_bad = []")
        for i, p in enumerate(model.properties):
            code, _ = cp.ex(p.expr, Ctx([f"_s{j}" for j in range(nvars)], {}, [], -1, "()"))
            cp.emit("try:")
            cp.emit(f"    if not {code}: _bad.append({i})")
            cp.emit("except ModelError:")
            cp.emit(f"    _bad.append({i})")
        cp.emit("return _bad")
        exec(compile("\n".join(cp.lines) + "\n", "<xenmodel-infer failing>", "exec"), cp.ns)  # noqa: S102
        fn = cp.ns["_failing"]
    except Unsupported:
        return lambda state: {p.name for p, _ in S.check_properties(model, state)}
    return lambda state: {names[i] for i in fn(state)}
