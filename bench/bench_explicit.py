#!/usr/bin/env python3
"""Benchmark of the explicit-state engine on S1 against its peers (not a test; prints tables).

Runs, side by side in one invocation and each in its own process (so peak memory is per run):
  - xenmodel: `checkers.explicit.check` on bench/models/s1.xm (and s1_bug.xm, s1_sym.xm);
  - the hand-written Python BFS of S1 (bench/peers/s1_bfs.py);
  - SPIN (bench/peers/s1_promela.py: pan -DSAFETY -DNOREDUCE; skipped with a reason if missing).

Usage: python bench/bench_explicit.py [--sizes 2,2,2 3,2,2 3,2,3] [--sym-sizes 2,2,2 3,2,2] [--no-bug]
Times: `search s` is the search time each tool reports itself (wall clock), `cpu s` the CPU time of the
process (user+sys, for the Python tools; pan's own elapsed time for SPIN), so a loaded machine can be
read honestly: SPIN's pan is run a second time to measure its CPU time. Ratios are xenmodel / peer on CPU
seconds (< 1 means xenmodel is faster); states/s is states / search seconds (wall).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "bench", "peers")
MODELS = os.path.join(ROOT, "bench", "models")
REF = {(2, 2, 2): 5856, (3, 2, 2): 577072, (3, 2, 3): 1863452}

_DRIVER = r"""
import json, sys, time, resource
sys.path.insert(0, {root!r})
from xenmodel.frontend import load_model
from checkers.explicit import check
D, V, P = {D}, {V}, {P}
model = load_model({path!r}, None, {{"D": D, "V": V, "P": P}}).model
r = check(model, {{"deadlock": False, "symmetry": {sym}}})
st = dict(r.stats)
out = {{"tool": "xenmodel", "status": r.status, "states": st["states"], "transitions": st["transitions"],
       "depth": st["depth"], "seconds": st["seconds"], "cpu_seconds": st["cpu_seconds"],
       "states_per_sec": st["states_per_second"], "peak_rss_mb": st["peak_memory_mb"],
       "bytes_per_state": st.get("bytes_per_state"),
       "cex_length": len(r.trace) if r.trace is not None else None,
       "violation": r.trace.violation.name if r.trace is not None and r.trace.violation else None}}
print(json.dumps(out))
"""


def _child_cpu() -> float:
    import resource
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_json(cmd: list[str]) -> tuple[dict | None, float]:
    c0 = _child_cpu()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    cpu = _child_cpu() - c0
    if proc.returncode != 0:
        print(f"  failed: {' '.join(cmd[:3])}...: {proc.stderr[-800:]}", file=sys.stderr)
        return None, cpu
    return json.loads(proc.stdout.strip().splitlines()[-1]), cpu


def xenmodel(D, V, P, model="s1.xm", sym=False) -> dict | None:
    code = _DRIVER.format(root=ROOT, D=D, V=V, P=P, path=os.path.join(MODELS, model), sym=sym)
    r, cpu = run_json([sys.executable, "-c", code])
    if r is not None:
        r["process_cpu_seconds"] = round(cpu, 2)
    return r


def python_bfs(D, V, P, bug=False) -> dict | None:
    r, cpu = run_json([sys.executable, os.path.join(PEERS, "s1_bfs.py"), str(D), str(V), str(P)]
                      + (["--bug"] if bug else []))
    if r is not None:
        r["cpu_seconds"] = round(cpu, 2)
        if r.get("rss_delta_mb") is not None and r.get("states"):
            r["bytes_per_state"] = round(r["rss_delta_mb"] * 2 ** 20 / r["states"])
    return r


def spin(D, V, P, bug=False) -> dict | None:
    sys.path.insert(0, PEERS)
    try:
        from s1_promela import run_spin
    except ImportError as err:
        print(f"  SPIN peer unavailable: {err}", file=sys.stderr)
        return None
    import shutil
    import tempfile
    keep = tempfile.mkdtemp(prefix="bench_spin_")
    try:
        r = run_spin(D, V, P, bug=bug, keep_dir=keep)
        if r is not None:
            r["peak_rss_mb"] = r.get("memory_total_mb")
            if r.get("memory_total_mb") and r.get("states"):  # all of pan's memory (hash table, stack, states)
                r["bytes_per_state"] = round(r["memory_total_mb"] * 2 ** 20 / r["states"])
            if r.get("memory_states_mb") and r.get("states"):  # the stored states alone (compressed)
                r["state_bytes"] = round(r["memory_states_mb"] * 2 ** 20 / r["states"])
            # pan's own time is wall clock; on a loaded machine run the same pan again to measure its CPU
            pan = os.path.join(keep, "pan")
            if not bug and os.path.exists(pan):
                c0 = _child_cpu()
                subprocess.run([pan, "-E", "-m2000000"], cwd=keep, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
                r["cpu_seconds"] = round(_child_cpu() - c0, 2)
        return r
    finally:
        shutil.rmtree(keep, ignore_errors=True)


def fmt(x, nd=2):
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:,.{nd}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def _per_state(r: dict) -> str:
    """Memory per stored state: the whole run's (xenmodel: growth of the resident set; python BFS: of
    the peak; SPIN: pan's total), and for SPIN its state store alone in brackets."""
    out = fmt(r.get("bytes_per_state"))
    return out + (f" ({r['state_bytes']} states)" if r.get("state_bytes") else "")


