"""One model's generated code: the list-sink successor function, the property checkers and the
breadth-first expansion function (see checkers.explicit.codegen for how the code is generated)."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, Protocol, TypeVar

from xenmodel import ir
from xenmodel.model_errors import ModelError

from .analysis import expr_vars
from .codegen import Compiler
from .codegen_expr import Ctx
from .runtime import Unsupported
from .store import State, Store

# the generated functions (see the build_* methods for what they return)
SuccFn = Callable[[State], list[Any]]  # noqa: UP040
CheckFn = Callable[[State], tuple[int, ModelError | None] | None]  # noqa: UP040
ExpandFn = Callable[[list[State], int, int, "set[State] | dict[State, int]", Any], tuple[str, Any, Any, Any]]  # noqa: UP040
Canon = Callable[[State], State]  # noqa: UP040


class EdgeSink(Protocol):
    """Where the BFS records the transitions it generates (checkers/explicit/liveness_graph.Graph):
    per transition, the target's index is appended to `target` and the label of the action instance
    (`instance_ids[(action index, args)]`, made by `new_label` the first time) to `label`; then
    `close(source index)` once a state is expanded."""
    instance_ids: dict[tuple[int, tuple[Any, ...]], int]
    target: Any
    label: Any

    def new_label(self, key: tuple[int, tuple[Any, ...]]) -> int: ...
    def close(self, source: int) -> None: ...
P = ParamSpec("P")
R = TypeVar("R")

# ----------------------------------------------------------------- the compiled model
# what CPython says of source nested deeper than it accepts (the generated code nests as the model does)
PYTHON_NESTING_LIMITS = ("too many statically nested blocks", "too many nested parentheses",
                         "too many levels of indentation")


def _within_python_limits(build: Callable[P, R]) -> Callable[P, R]:
    """A build_* method whose model nests deeper than Python (or the generator's own recursion) can take
    raises Unsupported, so that the engine falls back to the reference semantics; any other invalid
    generated code is a bug of the generator and propagates."""
    @functools.wraps(build)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return build(*args, **kwargs)
        except RecursionError as err:
            raise Unsupported(f"it nests too deeply for the code generator ({err})") from err
        except SyntaxError as err:
            if err.msg in PYTHON_NESTING_LIMITS:
                raise Unsupported(f"its generated code nests too deeply for Python: {err.msg}") from err
            raise
    return guarded


class ModelCode:
    """Generated source for one model: the list-sink successor function, property checkers, and a
    factory for the BFS expansion function."""

    def __init__(self, model: ir.Model) -> None:
        self.model = model
        self.nvars = len(model.vars)
        self.props = list(model.properties)
        self.prop_reads: list[frozenset[int]] | None = None  # per property, the variables it reads (built by build_bfs)
        self.action_names = [a.name for a in model.actions]

    # -------------------------------------------------------- list sink (for tests and traces)
    @_within_python_limits
    def build_list(self) -> tuple[SuccFn, str]:
        cp = Compiler(self.model)
        cp.ns["_ONE"] = (0,)
        nv = self.nvars
        cp.emit("def _succ_list(_st):")
        cp.indent += 1
        cp.emit("_out = []")
        cp.emit("_ap = _out.append")
        if nv:
            cp.emit("(" + "".join(f"_s{j}, " for j in range(nv)) + ") = _st")
        cp.emit("try:")
        cp.indent += 1
        body_start = len(cp.lines)
        for aid, a in enumerate(self.model.actions):
            cp.action(aid, a, nv, lambda ctx: cp.emit(
                f"_ap(({ctx.aid}, {ctx.args}, {cp.picks_code(ctx)}, {cp.state_tuple(ctx)}))"))
        if len(cp.lines) == body_start:
            cp.emit("pass")
        cp.indent -= 1
        cp.cur_site = None
        self._handler(cp, "_ap(('error', _a, _g, _k, _e)); return _out")
        cp.emit("return _out")
        cp.indent -= 1
        fn = self._finish(cp, "_succ_list")
        return fn, "\n".join(cp.lines)

    def _handler(self, cp: Compiler, then: str) -> None:
        # the site's argument and pick expressions are evaluated in the frame's locals, once, when an
        # error happens: one table entry per site (an if/elif chain over the sites made the source
        # nest as deep as there are sites)
        cp.emit("except ModelError as _e:")
        cp.indent += 1
        cp.emit("_site = _LINESITE.get(_e.__traceback__.tb_lineno)")
        cp.emit("if _site is None: raise")
        cp.emit("_a, _g, _k = _SITEVAL(_site, locals())")
        ns = cp.ns
        table = [(aid, compile(args, "<site args>", "eval"), compile(picks, "<site picks>", "eval"))
                 for aid, args, picks in cp.sites]
        ns["_SITEVAL"] = lambda ix, loc: (table[ix][0], eval(table[ix][1], ns, loc),
                                          eval(table[ix][2], ns, loc))
        for part in then.split("; "):
            cp.emit(part)
        cp.indent -= 1

    def _finish(self, cp: Compiler, name: str) -> Any:
        src = "\n".join(cp.lines) + "\n"
        # line numbers are 1-based
        cp.ns["_LINESITE"] = {i + 1: s for i, s in enumerate(cp.line_site) if s is not None}
        code = compile(src, f"<xenmodel-compiled {self.model.name}:{name}>", "exec")
        exec(code, cp.ns)  # noqa: S102 - our own generated code
        return cp.ns[name]

    # -------------------------------------------------------- properties
    @_within_python_limits
    def build_props(self) -> CheckFn:
        """check_all(state) -> None | (property index, ModelError | None): the first failing property."""
        cp = Compiler(self.model)
        cp.properties_fn("_check_all", list(enumerate(self.props)))
        fn: CheckFn = self._finish(cp, "_check_all")
        return fn

    def props_subset(self, changed: set[int]) -> list[tuple[int, ir.Property]]:
        if self.prop_reads is None:
            self.prop_reads = [expr_vars(p.expr) for p in self.props]
        return [(i, p) for i, p in enumerate(self.props) if self.prop_reads[i] & changed]

    # -------------------------------------------------------- BFS sink
    @_within_python_limits
    def build_bfs(self, store: Store, canon: Canon | None, max_states: int | None,
                  deadlock: bool, edges: EdgeSink | None = None) -> tuple[ExpandFn, str]:
        """Source and function `_expand(_states, _lo, _hi, _seen, _parent)` -> (status, info, gen, dist).

        With `edges` (for the liveness pass), `_seen` is a dict state -> index and every transition
        is recorded in `edges` (see EdgeSink).

        status: "done" (states[lo:hi] expanded), "inv" (info = (state index, property index, error)),
        "error" (info = (state index, action index, args, picks, ModelError)), "deadlock" (info = state
        index), "limit" (max_states reached; info = index of the next state to expand).
        """
        cp = Compiler(self.model)
        cp.ns["_ONE"] = (0,)
        nv = self.nvars
        na = len(self.model.actions)
        # per-site property checkers, by the set of variables a transition may change
        prop_fns: dict[frozenset[int], str | None] = {}
        prop_src: list[str] = []

        def props_for(changed: set[int]) -> str | None:
            key = frozenset(changed)
            if key in prop_fns:
                return prop_fns[key]
            subset = self.props_subset(set(changed))
            if not subset:
                prop_fns[key] = None
                return None
            sub = Compiler(self.model)
            sub.ns = cp.ns
            sub._n = cp._n
            sub._consts = cp._consts
            name = cp.fresh("_props")
            sub.properties_fn(name, subset)
            prop_src.extend(sub.lines)
            prop_fns[key] = name
            return name

        counts = "(" + "".join(f"_g{a}, " for a in range(na)) + "), (" + "".join(f"_d{a}, " for a in range(na)) + ")"
        cp.emit("def _expand(_states, _lo, _hi, _seen, _parent):")
        cp.indent += 1
        cp.emit(("_seen_get = _seen.get" if edges is not None else "_seen_add = _seen.add")
                + "; _st_append = _states.append; _par_append = _parent.append")
        if edges is not None:
            cp.emit("_lab_get = _LABELS.get; _tg_append = _TARGETS.append; _lb_append = _LABS.append")
        for ix in range(nv):
            cp.emit(f"_G{ix} = _IDS[{ix}].get; _V{ix} = _VALS[{ix}]; _in{ix} = _IDS[{ix}].setdefault")
        for a in range(na):
            cp.emit(f"_g{a} = 0; _d{a} = 0")
        cp.emit("_i = _lo")
        cp.emit("try:")
        cp.indent += 1
        cp.emit("while _i < _hi:")
        cp.indent += 1
        if nv and store.raw:
            cp.emit("(" + "".join(f"_s{j}, " for j in range(nv)) + ") = _states[_i]")
        elif nv:
            cp.emit("(" + "".join(f"_a{j}, " for j in range(nv)) + ") = _states[_i]")
            cp.emit("; ".join(f"_s{j} = _V{j}[_a{j}]" for j in range(nv)))
        cp.emit("_en = 0")

        def sink(ctx: Ctx) -> None:
            aid = ctx.aid
            # variables whose SSA name differs from the parent's may have changed
            changed = [ix for ix in range(nv) if ctx.vars[ix] != f"_s{ix}"]
            if canon is not None:
                cp.emit(f"_c = _canon({cp.state_tuple(ctx)})")
                cp.emit("_t = _enc(_c)" if not store.raw else "_t = _c")
            elif store.raw:
                cp.emit(f"_t = {cp.state_tuple(ctx)}")
            else:
                # a state is stored as the tuple of its components' ids: only the components this
                # transition rebuilt are hashed (to find their ids); the others keep the parent's
                for ix in changed:
                    v = ctx.vars[ix]
                    cp.emit(f"_x{ix} = _G{ix}({v})")
                    cp.emit(f"if _x{ix} is None: _x{ix} = _new({ix}, {v})")
                cp.emit("_t = (" + "".join((f"_x{ix}, " if ix in changed else f"_a{ix}, ")
                                           for ix in range(nv)) + ")")
            cp.emit(f"_g{aid} += 1; _en = 1")
            if edges is not None:
                cp.emit("_j = _seen_get(_t)")
                cp.emit("if _j is None:")
            else:
                cp.emit("if _t not in _seen:")
            cp.indent += 1
            if store.raw and canon is None and changed:
                # intern the rebuilt components: equal components of different states share one object
                cp.emit("_t = (" + "".join(f"_in{ix}({ctx.vars[ix]}, {ctx.vars[ix]}), " if ix in changed
                                           else f"_s{ix}, " for ix in range(nv)) + ")")
            if edges is not None:
                cp.emit(f"_j = len(_states); _seen[_t] = _j; _st_append(_t); _par_append(_i); _d{aid} += 1")
            else:
                cp.emit(f"_seen_add(_t); _st_append(_t); _par_append(_i); _d{aid} += 1")
            # only the properties that read a variable the transition may have written: the parent
            # satisfied all of them (under symmetry too: properties are invariant under the group)
            pf = props_for(set(changed))
            if pf is not None:
                cp.emit(f"_r = {pf}({'_c' if canon is not None else cp.state_tuple(ctx)})")
                cp.emit("if _r is not None: raise _Stop('inv', (len(_states) - 1, _r[0], _r[1]))")
            if max_states is not None:
                cp.emit(f"if len(_states) >= {max_states}: raise _Stop('limit', _i)")
            cp.indent -= 1
            if edges is not None:  # inline: a call per transition would cost more than the search
                cp.emit(f"_k = ({aid}, {ctx.args}); _l = _lab_get(_k)")
                cp.emit("if _l is None: _l = _new_label(_k)")
                cp.emit("_tg_append(_j); _lb_append(_l)")

        for aid, action in enumerate(self.model.actions):
            cp.action(aid, action, nv, sink)
        cp.cur_site = None
        if deadlock:
            cp.emit("if not _en: raise _Stop('deadlock', _i)")
        if edges is not None:
            cp.emit("_close(_i)")
        cp.emit("_i += 1")
        cp.indent -= 2
        self._handler(cp, f"return 'error', (_i, _a, _g, _k, _e), {counts}")
        cp.emit("except _Stop as _x:")
        cp.emit(f"    return _x.args[0], _x.args[1], {counts}")
        # Ctrl-C, --timeout (SIGALRM), out of memory: the caller reports the counts so far
        cp.emit("except BaseException as _x:")
        cp.emit(f"    _x.counts = {counts}")
        cp.emit("    raise")
        cp.emit(f"return 'done', _hi, {counts}")
        cp.indent -= 1
        if canon is not None:
            cp.ns["_canon"] = canon
        cp.ns["_IDS"] = store.ids
        cp.ns["_VALS"] = store.vals
        cp.ns["_new"] = store.new
        cp.ns["_enc"] = store.encode
        if edges is not None:
            cp.ns["_LABELS"] = edges.instance_ids
            cp.ns["_new_label"] = edges.new_label
            cp.ns["_TARGETS"] = edges.target
            cp.ns["_LABS"] = edges.label
            cp.ns["_close"] = edges.close
        # property functions go before _expand (line numbers of _expand must stay as recorded: append)
        cp.lines.extend(prop_src)
        cp.line_site.extend([None] * len(prop_src))
        fn = self._finish(cp, "_expand")
        return fn, "\n".join(cp.lines)
