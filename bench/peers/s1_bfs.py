#!/usr/bin/env python3
"""Hand-written breadth-first search of the S1 yardstick model (benchmark peer).

S1 (bench/models/s1.xm gives the semantics): D domains of V vcpus each,
N = D*V vcpus, vcpu i in domain i // V with home pcpu i % P; P pcpus, each with a
`curr` vcpu (or IDLE) and a FIFO run queue.  Actions: dispatch, preempt, block,
wake, send, steal, ack.  Invariants I1..I5.  With bug=True, steal copies the tail
of the victim queue instead of moving it (S1-bug), which breaks I3.

This is deliberately the plain baseline a compiled engine must beat: a state is a
tuple (st, pend, curr, rq) of tuples, `seen` is a set (or a dict of parent links
when a counterexample must be reconstructed) and the frontier is a deque.

Usage:  python bench/peers/s1_bfs.py D V P [--bug] [--trace]   (prints JSON)
"""
from __future__ import annotations

import json
import resource
import sys
import time
from collections import deque

RUNNABLE, RUNNING, BLOCKED = 0, 1, 2
IDLE = -1
ST_NAME = {RUNNABLE: "runnable", RUNNING: "running", BLOCKED: "blocked"}


def _rss_kb() -> int:
    """Peak resident set size of this process so far, in KiB (Linux ru_maxrss)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def initial_state(D: int, V: int, P: int):
    N = D * V
    st = (RUNNABLE,) * N
    pend = (0,) * N
    curr = (IDLE,) * P
    rq = tuple(tuple(range(p, N, P)) for p in range(P))
    return (st, pend, curr, rq)


def check(state, N: int, P: int):
    """Return the name of the first invariant that fails in `state`, or None."""
    st, pend, curr, rq = state
    ccount = [0] * N
    for c in curr:
        if c != IDLE:
            ccount[c] += 1
    qcount = [0] * N
    qlen = 0
    for q in rq:
        qlen += len(q)
        for v in q:
            qcount[v] += 1
    # I1: no vcpu is curr on two pcpus
    for v in range(N):
        if ccount[v] > 1:
            return "I1"
    nrun = nblk = 0
    for v in range(N):
        s = st[v]
        if s == RUNNING:
            nrun += 1
            # I2: running => curr on exactly one pcpu and in no queue
            if ccount[v] != 1 or qcount[v] != 0:
                return "I2"
    for v in range(N):
        # I3: runnable => in exactly one queue, exactly once
        if st[v] == RUNNABLE and qcount[v] != 1:
            return "I3"
    for v in range(N):
        if st[v] == BLOCKED:
            nblk += 1
            # I4: blocked => in no queue and curr nowhere
            if qcount[v] != 0 or ccount[v] != 0:
                return "I4"
    # I5: total queue length + running + blocked = N
    if qlen + nrun + nblk != N:
        return "I5"
    return None


def make_successors(D: int, V: int, P: int, bug: bool = False):
    """Return succ(state) -> list of (action label, next state)."""
    N = D * V
    home = [v % P for v in range(N)]
    dom = [v // V for v in range(N)]
    pcpus = range(P)
    vcpus = range(N)
    # send(v, w) instances: w in another domain
    send_targets = [[w for w in vcpus if dom[w] != dom[v]] for v in vcpus]
    steal_pairs = [[q for q in pcpus if q != p] for p in pcpus]

    def succ(state):
        st, pend, curr, rq = state
        out = []
        for p in pcpus:
            c = curr[p]
            q = rq[p]
            if c == IDLE:
                # 1. dispatch(p)
                if q:
                    v = q[0]
                    st2 = list(st)
                    st2[v] = RUNNING
                    cu2 = list(curr)
                    cu2[p] = v
                    rq2 = list(rq)
                    rq2[p] = q[1:]
                    out.append((("dispatch", p), (tuple(st2), pend, tuple(cu2), tuple(rq2))))
                else:
                    # 6. steal(p, q2): p idle with an empty queue, victim has >= 2
                    for q2 in steal_pairs[p]:
                        vq = rq[q2]
                        if len(vq) >= 2:
                            rq2 = list(rq)
                            rq2[p] = (vq[-1],)
                            if not bug:
                                rq2[q2] = vq[:-1]
                            out.append((("steal", p, q2), (st, pend, curr, tuple(rq2))))
            else:
                # 2. preempt(p)
                if q:
                    w = q[0]
                    st2 = list(st)
                    st2[c] = RUNNABLE
                    st2[w] = RUNNING
                    cu2 = list(curr)
                    cu2[p] = w
                    rq2 = list(rq)
                    rq2[p] = q[1:] + (c,)
                    out.append((("preempt", p), (tuple(st2), pend, tuple(cu2), tuple(rq2))))
                if pend[c] == 0:
                    # 3. block(p)
                    st2 = list(st)
                    st2[c] = BLOCKED
                    cu2 = list(curr)
                    cu2[p] = IDLE
                    out.append((("block", p), (tuple(st2), pend, tuple(cu2), rq)))
                else:
                    # 7. ack(p)
                    pe2 = list(pend)
                    pe2[c] = 0
                    out.append((("ack", p), (st, tuple(pe2), curr, rq)))
        for v in vcpus:
            s = st[v]
            if s == BLOCKED:
                # 4. wake(v)
                if pend[v] == 1:
                    st2 = list(st)
                    st2[v] = RUNNABLE
                    pe2 = list(pend)
                    pe2[v] = 0
                    h = home[v]
                    rq2 = list(rq)
                    rq2[h] = rq[h] + (v,)
                    out.append((("wake", v), (tuple(st2), tuple(pe2), curr, tuple(rq2))))
            elif s == RUNNING:
                # 5. send(v, w)
                for w in send_targets[v]:
                    if pend[w] == 0:
                        pe2 = list(pend)
                        pe2[w] = 1
                        out.append((("send", v, w), (st, tuple(pe2), curr, rq)))
        return out

    return succ


def run(D: int, V: int, P: int, bug: bool = False, trace: bool = False) -> dict:
    """Exhaustive BFS of S1(D, V, P).  Returns a dict of statistics.

    Keys: states (distinct), transitions (successor edges generated, duplicates
    included), depth (largest BFS distance from the initial state, in steps
    on a
    violation, the distance of the violating state), seconds, states_per_sec,
    peak_rss_mb (process peak RSS after the run), rss_delta_mb (growth of peak RSS
    during the run), violation (invariant name or None), cex_length (steps of the
    shortest counterexample, bug/violation only) and, with trace=True, trace.
    """
    N = D * V
    succ = make_successors(D, V, P, bug)
    s0 = initial_state(D, V, P)
    rss0 = _rss_kb()
    t0 = time.perf_counter()
    keep_parents = bug or trace
    # seen: a set, or a dict state -> (parent, action) when a trace may be needed
    seen = {s0: None} if keep_parents else {s0}
    transitions = 0
    depth = 0
    violation = None
    bad = None
    queue = deque([s0])
    if check(s0, N, P) is not None:
        violation, bad = check(s0, N, P), s0
        queue.clear()
    level_left = 1      # states of the current BFS level still in the queue
    next_level = 0      # states of the next level appended so far
    while queue:
        s = queue.popleft()
        for act, t in succ(s):
            transitions += 1
            if t in seen:
                continue
            if keep_parents:
                seen[t] = (s, act)
            else:
                seen.add(t)
            queue.append(t)
            next_level += 1
            inv = check(t, N, P)
            if inv is not None:
                violation, bad = inv, t
                break
        if violation is not None:
            depth += 1
            break
        level_left -= 1
        if level_left == 0 and next_level:
            depth += 1
            level_left, next_level = next_level, 0
    secs = time.perf_counter() - t0
    rss1 = _rss_kb()
    res = {
        "tool": "python-bfs",
        "D": D, "V": V, "P": P, "bug": bug,
        "states": len(seen),
        "transitions": transitions,
        "depth": depth,
        "seconds": round(secs, 3),
        "states_per_sec": round(len(seen) / secs) if secs > 0 else None,
        "peak_rss_mb": round(rss1 / 1024, 1),
        "rss_delta_mb": round((rss1 - rss0) / 1024, 1),
        "violation": violation,
    }
    if violation is not None:
        path = []
        s = bad
        while seen[s] is not None:
            parent, act = seen[s]
            path.append((act, s))
            s = parent
        path.reverse()
        res["cex_length"] = len(path)
        if trace:
            res["trace"] = [{"action": None, "state": _show(s0)}] + [
                {"action": list(a), "state": _show(x)} for a, x in path]
    return res


def _show(state) -> dict:
    st, pend, curr, rq = state
    return {"st": [ST_NAME[x] for x in st], "pend": list(pend),
            "curr": list(curr), "rq": [list(q) for q in rq]}


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    bug = "--bug" in argv
    trace = "--trace" in argv
    nums = [a for a in argv if not a.startswith("--")]
    if len(nums) != 3:
        print("usage: s1_bfs.py D V P [--bug] [--trace]", file=sys.stderr)
        return 2
    D, V, P = map(int, nums)
    res = run(D, V, P, bug=bug, trace=trace)
    print(json.dumps(res, indent=1 if trace else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