def ratio(a, b):
    try:
        return f"{a / b:.2f}x"
    except (TypeError, ZeroDivisionError):
        return "-"


def table(rows: list[list[str]], head: list[str]) -> str:
    w = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]

    def line(r: list[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w[i]) for i, c in enumerate(r)) + " |"
    return "\n".join([line(head), "|" + "|".join("-" * (x + 2) for x in w) + "|"] + [line(r) for r in rows])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="*", default=["2,2,2", "3,2,2", "3,2,3"])
    ap.add_argument("--sym-sizes", nargs="*", default=["2,2,2", "3,2,2"])
    ap.add_argument("--no-bug", action="store_true")
    args = ap.parse_args(argv)
    sizes = [tuple(map(int, s.split(","))) for s in args.sizes]
    sym_sizes = [tuple(map(int, s.split(","))) for s in args.sym_sizes]
    print(f"# explicit-state benchmark: S1 (python {sys.version.split()[0]}, {os.cpu_count()} cpus, "
          f"load {os.getloadavg()[0]:.1f})\n")
    head = ["(D,V,P)", "tool", "states", "transitions", "search s", "cpu s", "states/s", "peak MB",
            "bytes/state", "xenmodel/tool (cpu)", "ok"]
    rows = []
    for D, V, P in sizes:
        print(f"running ({D},{V},{P}) ...", file=sys.stderr)
        x = xenmodel(D, V, P)
        b = python_bfs(D, V, P)
        s = spin(D, V, P)
        for name, r in (("xenmodel", x), ("python BFS", b), ("SPIN", s)):
            if r is None:
                rows.append([f"({D},{V},{P})", name, "skipped", "", "", "", "", "", "", "", ""])
                continue
            ok = "yes" if r.get("states") == REF.get((D, V, P)) else f"NO (ref {REF.get((D, V, P))})"
            cpu = r.get("cpu_seconds") if name != "xenmodel" else r.get("cpu_seconds")
            rows.append([f"({D},{V},{P})", name, fmt(r.get("states")), fmt(r.get("transitions")),
                         fmt(r.get("seconds")), fmt(cpu), fmt(r.get("states_per_sec")),
                         fmt(r.get("peak_rss_mb"), 1), _per_state(r),
                         "" if name == "xenmodel" else ratio(x and x["cpu_seconds"], cpu), ok])
    print("## Exhaustive search (no deadlock check), states must equal the reference counts\n")
    print(table(rows, head))
    if sym_sizes:
        rows = []
        for D, V, P in sym_sizes:
            print(f"running symmetry ({D},{V},{P}) ...", file=sys.stderr)
            xs = xenmodel(D, V, P, "s1_sym.xm", sym=True)
            xn = xenmodel(D, V, P, "s1_sym.xm", sym=False)
            s = spin(D, V, P)
            for name, r in (("xenmodel s1_sym, symmetry on", xs), ("xenmodel s1_sym, symmetry off", xn),
                            ("SPIN (no symmetry)", s)):
                if r is None:
                    rows.append([f"({D},{V},{P})", name, "skipped", "", "", "", "", "", "", ""])
                    continue
                rows.append([f"({D},{V},{P})", name, fmt(r.get("states")), fmt(r.get("transitions")),
                             fmt(r.get("seconds")), fmt(r.get("cpu_seconds")), fmt(r.get("states_per_sec")),
                             fmt(r.get("peak_rss_mb"), 1), _per_state(r),
                             "" if r is xs else ratio(xs and xs["cpu_seconds"], r.get("cpu_seconds"))])
        print("\n## Symmetry: domains and pcpus as symmetric sorts (TLC with SYMMETRY: 48,349 states at (3,2,2))\n")
        print(table(rows, head[:-1]))
    if not args.no_bug:
        rows = []
        for D, V, P in sizes:
            print(f"running bug ({D},{V},{P}) ...", file=sys.stderr)
            x = xenmodel(D, V, P, "s1_bug.xm")
            b = python_bfs(D, V, P, bug=True)
            s = spin(D, V, P, bug=True)
            for name, r in (("xenmodel", x), ("python BFS", b), ("SPIN -DBFS", s)):
                if r is None:
                    rows.append([f"({D},{V},{P})", name, "skipped", "", "", ""])
                    continue
                rows.append([f"({D},{V},{P})", name, str(r.get("violation")), fmt(r.get("cex_length")),
                             fmt(r.get("seconds")), fmt(r.get("peak_rss_mb"), 1)])
        print("\n## S1-bug: shortest counterexample (reference: 5 / 7 / 5 steps)\n")
        print(table(rows, ["(D,V,P)", "tool", "violation", "steps", "search s", "peak MB"]))
    print(f"\ncommand: python bench/bench_explicit.py {' '.join(argv if argv is not None else sys.argv[1:])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
