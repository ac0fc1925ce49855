"""The liveness pass's costly steps on whole arrays, with numpy and scipy (the `liveness` extra): the
fair components (strongly connected components by scipy.sparse.csgraph, then the fairness conditions
of every component at once) and the reverse edges. `fast(g)` gives None when they are not installed:
then liveness_graph.sccs and the per-component loops of liveness.Checker do the same work in Python
(tests/test_liveness.py compares the two on generated models).
"""
from __future__ import annotations

from typing import Any

from .liveness_graph import Graph


class Fast:
    def __init__(self, g: Graph, np: Any, csgraph: Any, sparse: Any) -> None:
        self.np, self.csgraph, self.sparse = np, csgraph, sparse
        self.n = n = len(g.states)
        first = np.frombuffer(g.first, dtype=np.int64)
        self.tgt = np.frombuffer(g.target, dtype=np.int32).astype(np.int64)
        self.lab = np.frombuffer(g.label, dtype=np.int32).astype(np.int64)
        self.src = np.repeat(np.arange(n, dtype=np.int64), np.diff(first))
        self.nlab = max(len(g.instances), 1)
        real = self.lab >= 0
        pairs = np.sort(self.src[real] * self.nlab + self.lab[real])  # (state, enabled label), once each
        pairs = pairs[np.concatenate(([True], np.diff(pairs) != 0))] if len(pairs) else pairs
        self.en_src, self.en_lab = pairs // self.nlab, pairs % self.nlab

    def fair_components(self, allowed: bytearray, must: bytearray | None,
                        fair: list[tuple[int, bool]]) -> list[list[int]]:
        """As liveness.Checker.fair_components, every component of a round at once: `fair` lists
        (label, strong?) of the fair instances. A round decomposes the states left; a component with
        a cycle (and a MUST state) is accepted when no weakly fair label is enabled in all its states
        and never taken inside it, and no strongly fair one enabled in one of them and never taken;
        one failing only strong conditions goes to the next round without the states enabling those."""
        np = self.np
        nlab = self.nlab
        flab = np.array([lab for lab, _ in fair], dtype=np.int64)
        fstrong = np.array([strong for _, strong in fair], dtype=bool)
        ok = np.frombuffer(bytes(allowed), dtype=np.uint8).astype(bool)
        must_a = None if must is None else np.frombuffer(bytes(must), dtype=np.uint8).astype(bool)
        out: list[list[int]] = []
        while ok.any():
            keep = ok[self.src] & ok[self.tgt]
            s, t, lab = self.src[keep], self.tgt[keep], self.lab[keep]
            m = self.sparse.csr_matrix((np.ones(len(s), dtype=np.int8), (s, t)), shape=(self.n, self.n))
            ncomp, comp = self.csgraph.connected_components(m, directed=True, connection="strong")
            inner = comp[s] == comp[t]
            size = np.bincount(comp, minlength=ncomp)
            cyc = np.zeros(ncomp, dtype=bool)
            cyc[comp[s[inner]]] = True  # an inner edge: more than one state, or a self-loop
            cyc &= np.bincount(comp, weights=ok, minlength=ncomp) > 0
            if must_a is not None:
                cyc &= np.bincount(comp, weights=must_a & ok, minlength=ncomp) > 0
            # per (candidate component, label): taken inside, and in how many of its states it is enabled
            cand = np.flatnonzero(cyc)
            row = np.full(ncomp, -1, dtype=np.int64)
            row[cand] = np.arange(len(cand))
            nc = len(cand)
            real = inner & (lab >= 0) & (row[comp[s]] >= 0)
            taken = np.bincount(row[comp[s[real]]] * nlab + lab[real], minlength=nc * nlab).reshape(nc, nlab) > 0
            en_row = np.where(ok[self.en_src], row[comp[self.en_src]], -1)
            sel = en_row >= 0
            counts = np.bincount(en_row[sel] * nlab + self.en_lab[sel], minlength=nc * nlab).reshape(nc, nlab)
            weak_fail = np.zeros(ncomp, dtype=bool)
            strong_bad = np.zeros((ncomp, len(flab)), dtype=bool)
            if len(flab) and nc:
                t_f, c_f = taken[:, flab], counts[:, flab]
                weak_fail[cand] = (~t_f & ~fstrong & (c_f == size[cand][:, None])).any(axis=1)
                strong_bad[cand] = ~t_f & fstrong & (c_f > 0)
            live = cyc & ~weak_fail
            accepted = live & ~strong_bad.any(axis=1)
            members = np.flatnonzero(accepted[comp] & ok)
            order = members[np.argsort(comp[members], kind="stable")]
            if len(order):
                cuts = np.flatnonzero(np.diff(comp[order])) + 1
                out.extend(part.tolist() for part in np.split(order, cuts))
            retry = live & strong_bad.any(axis=1)
            nxt = retry[comp] & ok
            if not nxt.any():
                break
            # drop the states where a strongly fair label that fails in their component is enabled
            hit = np.zeros(self.n, dtype=bool)
            for k, fl in enumerate(flab.tolist()):
                if strong_bad[:, k].any():
                    on = self.en_lab == fl
                    hit[self.en_src[on][strong_bad[comp[self.en_src[on]], k]]] = True
            ok = nxt & ~hit
        return out

    def reverse(self) -> tuple[Any, Any]:
        """The edges backwards as arrays: sources of the edges into i are rsource[rfirst[i]:rfirst[i+1]]."""
        np = self.np
        from array import array
        order = np.argsort(self.tgt, kind="stable")
        rfirst = np.searchsorted(self.tgt[order], np.arange(self.n + 1))
        return (array("q", rfirst.astype(np.int64).tobytes()), array("i", self.src[order].astype(np.int32).tobytes()))


def fast(g: Graph) -> Fast | None:
    try:
        import numpy as np
        from scipy import sparse
        from scipy.sparse import csgraph
    except ImportError:
        return None
    return Fast(g, np, csgraph, sparse)
