#!/usr/bin/env python3
"""Plain Z3 bounded model checking of the S1 yardstick model (benchmark peer).

The "naive peer" for the project's BMC engine: S1 (bench/models/s1.xm)
written straight against the z3 Python API, with no encoding tricks:
  * one copy of the state per step, every variable a Z3 Int:
      st[v] (0 runnable, 1 running, 2 blocked), pend[v] (0/1), curr[p] (-1 = IDLE),
      run queue p as slots qs[p][0..N-1] (head at slot 0, unused slots 0) and ql[p];
  * symbolic indexing (st[curr[p]], the tail of a queue) by If-chains;
  * each action instance as guard /\\ (next state = updated state), the transition
    relation of a step the disjunction of all instances;
  * BMC: one solver, Init and T(0,1)..T(k-1,k) asserted permanently, and for each
    depth k a push / assert (some invariant fails at step k) / check / pop.
A violation at depth k is a shortest counterexample (no violation at depth < k).
Appends (preempt, wake, steal) are guarded by ql < N; this is never binding in S1
(I5 bounds the queues) and in S1-bug only prunes behaviour after I3 has failed.

Usage:  python bench/peers/s1_z3.py D V P MAX_DEPTH [--bug] [--timeout SECONDS]
"""
from __future__ import annotations

import json
import sys
import time

import z3

IDLE = -1


def _sel(xs, i):
    """xs[i] for a symbolic index i (an If-chain over the slots)."""
    e = xs[-1]
    for j in range(len(xs) - 2, -1, -1):
        e = z3.If(i == j, xs[j], e)
    return e


