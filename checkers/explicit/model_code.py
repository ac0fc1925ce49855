"""One model's generated code: the list-sink successor function, the property checkers and the
breadth-first expansion function (see checkers.explicit.codegen for how the code is generated)."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, Protocol, TypeVar

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.model_errors import ModelError

from .analysis import expr_vars
from .bfs_code import BfsWriter
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


class Owner(Protocol):
    """The partitioned search's owner test for build_bfs (partition.OwnerTest): a new state `t` (packed)
    belongs to partition `table[t & bits]`, or `miss(t)` (which fills the table) where that is absent;
    `me` is the partition expanding."""
    table: dict[int, int]
    bits: int
    me: int

    def miss(self, t: int) -> int: ...


P = ParamSpec("P")
R = TypeVar("R")

# ----------------------------------------------------------------- the compiled model
# what CPython says of source nested deeper than it accepts (the generated code nests as the model does)
PYTHON_NESTING_LIMITS = ("too many statically nested blocks", "too many nested parentheses",
                         "too many levels of indentation")


# IR nesting beyond which the generated code cannot compile in CPython for any shape we generate (it
# refuses 100 levels of indentation and 200 nested parentheses): refused before generating, since
# generating it takes minutes (5,000 nested `if`s: 104 s) only for compile() to refuse it
MAX_COMPILED_NESTING = 500


def _within_python_limits(build: Callable[P, R]) -> Callable[P, R]:
    """A build_* method whose model nests deeper than Python (or the generator's own recursion) can take
    raises Unsupported, so that the engine falls back to the reference semantics; any other invalid
    generated code is a bug of the generator and propagates."""
    @functools.wraps(build)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        self = args[0]
        assert isinstance(self, ModelCode)
        if self.depth > MAX_COMPILED_NESTING:
            raise Unsupported(f"it nests {self.depth} levels deep, more than Python's compiler takes "
                              f"(the generator stops at {MAX_COMPILED_NESTING})")
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
        self.depth = S.nesting_depth(model)

    # -------------------------------------------------------- list sink (for tests and traces)
    @_within_python_limits
    def build_list(self) -> tuple[SuccFn, str]:
        cp = Compiler(self.model)
        cp.ns["_ONE"] = (0,)
        cp.emit("def _succ_list(_st):")
        cp.indent += 1
        cp.emit("_out = []")
        cp.emit("_ap = _out.append")
        self._every_transition(cp, lambda ctx: cp.emit(
            f"_ap(({ctx.aid}, {ctx.args}, {cp.picks_code(ctx)}, {cp.state_tuple(ctx)}))"))
        self._handler(cp, "_ap(('error', _a, _g, _k, _e)); return _out")
        cp.emit("return _out")
        cp.indent -= 1
        fn = self._finish(cp, "_succ_list")
        return fn, "\n".join(cp.lines)

    @_within_python_limits
    def build_enabled(self) -> Callable[[State], bool]:
        """enabled(state) -> bool: does the state have a successor or a model error? The list sink's
        answer (`bool(succ_list(state))`) without building the list: the first transition found
        returns True, and so does a model error (the list would hold it); the deadlock test of the
        last level of --max-depth and of a level with a violation calls it once per state."""
        cp = Compiler(self.model)
        cp.ns["_ONE"] = (0,)
        cp.emit("def _enabled(_st):")
        cp.indent += 1
        self._every_transition(cp, lambda ctx: cp.emit("return True"))
        cp.emit("except ModelError:")
        cp.emit("    return True")
        cp.emit("return False")
        cp.indent -= 1
        fn: Callable[[State], bool] = self._finish(cp, "_enabled")
        return fn

    def _every_transition(self, cp: Compiler, at_transition: Callable[[Ctx], None]) -> None:
        """The body both sinks share: the state unpacked, then a `try:` over every action's transitions,
        each handed to `at_transition`; the caller emits the `except`."""
        nv = self.nvars
        if nv:
            cp.emit("(" + "".join(f"_s{j}, " for j in range(nv)) + ") = _st")
        cp.emit("try:")
        cp.indent += 1
        body_start = len(cp.lines)
        for aid, a in enumerate(self.model.actions):
            cp.action(aid, a, nv, at_transition)
        if len(cp.lines) == body_start:
            cp.emit("pass")
        cp.indent -= 1
        cp.cur_site = None

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
                  deadlock: bool, edges: EdgeSink | None = None, owner: Owner | None = None) -> tuple[ExpandFn, str]:
        """Source and function `_expand(_states, _lo, _hi, _seen, _parent)` -> (status, info, gen, dist).

        With `edges` (for the liveness pass), `_seen` is a dict state -> index and every transition
        is recorded in `edges` (see EdgeSink).

        status: "done" (states[lo:hi] expanded), "inv" (info = (state index, property index, error)),
        "error" (info = (state index, action index, args, picks, ModelError)), "deadlock" (info = state
        index), "limit" (max_states reached; info = index of the next state to expand).

        With `owner` (packed states only), a new state of another partition is appended to `_states` with
        the parent link ~index (negative), and neither added to `_seen` nor checked.
        """
        cp = BfsWriter(self, store, canon, max_states, deadlock, edges, owner).write()
        fn = self._finish(cp, "_expand")
        return fn, "\n".join(cp.lines)
