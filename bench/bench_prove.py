#!/usr/bin/env python3
"""Benchmark of `xenmodel prove` (engine induction) as it scales: issue 18's figures.

  python bench/bench_prove.py [--sections whole,cache,subsystems,s1] [--instance default] [--subsystems a,b]

- whole: the whole-model proof (spec/xen.xm with proofs/xen.xm) with 1 and with 2 workers, no cache;
- cache: the whole-model proof with a fresh cache, then again after editing one action (a `require
  true` added to its body in the IR: every key of its obligations changes, no other), goal < 1 min;
- subsystems: each subsystem's proof with its lemma file, plain (every consecution asked, each assuming
  every property) and with the frame argument and slicing;
- s1: S1 (bench/models/s1.xm with s1_lemmas.xm) at (3,2,2) and (4,2,2).

Wall-clock seconds (the workers' CPU is not in this process's CPU time, so only wall is given); the
machine's load average is printed next to every figure, since other jobs share the cores.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from checkers.smt import induction  # noqa: E402
from xenmodel import ir  # noqa: E402
from xenmodel.frontend import load_model  # noqa: E402
from xenmodel.types import BoolT  # noqa: E402

SUBSYSTEMS = [("domain", "domain"), ("sched", "sched"), ("context_switch", "ctxsw"), ("evtchn", "evtchn"),
              ("irq", "irq"), ("migration", "migration"), ("grant", "grant"), ("memory", "memory")]


def load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def spec(name: str, lemmas: str, instance: str) -> ir.Model:
    return load_model(os.path.join(ROOT, "spec", f"{name}.xm"), instance,
                      extra=(os.path.join(ROOT, "proofs", f"{lemmas}.xm"),)).model


def run(model: ir.Model, label: str, **opts: object) -> dict:
    frame = bool(opts.pop("frame", True))
    slicing = bool(opts.pop("slicing", True))
    t = time.perf_counter()
    r = induction.prove(model, opts, frame=frame, slicing=slicing)
    wall = time.perf_counter() - t
    s = r.stats
    print(f"| {label} | {r.status} | {wall:.1f} | {s.get('obligations')} | {s.get('skipped_by_frame')} | "
          f"{s.get('sliced')} | {s.get('queries')} | {s.get('from_cache')} | {load()} |", flush=True)
    return {"result": r, "wall": wall}


def header() -> None:
    print("| proof | status | wall (s) | obligations | skipped by frame | sliced | asked | from cache | load |")
    print("|---|---|---|---|---|---|---|---|---|")


def edited(model: ir.Model, action: str) -> ir.Model:
    """The model with `require true` first in one action's body: the same behaviour, other IR."""
    acts = tuple(dataclasses.replace(a, body=(ir.Require(ir.Lit(True, BoolT())), *a.body)) if a.name == action
                 else a for a in model.actions)
    return dataclasses.replace(model, actions=acts)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sections", default="whole,cache,subsystems,s1")
    ap.add_argument("--instance", default="default")
    ap.add_argument("--edit", default="evtchn_send", help="the action the cache section edits")
    ap.add_argument("--subsystems", default=",".join(n for n, _ in SUBSYSTEMS), help="for the subsystems section")
    a = ap.parse_args()
    sections = set(a.sections.split(","))
    print(f"cores: {os.cpu_count()}, {load()}\n")
    header()
    if "whole" in sections:
        xen = spec("xen", "xen", a.instance)
        for w in (1, 2):
            run(xen, f"xen {a.instance}, {w} worker(s)", workers=w)
    if "cache" in sections:
        xen = spec("xen", "xen", a.instance)
        with tempfile.TemporaryDirectory() as cache:
            run(xen, f"xen {a.instance}, 2 workers, empty cache", workers=2, cache_dir=cache)
            run(xen, f"xen {a.instance}, 2 workers, cache, nothing edited", workers=2, cache_dir=cache)
            run(edited(xen, a.edit), f"xen {a.instance}, 2 workers, cache, {a.edit} edited", workers=2,
                cache_dir=cache)
    if "subsystems" in sections:
        for name, lemmas in SUBSYSTEMS:
            if name not in a.subsystems.split(","):
                continue
            m = spec(name, lemmas, a.instance)
            run(m, f"{name} plain, 2 workers", workers=2, frame=False, slicing=False)
            run(m, f"{name} frame + slicing, 2 workers", workers=2)
    if "s1" in sections:
        for d in (3, 4):
            m = load_model(os.path.join(ROOT, "bench", "models", "s1.xm"), None, {"D": d},
                           extra=(os.path.join(ROOT, "bench", "models", "s1_lemmas.xm"),)).model
            run(m, f"S1 ({d},2,2), 1 worker", workers=1)
            run(m, f"S1 ({d},2,2), 2 workers", workers=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
