#!/usr/bin/env python3
"""Benchmark of the PDR baseline of `xenmodel infer --engine pdr` (checkers/infer/pdr.py, Z3's Spacer)
against the hand-written proofs: issue 19's "keep it only if it wins somewhere, and say where".

  python bench/bench_pdr.py [--instances small,default] [--subsystems a,b] [--timeout 60] [--prove-timeout 300]
                            [--no-s1]
                            [--no-prove] [--check-rendered]

For every subsystem of spec/ at each instance, and for S1 (bench/models/s1.xm, without its lemma file):
PDR on the spec alone (targets: every invariant and error-freedom; no hand-written lemma), its status,
wall time and the number of lemmas it rendered; beside it `prove` (engine induction) of the spec with
its hand-written lemma file (proofs/X.xm; S1: bench/models/s1_lemmas.xm), its status and wall time.
`--check-rendered` also proves the spec with the lemmas PDR rendered (the column "rendered proves").
Wall-clock seconds; the load average is printed, since other jobs share the cores.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from checkers.infer.pdr import run_pdr  # noqa: E402
from checkers.smt import induction  # noqa: E402
from xenmodel.frontend import load_model  # noqa: E402

SUBSYSTEMS = [("domain", "domain"), ("sched", "sched"), ("context_switch", "ctxsw"), ("evtchn", "evtchn"),
              ("irq", "irq"), ("migration", "migration"), ("grant", "grant"), ("memory", "memory")]
S1 = os.path.join(ROOT, "bench", "models", "s1.xm")
S1_LEMMAS = os.path.join(ROOT, "bench", "models", "s1_lemmas.xm")


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def prove(path: str, instance: str | None, consts: dict[str, int], lemmas: str, timeout: float) -> tuple[str, float]:
    model = load_model(path, instance, consts, extra=(lemmas,)).model
    t = time.perf_counter()
    r = induction.prove(model, {"timeout": timeout})
    return r.status.value, time.perf_counter() - t


def row(label: str, path: str, instance: str | None, consts: dict[str, int], lemmas: str | None,
        args: argparse.Namespace) -> None:
    model = load_model(path, instance, consts).model
    t = time.perf_counter()
    o = run_pdr(model, (), args.timeout)
    wall = time.perf_counter() - t
    n = "-" if o.lemmas_text is None else str(o.lemmas_text.count("\nlemma "))
    rendered = ""
    if args.check_rendered:
        rendered = "-"
        if o.lemmas_text is not None:
            with tempfile.NamedTemporaryFile("w", suffix=".xm", dir=os.path.dirname(path), delete=False) as f:
                f.write(o.lemmas_text)
            try:
                st, secs = prove(path, instance, consts, f.name, args.prove_timeout)
                rendered = f"{st} {secs:.1f}"
            finally:
                os.unlink(f.name)
        rendered = f" {rendered} |"
    hand = "- | -"
    hand_n = "-"
    if lemmas is not None:
        hand_n = str(sum(1 for line in open(lemmas) if line.startswith("lemma ")))
        if not args.no_prove:
            st, secs = prove(path, instance, consts, lemmas, args.prove_timeout)
            hand = f"{st} | {secs:.1f}"
    print(f"| {label} | {o.status} | {wall:.1f} | {n} |{rendered} {hand} | {hand_n} | {o.detail} | {load()} |",
          flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--instances", default="small,default")
    ap.add_argument("--subsystems", default=",".join(s for s, _ in SUBSYSTEMS))
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per PDR run")
    ap.add_argument("--prove-timeout", type=float, default=300.0, help="seconds per prove run")
    ap.add_argument("--no-s1", action="store_true")
    ap.add_argument("--no-prove", action="store_true", help="skip the proofs with the hand-written lemmas")
    ap.add_argument("--check-rendered", action="store_true", help="prove the spec with PDR's rendered lemmas")
    args = ap.parse_args()
    extra = " rendered proves (s) |" if args.check_rendered else ""
    print(f"| model @ instance | pdr | pdr (s) | lemmas rendered |{extra} prove with hand lemmas | prove (s) | "
          "hand lemmas | detail | load |")
    print("|---" * (9 + bool(args.check_rendered)) + "|")
    chosen = set(args.subsystems.split(","))
    for instance in args.instances.split(","):
        for name, lemmas in SUBSYSTEMS:
            if name in chosen:
                row(f"{name} @ {instance}", os.path.join(ROOT, "spec", f"{name}.xm"), instance, {},
                    os.path.join(ROOT, "proofs", f"{lemmas}.xm"), args)
    if not args.no_s1:
        for d, v, p in ((2, 1, 2), (2, 2, 2), (3, 2, 2)):
            row(f"s1 ({d},{v},{p})", S1, None, {"D": d, "V": v, "P": p}, S1_LEMMAS, args)
        row("s1_bug (2,2,2)", os.path.join(ROOT, "bench", "models", "s1_bug.xm"), None, {"D": 2, "V": 2, "P": 2},
            None, args)


if __name__ == "__main__":
    main()
