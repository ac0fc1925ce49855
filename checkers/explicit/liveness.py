"""Temporal properties on the reachable graph: fair cycles, lassos, verdicts.

Every shape reduces to one question on the graph (see liveness_graph.py): is there a state of a
START set from which a path through ALLOWED states reaches a fair cycle of ALLOWED states (one that
visits a MUST state, when there is a MUST set)?

    shape               START            ALLOWED   MUST
    P ~> Q              P && !Q          !Q        -
    eventually P        initial && !P    !P        -
    always eventually P !P               !P        -
    always P            !P               all       -
    eventually always P all              all       !P

(a prefix from an initial state to the START state is unconstrained, except for `eventually`, whose
START states are initial.) Fair cycles are found by SCC decomposition (Emerson-Lei / Streett): a
component is accepted when it has a MUST state and every fairness condition of every fair action
instance holds on it: weak: the instance is taken on an edge inside it or disabled in one of its
states; strong: taken inside it or disabled in all its states. A weak failure rejects the component
(every cycle in it is unfair); a strong failure removes the states where the instance is enabled and
decomposes the rest again. The lasso: the shallowest START state that reaches an accepted component
(BFS numbering), a shortest path to it, a shortest path on to the component, then a cycle through
every fair instance taken inside the component (and, for a weak one never taken, a state where it is
disabled; and a MUST state). It is replayed through `xenmodel.trace.replay`, which judges it with
`xenmodel.liveness`.
"""
from __future__ import annotations

import dataclasses
import time
from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from xenmodel import ir
from xenmodel import liveness as L
from xenmodel import semantics as S
from xenmodel.result import EngineOptions, Result, Status, Violation
from xenmodel.trace import Trace, TraceStep, replay
from xenmodel.types import BOOL

from .liveness_fast import fast
from .liveness_graph import STUTTER, Graph, Timeout, sccs
from .model_code import ModelCode
from .runtime import Unsupported

if TYPE_CHECKING:
    from .search import Search

ENGINE = "explicit"


class Unfit(Exception):
    """A temporal predicate raised a model error in a reachable state: the engine cannot decide."""


FAST_FROM = 20_000  # states from which numpy/scipy find the fair components, when installed


