#!/usr/bin/env python3
"""Benchmark of the explicit-state engine on S1 against its peers (not a test; prints tables).

Runs, side by side in one invocation and each in its own process (so peak memory is per run):
  - xenmodel: `checkers.explicit.check` on bench/models/s1.xm (and s1_bug.xm, s1_sym.xm);
  - the hand-written Python BFS of S1 (bench/peers/s1_bfs.py);
  - SPIN (bench/peers/s1_promela.py: pan -DSAFETY -DNOREDUCE; skipped with a reason if missing).

First, the core table: xenmodel's single-process search against SPIN on S1 (3,2,2), --reps times
(default 5), each repetition running both one after the other so both see the same load; medians of CPU
time (user+sys of each process: xenmodel's search as check() reports it and its whole process; SPIN's
pan run, and its build: spin -a + gcc), their ratios, memory per state, and `uptime` before and after.

Usage: python bench/bench_explicit.py [--sizes 2,2,2 3,2,2 3,2,3] [--sym-sizes 2,2,2 3,2,2] [--no-bug]
                                      [--core 3,2,2] [--reps 5] [--core-only]
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
from typing import Any

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


def _cpu_of(cmd: list[str], cwd: str) -> tuple[float, str]:
    """CPU seconds (user+sys) of one child process, and its stdout."""
    c0 = _child_cpu()
    proc = subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True)
    return _child_cpu() - c0, proc.stdout


def spin_cpu(D: int, V: int, P: int) -> dict[str, Any] | None:
    """SPIN's CPU time on S1, in parts: `spin -a` + gcc (the build) and pan (the search, the same
    flags as run_spin: -DSAFETY -DNOREDUCE, -E), each measured as its process's user+sys time."""
    sys.path.insert(0, PEERS)
    try:
        from s1_promela import gen_promela, parse_pan
    except ImportError as err:
        print(f"  SPIN peer unavailable: {err}", file=sys.stderr)
        return None
    import shutil
    import tempfile
    if shutil.which("spin") is None or shutil.which("gcc") is None:
        print("  SPIN peer skipped: spin or gcc not on PATH", file=sys.stderr)
        return None
    tmp = tempfile.mkdtemp(prefix="bench_spin_cpu_")
    try:
        with open(os.path.join(tmp, "s1.pml"), "w") as f:
            f.write(gen_promela(D, V, P))
        a, _ = _cpu_of(["spin", "-a", "s1.pml"], tmp)
        c, _ = _cpu_of(["gcc", "-O2", "-DSAFETY", "-DNOREDUCE", "-DMEMLIM=4096", "-o", "pan", "pan.c"], tmp)
        r, out = _cpu_of(["./pan", "-E", "-m2000000"], tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    pan = parse_pan(out)
    stored = pan.get("states_stored")
    states = stored - 1 if stored else None  # pan stores its own start state too (see s1_promela.py)
    mem = pan.get("memory_total_mb")
    return {"build_cpu": a + c, "run_cpu": r, "states": states,
            "bytes_per_state": round(mem * 2 ** 20 / stored) if mem and stored else None}


def _median(xs: list[float]) -> float:
    import statistics
    return statistics.median(xs)


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return f"load average {os.getloadavg()}"


def core_table(D: int, V: int, P: int, reps: int) -> str:
    """xenmodel's single-process search against SPIN's pan on S1, `reps` times, each repetition running
    both one after the other (so both see the same load); medians. Ratios are xenmodel / SPIN."""
    xs: list[dict[str, Any]] = []
    ss: list[dict[str, Any]] = []
    loads = [_uptime()]
    for k in range(reps):
        print(f"core ({D},{V},{P}) repetition {k + 1}/{reps} ...", file=sys.stderr)
        x = xenmodel(D, V, P)
        s = spin_cpu(D, V, P)
        if x is None or s is None:
            return "(skipped: " + ("xenmodel failed" if x is None else "SPIN unavailable") + ")"
        if x["states"] != REF.get((D, V, P)) or s["states"] != REF.get((D, V, P)):
            return f"(state counts differ from the reference {REF.get((D, V, P))}: {x['states']}, {s['states']})"
        xs.append(x)
        ss.append(s)
    loads.append(_uptime())
    xsearch = _median([x["cpu_seconds"] for x in xs])
    xproc = _median([x["process_cpu_seconds"] for x in xs])
    run = _median([s["run_cpu"] for s in ss])
    build = _median([s["build_cpu"] for s in ss])
    both = _median([s["run_cpu"] + s["build_cpu"] for s in ss])
    rows = [
        ["xenmodel search (check(): code generation + BFS)", fmt(xsearch), fmt(xs[0]["bytes_per_state"]),
         ratio(xsearch, run), ratio(xsearch, both)],
        ["xenmodel process (+ Python start-up, model loading)", fmt(xproc), "", ratio(xproc, run),
         ratio(xproc, both)],
        ["SPIN pan run (-DSAFETY -DNOREDUCE -E)", fmt(run), fmt(ss[0]["bytes_per_state"]), "", ""],
        ["SPIN build (spin -a + gcc -O2)", fmt(build), "", "", ""],
        ["SPIN build + run", fmt(both), "", "", ""],
    ]
    spread = (f"xenmodel search cpu per repetition: {', '.join(fmt(x['cpu_seconds']) for x in xs)}; "
              f"pan run cpu: {', '.join(fmt(s['run_cpu']) for s in ss)}")
    return (table(rows, [f"S1 ({D},{V},{P}), {REF.get((D, V, P)):,} states, median of {reps}", "cpu s",
                         "bytes/state", "/ SPIN run", "/ SPIN build+run"])
            + f"\n\n{spread}\nload before: {loads[0]}\nload after:  {loads[1]}")


def fmt(x: object, nd: int = 2) -> str:
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


def ratio(a: Any, b: Any) -> str:
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
    ap.add_argument("--core", default="3,2,2", help="the size of the side-by-side CPU table ('' skips it)")
    ap.add_argument("--reps", type=int, default=5, help="repetitions of the side-by-side CPU table (median)")
    ap.add_argument("--core-only", action="store_true", help="only the side-by-side CPU table")
    args = ap.parse_args(argv)
    if args.core_only:
        args.sizes, args.sym_sizes, args.no_bug = [], [], True
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
    if args.core:
        D, V, P = map(int, args.core.split(","))
        print("## The core: xenmodel vs SPIN CPU time, side by side (goal: at most 1.5x SPIN's run)\n")
        print(core_table(D, V, P, args.reps))
        print()
    if rows:
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
