"""The reachable state graph for the liveness pass, and its strongly connected components.

The graph is recorded by the safety search itself when it runs without symmetry (model_code's
EdgeSink), or else built by a plain breadth-first search (no symmetry) with the compiled successor
function: states are numbered in BFS order (so a smaller number is never deeper), edges are stored
compactly per source state (`first[i]` .. `first[i+1]` index `target` and `label`), and a label is the
number of an action instance `(action index, args)`. A state without successors gets one edge to
itself labelled STUTTER: a deadlock stutters forever. `parent` is the BFS tree, for shortest prefixes.

`sccs` is Tarjan's algorithm, iterative (graphs are large; no recursion), on the subgraph of the
states a mask allows.
"""
from __future__ import annotations

import time
from array import array
from collections.abc import Callable, Iterable
from typing import Any

from xenmodel import ir
from xenmodel import semantics as S

from .store import State

STUTTER = -1  # the label of a deadlock's self-loop


class Timeout(Exception):
    """The run's deadline passed while the liveness pass was working."""


class Graph:
    def __init__(self, model: ir.Model) -> None:
        self.model = model
        self.states: list[State] = []
        self.index: dict[State, int] = {}
        self.parent = array("i")
        self.first = array("q", [0])
        self.target = array("i")
        self.label = array("i")
        self.instances: list[tuple[int, tuple[Any, ...]]] = []  # label -> (action index, args)
        self.instance_ids: dict[tuple[int, tuple[Any, ...]], int] = {}
        self.n_init = 0
        self._reverse: tuple[array[int], array[int]] | None = None

    def build(self, succ: Callable[[State], list[Any]], deadline: float | None) -> None:
        """Every reachable state and transition. `succ(state)` lists (action index, args, picks, next)
        (the compiled `build_list`; the safety search has shown no transition raises a model error)."""
        for o in S.initial_states(self.model):
            if isinstance(o, S.Step):
                self._add(o.state, -1)
        self.n_init = len(self.states)
        i = 0
        while i < len(self.states):
            if deadline is not None and i % 1024 == 0 and time.perf_counter() > deadline:
                raise Timeout()
            out = succ(self.states[i])
            seen_edges: set[tuple[int, int]] = set()
            for item in out:
                if item[0] == "error":
                    raise RuntimeError("explicit liveness: internal error: a transition raises a model error")
                aid, args, _picks, nxt = item
                key = (aid, tuple(args))
                lab = self.instance_ids.get(key)
                if lab is None:
                    lab = self.new_label(key)
                j = self._add(nxt, i)
                if (j, lab) not in seen_edges:  # two picks to the same state: one edge
                    seen_edges.add((j, lab))
                    self.target.append(j)
                    self.label.append(lab)
            if not out:
                self.target.append(i)
                self.label.append(STUTTER)
            self.first.append(len(self.target))
            i += 1

    # -- the graph recorded by the safety search (model_code.EdgeSink), when it runs without symmetry
    def new_label(self, key: tuple[int, tuple[Any, ...]]) -> int:
        lab = self.instance_ids[key] = len(self.instances)
        self.instances.append(key)
        return lab

    def close(self, source: int) -> None:
        if self.first[-1] == len(self.target):  # no transition: the deadlock stutters
            self.target.append(source)
            self.label.append(STUTTER)
        self.first.append(len(self.target))

    def adopt(self, states: list[State], parent: array[int], n_init: int) -> None:
        """Take the safety search's states (values, in BFS order) and BFS tree, once its edges are recorded."""
        self.states = states
        self.parent = parent
        self.n_init = n_init

    def _add(self, state: State, parent: int) -> int:
        j = self.index.get(state)
        if j is None:
            j = self.index[state] = len(self.states)
            self.states.append(state)
            self.parent.append(parent)
        return j

    def reverse(self) -> tuple[array[int], array[int]]:
        """The edges backwards, built once: the sources of the edges into state i are
        rsource[rfirst[i]:rfirst[i+1]]."""
        if self._reverse is None:
            n = len(self.states)
            count = array("q", [0]) * (n + 1)
            for t in self.target:
                count[t + 1] += 1
            for i in range(n):
                count[i + 1] += count[i]
            fill = array("q", count)
            rsource = array("i", [0]) * len(self.target)
            first, target = self.first, self.target
            for i in range(n):
                for k in range(first[i], first[i + 1]):
                    t = target[k]
                    rsource[fill[t]] = i
                    fill[t] += 1
            self._reverse = (count, rsource)
        return self._reverse

    def edges(self, i: int) -> Iterable[tuple[int, int]]:
        """(target, label) of every edge out of state i."""
        lo, hi = self.first[i], self.first[i + 1]
        return zip(self.target[lo:hi], self.label[lo:hi], strict=True)

    def enabled(self, i: int) -> set[int]:
        """The labels (action instances) enabled in state i."""
        return {lab for lab in self.label[self.first[i]:self.first[i + 1]] if lab != STUTTER}

    def path_to(self, i: int) -> list[int]:
        """The BFS-tree path from an initial state to state i (a shortest one)."""
        out = []
        while i >= 0:
            out.append(i)
            i = self.parent[i]
        out.reverse()
        return out


def sccs(g: Graph, allowed: bytearray) -> list[list[int]]:
    """The strongly connected components of the subgraph of the allowed states (edges between allowed
    states only) that contain a cycle (more than one state, or a self-loop). Iterative Tarjan."""
    n = len(g.states)
    index = array("i", [-1]) * n
    low = array("i", [0]) * n
    on_stack = bytearray(n)
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    first, target = g.first, g.target
    for root in range(n):
        if not allowed[root] or index[root] >= 0:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = 1
        work = [(root, first[root])]  # (state, next edge position to look at)
        while work:
            v, pos = work[-1]
            end = first[v + 1]
            descended = False
            while pos < end:
                w = target[pos]
                pos += 1
                if not allowed[w]:
                    continue
                if index[w] < 0:
                    work[-1] = (v, pos)
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = 1
                    work.append((w, first[w]))
                    descended = True
                    break
                if on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
            if descended:
                continue
            work.pop()
            if work:
                u = work[-1][0]
                if low[v] < low[u]:
                    low[u] = low[v]
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack[w] = 0
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1 or any(t == v for t in target[first[v]:first[v + 1]]):
                    out.append(comp)
    return out
