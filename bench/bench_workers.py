"""The explicit search in one process, in N worker processes (`check --workers N`) and on a local Ray
(`check --cluster ray --workers N`), side by side in one run, on S1.

    python bench/bench_workers.py [--sizes 3,2,3 ...] [--workers 2] [--no-ray]

Per configuration: states and transitions (which must equal the single process's), wall-clock seconds
of the whole check (worker start-up and compilation included), the CPU seconds of the driver (this
process) and of each worker, the critical path (the driver's CPU plus the busiest worker's: what the
wall-clock time would be with a whole core per process), and two speed-ups over one process: in
wall-clock time and in critical-path CPU. Deadlock checking is off (S1 deadlocks at depth 8 with it
on). The load average is printed before and after each run: other jobs on a shared machine take cores
from the workers, so the wall-clock speed-up depends on the load and the CPU columns are the ones that
do not.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from checkers.explicit import check  # noqa: E402
from checkers.explicit.partition_key import whole_state  # noqa: E402
from checkers.explicit.partitioned import PartitionedSearch  # noqa: E402
from checkers.explicit.pool import ProcessTransport  # noqa: E402
from xenmodel.frontend import load_model  # noqa: E402
from xenmodel.ir import Model  # noqa: E402
from xenmodel.result import EngineOptions, Result  # noqa: E402

try:
    import ray  # noqa: F401 - only whether the `cluster` extra is installed
    HAVE_RAY = True
except ModuleNotFoundError:
    HAVE_RAY = False


def run(model: Model, extra: dict[str, Any]) -> Result:
    """One check; `key: whole` forces the whole state as the partition key."""
    if extra.get("key") != "whole":
        return check(model, {"deadlock": False, **extra})
    n = extra["workers"]
    return PartitionedSearch(model, EngineOptions(deadlock=False, workers=n), ProcessTransport(n),
                             whole_state(model)).run()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", default=["3,2,3"], help="(D,V,P) of S1, e.g. 3,2,2")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-ray", action="store_true", help="leave the Ray run out")
    ap.add_argument("--phases", action="store_true",
                    help="after the table, each worker's CPU seconds per phase and its idle (waiting) seconds")
    ap.add_argument("--repeat", type=int, default=1, help="run every configuration this many times, in turn")
    ap.add_argument("--whole-state", action="store_true",
                    help="also run the worker processes with the whole state as the partition key (as before)")
    args = ap.parse_args()
    load = os.getloadavg()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load average {load[0]:.1f} {load[1]:.1f} "
          f"{load[2]:.1f} at {time.strftime('%Y-%m-%d %H:%M')}")
    configs: list[tuple[str, dict[str, object]]] = [("1 process", {}), (f"{args.workers} worker processes",
                                                                          {"workers": args.workers})]
    if args.whole_state:
        configs.append((f"{args.workers} worker processes, whole-state key", {"workers": args.workers, "key": "whole"}))
    if not args.no_ray and HAVE_RAY:
        configs.append((f"Ray local, {args.workers} actors", {"workers": args.workers, "cluster": "ray"}))
    print("| (D,V,P) | run | states | transitions | wall s | driver cpu s | worker cpu s | critical path cpu s "
          "| speed-up (wall) | speed-up (critical path) | key | new per state | sent away "
          "| load average before / after |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    phases: list[str] = []
    for size in args.sizes:
        d, v, p = (int(x) for x in size.split(","))
        model = load_model(os.path.join(ROOT, "bench/models/s1.xm"), None, {"D": d, "V": v, "P": p}).model
        base_wall = base_crit = 0.0
        base_states = None
        for name, extra in [c for _ in range(args.repeat) for c in configs]:
            before = os.getloadavg()[0]
            cpu0, t0 = time.process_time(), time.perf_counter()
            r = run(model, extra)
            wall = time.perf_counter() - t0
            driver = time.process_time() - cpu0  # one process: the whole search
            workers = r.stats.get("worker_cpu_seconds") or []
            crit = driver + max(workers, default=0.0)
            n = r.stats["states"]
            if base_states is None:
                base_wall, base_crit, base_states = wall, crit, (n, r.stats["transitions"])
            same = "" if (n, r.stats["transitions"]) == base_states else " (COUNTS DIFFER)"
            wcol = " + ".join(f"{w:.2f}" for w in workers) or "-"
            dup = sum(c["distinct"] for c in r.stats["coverage"].values()) / max(1, n - r.stats["generated"]
                                                                                  + r.stats["transitions"])
            away = r.stats.get("sent_away")
            print(f"| ({d},{v},{p}) | {name}{same} | {n:,} | {r.stats['transitions']:,} | {wall:.2f} | {driver:.2f} "
                  f"| {wcol} | {crit:.2f} | {base_wall / wall:.2f}x | {base_crit / crit:.2f}x "
                  f"| {r.stats.get('partition_key', '-')} | {dup:.2f} | {'-' if away is None else f'{away:.2f}'} "
                  f"| {before:.1f} / {os.getloadavg()[0]:.1f} |", flush=True)
            for w, ph in enumerate(r.stats.get("worker_phases") or []):
                phases.append(f"({d},{v},{p}) {name}, worker {w}: "
                              + ", ".join(f"{k} {x:.2f}" for k, x in ph.items()))
    if args.phases:
        print("\n".join(phases))
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
