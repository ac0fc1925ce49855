#!/usr/bin/env python3
"""Benchmark of `xenmodel infer` (issue 19): the lemmas found with no hand-written one.

  python bench/bench_infer.py [--only s1,sched,...] [--timeout 600] [--workers 2] [--instance default]
                              [--engines template,pdr] [--cache DIR]

For each subsystem of spec/ (at the instance its proof uses), S1 (bench/models/s1.xm at (3,2,2)) and the
fixtures tests/fixtures/infer_lock.xm and infer_counter.xm, runs `xenmodel infer` without any lemma
file (a fresh process; `--format json`) and prints one row per engine: whether every target was proved
(the written file proved again by `prove`), the lemmas found against the hand-written ones (the
`lemma`s of proofs/<file>.xm and the proofs files it includes), the wall-clock and CPU seconds and the load
average (other jobs share the machine). The `pdr` engine runs too when checkers/infer/pdr.py exists.
Every run is cold (`--no-cache`) unless `--cache DIR` names a cache of proved queries to use (then a
second pass shows the warm time).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (label, model, hand-written lemma file or None, extra arguments)
CASES: list[tuple[str, str, str | None, list[str]]] = [
    ("s1 (3,2,2)", "bench/models/s1.xm", "bench/models/s1_lemmas.xm", ["--const", "D=3"]),
    ("domain", "spec/domain.xm", "proofs/domain.xm", []),
    ("sched", "spec/sched.xm", "proofs/sched.xm", []),
    ("context_switch", "spec/context_switch.xm", "proofs/ctxsw.xm", []),
    ("evtchn", "spec/evtchn.xm", "proofs/evtchn.xm", []),
    ("irq", "spec/irq.xm", "proofs/irq.xm", []),
    ("migration", "spec/migration.xm", "proofs/migration.xm", []),
    ("grant", "spec/grant.xm", "proofs/grant.xm", []),
    ("memory", "spec/memory.xm", "proofs/memory.xm", []),
    ("fixture lock", "tests/fixtures/infer_lock.xm", None, []),
    ("fixture counter", "tests/fixtures/infer_counter.xm", None, []),
]


def hand_written(path: str | None, seen: set[str] | None = None) -> int:
    """The lemmas of a lemma file and of the lemma files it includes (each file once)."""
    if path is None:
        return 0
    seen = set() if seen is None else seen
    full = os.path.normpath(os.path.join(ROOT, path))
    if full in seen or not os.path.exists(full):
        return 0
    seen.add(full)
    text = open(full, encoding="utf-8").read()
    n = len(re.findall(r"^\s*lemma\s", text, re.M))
    for inc in re.findall(r'^include "([^"]+)"', text, re.M):
        target = os.path.normpath(os.path.join(os.path.dirname(full), inc))
        if os.path.relpath(target, ROOT).split(os.sep)[0] in ("proofs", "bench"):
            n += hand_written(os.path.relpath(target, ROOT), seen)
    return n


def run(model: str, extra: list[str], engine: str, timeout: float, workers: int,
        cache: str | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "lemmas.xm")
        cmd = [sys.executable, "-m", "xenmodel", "infer", model, *extra, "--engine", engine, "--format", "json",
               "--timeout", str(timeout), "--quiet", "-o", out]
        if engine == "template":
            cmd += ["--workers", str(workers)] + (["--cache-dir", cache] if cache else ["--no-cache"])
        t = time.perf_counter()
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": ROOT}, timeout=timeout + 600)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        data: dict[str, object] = json.loads(proc.stdout)
    except json.JSONDecodeError:
        data = {"status": f"exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1:]}"}
    data["wall"] = wall
    # the CPU time of the infer process (and of its workers once they are reaped): with other jobs on
    # the machine, wall-clock time says more about the load than about infer
    data["cpu"] = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    data["exit"] = proc.returncode
    return data


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="", help="comma-separated labels (prefixes) to run")
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--instance", default=None, help="instance for the spec subsystems (default: their default)")
    ap.add_argument("--engines", default="template,pdr", help="comma-separated engines to run")
    ap.add_argument("--cache", default=None, metavar="DIR", help="cache of proved queries (default: none)")
    args = ap.parse_args()
    engines = [e for e in args.engines.split(",") if e == "template" or
               (e == "pdr" and os.path.exists(os.path.join(ROOT, "checkers", "infer", "pdr.py")))]
    print("| model | engine | targets proved | lemmas found | hand-written | wall s | cpu s | load |")
    print("|---|---|---|---|---|---|---|---|", flush=True)
    only = [x for x in args.only.split(",") if x]
    for label, model, lemmas, extra in CASES:
        if only and not any(label.startswith(o) for o in only):
            continue
        extra = extra + (["--instance", args.instance] if args.instance and model.startswith("spec/") else [])
        for engine in engines:
            r = run(model, extra, engine, args.timeout, args.workers, args.cache)
            lem = r.get("lemmas")
            text = r.get("lemmas_text")
            found = (len(lem) if isinstance(lem, list) else
                     len(re.findall(r"^lemma\s", text, re.M)) if isinstance(text, str) else "-")
            proved = {"proved": "yes"}.get(str(r.get("status")), f"no ({r.get('status')})")
            load = " ".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"| {label} | {engine} | {proved} | {found} | {hand_written(lemmas)} | {r['wall']:.1f} | "
                  f"{r['cpu']:.1f} | {load} |", flush=True)


if __name__ == "__main__":
    main()