class S1BMC:
    def __init__(self, D: int, V: int, P: int, bug: bool = False):
        self.D, self.V, self.P, self.bug = D, V, P, bug
        self.N = N = D * V
        self.CAP = N
        self.home = [v % P for v in range(N)]
        self.dom = [v // V for v in range(N)]
        self.steps: list[dict] = []
        self.actions: list[list[tuple[str, z3.BoolRef]]] = []  # per step k -> k+1

    # -- state variables ----------------------------------------------------
    def new_state(self, k: int) -> dict:
        N, P, CAP = self.N, self.P, self.CAP
        s = {
            "st": [z3.Int(f"st_{k}_{v}") for v in range(N)],
            "pend": [z3.Int(f"pend_{k}_{v}") for v in range(N)],
            "curr": [z3.Int(f"curr_{k}_{p}") for p in range(P)],
            "qs": [[z3.Int(f"qs_{k}_{p}_{i}") for i in range(CAP)] for p in range(P)],
            "ql": [z3.Int(f"ql_{k}_{p}") for p in range(P)],
        }
        return s

    def ranges(self, s) -> list:
        N, CAP = self.N, self.CAP
        c = []
        c += [z3.And(0 <= x, x <= 2) for x in s["st"]]
        c += [z3.And(0 <= x, x <= 1) for x in s["pend"]]
        c += [z3.And(IDLE <= x, x < N) for x in s["curr"]]
        c += [z3.And(0 <= x, x < N) for q in s["qs"] for x in q]
        c += [z3.And(0 <= x, x <= CAP) for x in s["ql"]]
        return c

    def init(self, s) -> list:
        N, P, CAP = self.N, self.P, self.CAP
        c = [x == 0 for x in s["st"]] + [x == 0 for x in s["pend"]]
        c += [x == IDLE for x in s["curr"]]
        for p in range(P):
            mine = [v for v in range(N) if self.home[v] == p]
            for i in range(CAP):
                c.append(s["qs"][p][i] == (mine[i] if i < len(mine) else 0))
            c.append(s["ql"][p] == len(mine))
        return c

    # -- transition relation -------------------------------------------------
    @staticmethod
    def _copy(s) -> dict:
        return {"st": list(s["st"]), "pend": list(s["pend"]), "curr": list(s["curr"]),
                "qs": [list(q) for q in s["qs"]], "ql": list(s["ql"])}

    @staticmethod
    def _eq(a, b) -> z3.BoolRef:
        c = [x == y for x, y in zip(a["st"], b["st"], strict=True)]
        c += [x == y for x, y in zip(a["pend"], b["pend"], strict=True)]
        c += [x == y for x, y in zip(a["curr"], b["curr"], strict=True)]
        c += [x == y for qa, qb in zip(a["qs"], b["qs"], strict=True) for x, y in zip(qa, qb, strict=True)]
        c += [x == y for x, y in zip(a["ql"], b["ql"], strict=True)]
        return z3.And(c)

    def _append(self, n, p, val):
        """n (a next-state copy): append val to queue p (slot ql[p]), ql[p] + 1."""
        ql = n["ql"][p]
        n["qs"][p] = [z3.If(ql == i, val, x) for i, x in enumerate(n["qs"][p])]
        n["ql"][p] = ql + 1

    def _pop_head(self, n, p):
        q = n["qs"][p]
        n["qs"][p] = q[1:] + [z3.IntVal(0)]
        n["ql"][p] = n["ql"][p] - 1

    def transitions(self, s, t) -> list[tuple[str, z3.BoolRef]]:
        """All action instances from s to t as (label, formula)."""
        N, P, CAP = self.N, self.P, self.CAP
        out = []

        def act(label, guard, n):
            out.append((label, z3.And(z3.And(guard), self._eq(t, n))))

        for p in range(P):
            c = s["curr"][p]
            ql = s["ql"][p]
            # 1. dispatch(p)
            n = self._copy(s)
            v = s["qs"][p][0]
            n["st"] = [z3.If(v == j, 1, x) for j, x in enumerate(s["st"])]
            n["curr"][p] = v
            self._pop_head(n, p)
            act(f"dispatch({p})", [c == IDLE, ql > 0], n)
            # 2. preempt(p): c to the tail, the head w runs
            n = self._copy(s)
            w = s["qs"][p][0]
            n["st"] = [z3.If(w == j, 1, z3.If(c == j, 0, x)) for j, x in enumerate(s["st"])]
            self._append(n, p, c)
            self._pop_head(n, p)
            n["curr"][p] = w
            act(f"preempt({p})", [c != IDLE, ql > 0, ql < CAP], n)
            # 3. block(p)
            n = self._copy(s)
            n["st"] = [z3.If(c == j, 2, x) for j, x in enumerate(s["st"])]
            n["curr"][p] = z3.IntVal(IDLE)
            act(f"block({p})", [c != IDLE, _sel(s["pend"], c) == 0], n)
            # 7. ack(p)
            n = self._copy(s)
            n["pend"] = [z3.If(c == j, 0, x) for j, x in enumerate(s["pend"])]
            act(f"ack({p})", [c != IDLE, _sel(s["pend"], c) == 1], n)
            # 6. steal(p, q): the tail of q moves (S1-bug: is copied) to p
            for q in range(P):
                if q == p:
                    continue
                n = self._copy(s)
                qq = s["ql"][q]
                tail = _sel(s["qs"][q], qq - 1)
                self._append(n, p, tail)
                if not self.bug:
                    n["qs"][q] = [z3.If(qq - 1 == i, 0, x) for i, x in enumerate(s["qs"][q])]
                    n["ql"][q] = qq - 1
                act(f"steal({p},{q})", [c == IDLE, ql == 0, qq >= 2], n)
        for v in range(N):
            # 4. wake(v)
            h = self.home[v]
            n = self._copy(s)
            n["pend"][v] = z3.IntVal(0)
            n["st"][v] = z3.IntVal(0)
            self._append(n, h, z3.IntVal(v))
            act(f"wake({v})", [s["st"][v] == 2, s["pend"][v] == 1, s["ql"][h] < CAP], n)
            # 5. send(v, w), w in another domain
            for w in range(N):
                if self.dom[w] != self.dom[v]:
                    n = self._copy(s)
                    n["pend"][w] = z3.IntVal(1)
                    act(f"send({v},{w})", [s["st"][v] == 1, s["pend"][w] == 0], n)
        return out

    # -- invariants ----------------------------------------------------------
    def invariants(self, s) -> list[tuple[str, z3.BoolRef]]:
        N, P, CAP = self.N, self.P, self.CAP

        def cc(v):
            return z3.Sum([z3.If(s["curr"][p] == v, 1, 0) for p in range(P)])

        def rc(v):
            return z3.Sum([z3.If(z3.And(i < s["ql"][p], s["qs"][p][i] == v), 1, 0)
                           for p in range(P) for i in range(CAP)])

        st = s["st"]
        i1 = z3.And([cc(v) <= 1 for v in range(N)])
        i2 = z3.And([z3.Implies(st[v] == 1, z3.And(cc(v) == 1, rc(v) == 0)) for v in range(N)])
        i3 = z3.And([z3.Implies(st[v] == 0, rc(v) == 1) for v in range(N)])
        i4 = z3.And([z3.Implies(st[v] == 2, z3.And(rc(v) == 0, cc(v) == 0)) for v in range(N)])
        i5 = (z3.Sum(s["ql"]) + z3.Sum([z3.If(x == 1, 1, 0) for x in st])
              + z3.Sum([z3.If(x == 2, 1, 0) for x in st])) == N
        return [("I1", i1), ("I2", i2), ("I3", i3), ("I4", i4), ("I5", i5)]

    # -- trace ---------------------------------------------------------------
    def _state_value(self, m, s) -> dict:
        def ev(x) -> int:
            return m.eval(x, model_completion=True).as_long()
        return {"st": [ev(x) for x in s["st"]], "pend": [ev(x) for x in s["pend"]],
                "curr": [ev(x) for x in s["curr"]],
                "rq": [[ev(q[i]) for i in range(ev(n))] for q, n in zip(s["qs"], s["ql"], strict=True)]}

    def trace(self, m, k) -> list[dict]:
        tr = [{"action": None, "state": self._state_value(m, self.steps[0])}]
        for j in range(k):
            label = next((lab for lab, f in self.actions[j]
                          if z3.is_true(m.eval(f, model_completion=True))), "?")
            tr.append({"action": label, "state": self._state_value(m, self.steps[j + 1])})
        return tr


def run_bmc(D: int, V: int, P: int, max_depth: int, bug: bool = False,
            timeout_s: float | None = 60.0, total_timeout_s: float | None = None,
            want_trace: bool = False, verbose: bool = False) -> dict:
    """BMC of S1(D, V, P) for depths 0..max_depth.

    timeout_s: limit for each depth's solver call (Z3 `timeout`); total_timeout_s:
    optional budget for the whole run (each call gets min(timeout_s, what is left)).
    Returns status "violation" (with depth, invariant, cex_length, optional trace),
    "bounded: no violation up to depth K", or "unknown" (Z3's reason, e.g. timeout)
    with the depth that did not finish; per_depth lists seconds per depth
    (encoding the new step + the solver call).
    """
    enc = S1BMC(D, V, P, bug)
    solver = z3.Solver()
    t_start = time.perf_counter()
    s0 = enc.new_state(0)
    enc.steps.append(s0)
    solver.add(enc.ranges(s0))
    solver.add(enc.init(s0))
    per_depth = []
    res = {"tool": "z3-plain-bmc", "D": D, "V": V, "P": P, "bug": bug,
           "max_depth": max_depth, "z3_version": z3.get_version_string()}
    for k in range(max_depth + 1):
        t0 = time.perf_counter()
        if k > 0:
            s, t = enc.steps[k - 1], enc.new_state(k)
            enc.steps.append(t)
            solver.add(enc.ranges(t))
            acts = enc.transitions(s, t)
            enc.actions.append(acts)
            solver.add(z3.Or([f for _, f in acts]))
        invs = enc.invariants(enc.steps[k])
        limit = timeout_s
        if total_timeout_s is not None:
            left = total_timeout_s - (time.perf_counter() - t_start)
            if left <= 0:
                res.update(status="unknown", reason="total timeout", depth=k)
                break
            limit = left if limit is None else min(limit, left)
        if limit is not None:
            solver.set("timeout", max(1, int(limit * 1000)))
        solver.push()
        solver.add(z3.Or([z3.Not(f) for _, f in invs]))
        r = solver.check()
        dt = time.perf_counter() - t0
        per_depth.append({"depth": k, "seconds": round(dt, 3), "result": str(r)})
        if verbose:
            print(f"depth {k}: {r} {dt:.3f}s", file=sys.stderr, flush=True)
        if r == z3.sat:
            m = solver.model()
            bad = [name for name, f in invs if z3.is_false(m.eval(f, model_completion=True))]
            res.update(status="violation", depth=k, cex_length=k, violation=bad)
            if want_trace:
                res["trace"] = enc.trace(m, k)
            solver.pop()
            break
        if r == z3.unknown:
            reason = solver.reason_unknown()
            if limit is not None and dt >= 0.98 * limit:
                reason = f"timeout after {limit:g} s (z3: {reason})"
            res.update(status="unknown", reason=reason, depth=k)
            solver.pop()
            break
        solver.pop()
    else:
        res["status"] = f"bounded: no violation up to depth {max_depth}"
    res["per_depth"] = per_depth
    res["seconds"] = round(time.perf_counter() - t_start, 3)
    return res


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    bug = "--bug" in argv
    want_trace = "--trace" in argv
    timeout = 60.0
    if "--timeout" in argv:
        i = argv.index("--timeout")
        timeout = float(argv[i + 1])
        del argv[i:i + 2]
    nums = [a for a in argv if not a.startswith("--")]
    if len(nums) != 4:
        print("usage: s1_z3.py D V P MAX_DEPTH [--bug] [--trace] [--timeout SECONDS]",
              file=sys.stderr)
        return 2
    D, V, P, K = map(int, nums)
    res = run_bmc(D, V, P, K, bug=bug, timeout_s=timeout, want_trace=want_trace, verbose=True)
    print(json.dumps(res, indent=1 if want_trace else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
