#!/usr/bin/env python3
"""Benchmark: how the explicit engine's compile step scales with the number of actions (not a test).

Generates a model with N trivial actions (`action aK() { require x == K % 4  x := (x + 1) % 4 }`)
and, in a fresh process per N (so peak memory is per run), times loading, compiling the transition
relation (ModelCode.build_bfs, build_props, build_list) and the whole `explicit.check`, and reads the
peak resident memory. Linear scaling shows as constant "compile ms/action" and "MB/action".

Usage: python bench/bench_compile_scale.py [--sizes 250 500 1000 2000] [--timeout 600]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_DRIVER = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from xenmodel.frontend import load_model
from checkers.explicit.model_code import ModelCode
from checkers.explicit.store import Store
from checkers.explicit import check
t0 = time.perf_counter()
model = load_model({path!r}, None, {{}}).model
t1 = time.perf_counter()
base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
code = ModelCode(model)
code.build_props()
_, src = code.build_bfs(Store(len(model.vars)), None, None, True)
code.build_list()
t2 = time.perf_counter()
compile_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
r = check(model, {{"symmetry": False}})
t3 = time.perf_counter()
print(json.dumps({{"load_s": t1 - t0, "compile_s": t2 - t1, "check_s": t3 - t2, "src_kb": len(src) / 1024,
                  "base_mb": base_mb, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "compile_peak_mb": compile_mb, "status": r.status, "states": r.stats.get("states")}}))
"""


def model_text(n: int) -> str:
    lines = [f"model scale{n}", "var x: int[0..3]"]
    lines += [f"action a{k}() {{ require x == {k % 4}  x := (x + 1) % 4 }}" for k in range(n)]
    lines.append("invariant small: x <= 3")
    return "\n".join(lines) + "\n"


def run(n: int, timeout: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, f"scale{n}.xm")
        with open(path, "w") as f:
            f.write(model_text(n))
        try:
            proc = subprocess.run([sys.executable, "-c", _DRIVER.format(root=ROOT, path=path)],
                                  capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return {"error": f"timeout after {timeout:g} s"}
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": f"exit {proc.returncode}: {last[:60]}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000, 2000])
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()
    print(f"{'actions':>8} {'load s':>7} {'compile s':>9} {'ms/action':>9} {'check s':>8} {'source KB':>9} "
          f"{'peak MB':>8} {'MB/action':>9}  result")
    for n in args.sizes:
        r = run(n, args.timeout)
        if "error" in r:
            print(f"{n:>8} {r['error']}", flush=True)
            continue
        extra = r["compile_peak_mb"] - r["base_mb"]
        print(f"{n:>8} {r['load_s']:>7.2f} {r['compile_s']:>9.2f} {1000 * r['compile_s'] / n:>9.2f} "
              f"{r['check_s']:>8.2f} {r['src_kb']:>9.0f} {r['peak_mb']:>8.0f} {extra / n:>9.3f}  "
              f"{r['status']} ({r['states']} states)", flush=True)


if __name__ == "__main__":
    main()