class Checker:
    def __init__(self, g: Graph, deadline: float | None) -> None:
        self.g = g
        self.model = g.model
        self.deadline = deadline
        self.fast = fast(g) if len(g.states) >= FAST_FROM else None
        self._reverse: tuple[Any, Any] | None = None
        self.fair: list[tuple[int, ir.Fairness]] = []  # (label, fairness) of every fair instance seen
        for lab, (aid, _args) in enumerate(g.instances):
            f = self.model.actions[aid].fairness
            if f is not None:
                self.fair.append((lab, f))
        # a fair instance never enabled in any reachable state has no label: it constrains nothing

    def _tick(self) -> None:
        if self.deadline is not None and time.perf_counter() > self.deadline:
            raise Timeout()

    # ---------------------------------------------------------------- predicates
    def mask(self, e: ir.Expr, t: ir.Temporal, args: tuple[Any, ...], negate: bool) -> bytearray:
        """Per state, whether the predicate holds (or fails, with negate), compiled where the code
        generator takes it (the instance's values bound by lets), else by the reference semantics."""
        body = e
        for p, a in reversed(list(zip(t.params, args, strict=True))):
            body = ir.LetIn(p.uid, p.name, ir.Lit(a, p.type), body, BOOL)
        try:
            pred = dataclasses.replace(self.model, properties=(ir.Property("invariant", "_p", body),), temporals=())
            check_one = ModelCode(pred).build_props()
        except Unsupported:
            env = L.env_of(t, args)

            def check_one(s: tuple[Any, ...]) -> tuple[int, S.ModelError | None] | None:
                try:
                    return None if S.eval_expr(e, s, env) else (0, None)
                except S.ModelError as err:
                    return 0, err
        self._tick()
        results = list(map(check_one, self.g.states))
        err = next((r[1] for r in results if r is not None and r[1] is not None), None)
        if err is not None:
            raise Unfit(f"evaluating it raised {err.code} ({err.message}) in a reachable state")
        self._tick()
        return bytearray((r is None) != negate for r in results)

    # ---------------------------------------------------------------- fair components
    def fair_components(self, allowed: bytearray, must: bytearray | None) -> list[list[int]]:
        """Accepted components (strongly connected, with a cycle) inside the allowed states."""
        if self.fast is not None:
            return self.fast.fair_components(allowed, must, [(lab, f == ir.Fairness.STRONG) for lab, f in self.fair])
        out: list[list[int]] = []
        todo = [allowed]
        while todo:
            self._tick()
            mask = todo.pop()
            for comp in sccs(self.g, mask):
                if must is not None and not any(must[i] for i in comp):
                    continue
                verdict = self._fairness(comp)
                if verdict is None:
                    out.append(comp)
                elif verdict:  # strong failures: drop the states enabling them, decompose again
                    sub = bytearray(len(self.g.states))
                    for i in comp:
                        sub[i] = 1
                    for i in comp:
                        if self.g.enabled(i) & verdict:
                            sub[i] = 0
                    todo.append(sub)
        return out

    def _fairness(self, comp: list[int]) -> set[int] | None:
        """None: every condition holds on the component; an empty set: a weak condition fails (reject);
        else the strongly fair labels enabled in it but never taken inside it."""
        taken, enabled_all, enabled_any = self._aggregates(comp)
        strong_bad: set[int] = set()
        for lab, f in self.fair:
            if lab in taken:
                continue
            if f == ir.Fairness.WEAK and lab in enabled_all:
                return set()
            if f == ir.Fairness.STRONG and lab in enabled_any:
                strong_bad.add(lab)
        return strong_bad or None

    def _fast_reverse(self) -> tuple[Any, Any]:
        if self._reverse is None:
            assert self.fast is not None
            self._reverse = self.fast.reverse()
        return self._reverse

    def _aggregates(self, comp: list[int]) -> tuple[set[int], set[int], set[int]]:
        """(labels taken on an edge inside, labels enabled in every state, labels enabled in some state)."""
        inside = set(comp)
        taken: set[int] = set()
        enabled_all: set[int] | None = None
        enabled_any: set[int] = set()
        for i in comp:
            en = self.g.enabled(i)
            enabled_any |= en
            enabled_all = en if enabled_all is None else enabled_all & en
            for t, lab in self.g.edges(i):
                if t in inside:
                    taken.add(lab)
        return taken, enabled_all or set(), enabled_any

    # ---------------------------------------------------------------- one property instance
    def search(self, start: bytearray, allowed: bytearray, must: bytearray | None,
               ) -> tuple[int, list[int], list[int]] | None:
        """(the START state, its path through ALLOWED to the component, the component) or None."""
        comps = self.fair_components(allowed, must)
        if not comps:
            return None
        comp_of: dict[int, int] = {}
        for k, comp in enumerate(comps):
            for i in comp:
                comp_of[i] = k
        # backwards from the components through allowed states: the states that reach one
        g = self.g
        rfirst, rsource = g.reverse() if self.fast is None else self._fast_reverse()
        reach = bytearray(len(g.states))
        queue = deque(comp_of)
        for i in queue:
            reach[i] = 1
        while queue:
            v = queue.popleft()
            for u in rsource[rfirst[v]:rfirst[v + 1]]:
                if allowed[u] and not reach[u]:
                    reach[u] = 1
                    queue.append(u)
        s = next((i for i in range(len(g.states)) if start[i] and reach[i]), None)  # BFS order: shallowest
        if s is None:
            return None
        path = self._bfs(s, lambda i: i in comp_of, lambda i: bool(allowed[i]))
        return s, path, comps[comp_of[path[-1]]]

    def _bfs(self, src: int, goal: Any, ok: Any) -> list[int]:
        """A shortest path from src to a goal state through ok states (src itself may be the goal)."""
        prev = {src: -1}
        queue = deque([src])
        while queue:
            v = queue.popleft()
            if goal(v):
                path = []
                while v >= 0:
                    path.append(v)
                    v = prev[v]
                return path[::-1]
            for t, _ in self.g.edges(v):
                if t not in prev and ok(t):
                    prev[t] = v
                    queue.append(t)
        raise RuntimeError("explicit liveness: internal error: no path to a state the search reached")

    def cycle(self, entry: int, comp: list[int], must: bytearray | None) -> list[tuple[int, int]]:
        """A cycle from entry back to entry inside the component, as (state, label of the edge taken
        from it), through: every fair instance taken inside the component, a state disabling each weak
        one that is not taken there but enabled somewhere, and a MUST state. Greedy: the nearest
        unmet requirement next, then back to entry by a shortest path."""
        inside = set(comp)
        g = self.g
        enabled = {i: g.enabled(i) for i in comp}
        sources: dict[int, set[int]] = {}  # label -> the states with an edge inside taking it
        for i in comp:
            for t, lab in g.edges(i):
                if t in inside:
                    sources.setdefault(lab, set()).add(i)
        need_edge = {lab for lab, _f in self.fair if lab in sources}
        need_state: list[set[int]] = []
        for lab, _f in self.fair:
            if lab not in sources and any(lab in en for en in enabled.values()):
                need_state.append({i for i in comp if lab not in enabled[i]})
        if must is not None:
            need_state.append({i for i in comp if must[i]})
        steps: list[tuple[int, int]] = []
        visited = {entry}
        cur = entry
        while True:
            need_state = [goal for goal in need_state if not goal & visited]
            goals: set[int] = set().union(*need_state) if need_state else set()
            for e in need_edge:
                goals |= sources[e]
            if not goals:
                break
            cur = self._walk(cur, goals, inside, steps, visited)
            take = next((e for e in sorted(need_edge) if cur in sources[e]), None)
            if take is not None:
                nxt = next(t for t, b in g.edges(cur) if b == take and t in inside)
                steps.append((cur, take))
                need_edge.discard(take)
                cur = nxt
                visited.add(cur)
        if cur == entry and not steps:  # nothing required: the shortest cycle through entry
            for t, lab in g.edges(entry):
                if t == entry:
                    return [(entry, lab)]
            t, lab = next((t, lab) for t, lab in g.edges(entry) if t in inside)
            steps.append((entry, lab))
            cur = t
        self._walk(cur, {entry}, inside, steps, visited)
        return steps

    def _walk(self, src: int, goals: set[int], inside: set[int], steps: list[tuple[int, int]],
              visited: set[int]) -> int:
        """Append the edges of a shortest path from src to the nearest goal inside the component;
        returns that goal (src itself when it is one)."""
        if src in goals:
            return src
        prev: dict[int, tuple[int, int]] = {src: (-1, 0)}
        queue = deque([src])
        dst = -1
        while queue and dst < 0:
            v = queue.popleft()
            for t, lab in self.g.edges(v):
                if t in inside and t not in prev:
                    prev[t] = (v, lab)
                    if t in goals:
                        dst = t
                        break
                    queue.append(t)
        if dst < 0:
            raise RuntimeError("explicit liveness: internal error: a component is not strongly connected")
        path: list[tuple[int, int]] = []
        v = dst
        while v != src:
            u, lab = prev[v]
            path.append((u, lab))
            visited.add(v)
            v = u
        steps.extend(reversed(path))
        return dst

    # ---------------------------------------------------------------- the lasso as a trace
    def lasso(self, t: ir.Temporal, args: tuple[Any, ...], start: int, path: list[int],
              cyc: list[tuple[int, int]]) -> Trace:
        prefix = self.g.path_to(start)[:-1] + path  # ends at the cycle's entry
        states = [self.g.states[i] for i in prefix]
        labels: list[int | None] = [None] + [self._label(a, b) for a, b in zip(prefix, prefix[1:], strict=False)]
        loop = len(states) - 1
        for k, (i, _lab) in enumerate(cyc):
            if k > 0:
                states.append(self.g.states[i])
                labels.append(cyc[k - 1][1])
        closing_label = cyc[-1][1]
        steps = self._steps(states, labels)
        closing = None
        if closing_label != STUTTER:
            closing = self._step(states[-1], closing_label, self.g.states[prefix[-1]])
        return Trace(tuple(steps), Violation.of_temporal(t, args, L.violation_message(t, args)), loop, closing)

    def _label(self, a: int, b: int) -> int:
        return next(lab for t, lab in self.g.edges(a) if t == b)

    def _steps(self, states: Sequence[tuple[Any, ...]], labels: Sequence[int | None]) -> list[TraceStep]:
        first = next(o for o in S.initial_states(self.model) if isinstance(o, S.Step) and o.state == states[0])
        out = [TraceStep("init", (), first.picks, first.state)]
        for k in range(1, len(states)):
            lab = labels[k]
            assert lab is not None
            out.append(self._step(states[k - 1], lab, states[k]))
        return out

    def _step(self, src: tuple[Any, ...], lab: int, dst: tuple[Any, ...]) -> TraceStep:
        aid, args = self.g.instances[lab]
        action = self.model.actions[aid]
        for o in S.successors_of(self.model, action, args, src):
            if isinstance(o, S.Step) and o.state == dst:
                return TraceStep(action.name, tuple(args), o.picks, o.state)
        raise RuntimeError("explicit liveness: internal error: a graph edge is not a transition of the reference")

    # ---------------------------------------------------------------- the driver
    def check(self, t: ir.Temporal, args: tuple[Any, ...]) -> Trace | None:
        """A replayed lasso violating instance `args` of `t`, or None when it holds."""
        n = len(self.g.states)
        every = bytearray([1]) * n
        must = None
        match t.kind:
            case ir.TemporalKind.LEADS_TO:
                assert t.q is not None
                allowed = self.mask(t.q, t, args, negate=True)
                p = self.mask(t.p, t, args, negate=False)
                start = bytearray(a & b for a, b in zip(p, allowed, strict=True))
            case ir.TemporalKind.EVENTUALLY:
                allowed = self.mask(t.p, t, args, negate=True)
                start = bytearray(allowed[i] if i < self.g.n_init else 0 for i in range(n))
            case ir.TemporalKind.ALWAYS_EVENTUALLY:
                allowed = self.mask(t.p, t, args, negate=True)
                start = allowed
            case ir.TemporalKind.ALWAYS:
                start = self.mask(t.p, t, args, negate=True)
                allowed = every
            case ir.TemporalKind.EVENTUALLY_ALWAYS:
                must = self.mask(t.p, t, args, negate=True)
                start = allowed = every
        found = self.search(start, allowed, must)
        if found is None:
            return None
        s, path, comp = found
        trace = self.lasso(t, args, s, path, self.cycle(path[-1], comp, must))
        replay(self.model, trace)  # the judge: a ReplayError here is an internal error
        return trace


def _successors(model: ir.Model) -> Any:
    """The compiled successor list (action index, args, picks, next state), or the reference's."""
    try:
        succ, _ = ModelCode(model).build_list()
        return succ
    except Unsupported:
        aid_of = {a.name: k for k, a in enumerate(model.actions)}
        return lambda state: [(aid_of[o.action], o.args, o.picks, o.state)
                              for o in S.successors(model, state) if isinstance(o, S.Step)]


def after_safety(model: ir.Model, options: EngineOptions, search: Search, result: Result) -> Result:
    """The result of `check` for a model with temporal properties: the safety violation, or a note
    that they were not checked (a bounded or unknown safety run), or the liveness pass's verdict."""
    if result.status == Status.VIOLATED:
        return result
    if result.status != Status.HOLDS:
        names = ", ".join(t.name for t in model.temporals)
        return dataclasses.replace(result, messages=(*result.messages, f"note: the temporal properties ({names}) "
                                                     "were not checked: the safety search did not finish"))
    graph = search.graph
    if graph is not None:
        graph.adopt([search.value(i) for i in range(len(search.states))], search.parent, search.level_starts[1])
    search.states, search.seen = [], set()  # free what the liveness pass does not need
    return check_temporals(model, options, result, graph)


def check_temporals(model: ir.Model, options: EngineOptions, safety: Result, graph: Graph | None) -> Result:
    """The temporal properties of a model whose safety search held: violated (a replayed lasso),
    holds, or unknown (timeout, or a predicate that raises a model error)."""
    started = time.perf_counter()
    timeout = options.timeout
    spent = float(safety.stats.get("seconds", 0.0))
    deadline = None if timeout is None else started + max(0.0, timeout - spent)
    messages = list(safety.messages)
    sym = safety.stats.get("symmetry")
    if sym and "off" not in sym:
        messages.append("note: the temporal properties are checked without symmetry (on the full graph)")
    stats = dict(safety.stats)
    live: dict[str, Any] = {}
    stats["liveness"] = live
    g = graph or Graph(model)
    verdicts: dict[str, str] = {}
    try:
        if graph is None:  # not recorded by the safety search (symmetry, or the reference semantics)
            g.build(_successors(model), deadline)
        live.update(states=len(g.states), edges=len(g.target), instances=len(g.instances))
        checker = Checker(g, deadline)
        for t in model.temporals:
            verdicts[t.name] = "holds"
            for args in L.instances(t):
                try:
                    trace = checker.check(t, args)
                except Unfit as err:
                    live.update(seconds=round(time.perf_counter() - started, 3), properties=verdicts)
                    return Result.unknown(model, ENGINE, f"temporal {L.instance_text(t, args)}: {err}", stats,
                                          messages=tuple(messages))
                if trace is not None:
                    verdicts[t.name] = "violated"
                    live.update(seconds=round(time.perf_counter() - started, 3), properties=verdicts,
                                lasso={"prefix": trace.loop, "cycle": len(trace.steps) - (trace.loop or 0)})
                    return Result.violated(model, ENGINE, trace, stats, messages=tuple(messages))
    except (Timeout, KeyboardInterrupt, MemoryError) as err:
        live.update(seconds=round(time.perf_counter() - started, 3), properties=verdicts)
        why = ("interrupted (Ctrl-C)" if isinstance(err, KeyboardInterrupt) else "out of memory"
               if isinstance(err, MemoryError) else f"timeout after {timeout:g} s")
        return Result.unknown(model, ENGINE, f"{why} while checking the temporal properties (every safety "
                              "property holds)", stats, messages=tuple(messages))
    live.update(seconds=round(time.perf_counter() - started, 3), properties=verdicts)
    assert safety.status == Status.HOLDS
    return Result.holds(model, ENGINE, stats, messages=tuple(messages))
