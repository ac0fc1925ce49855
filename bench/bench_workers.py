"""The explicit search in one process, in N worker processes (`check --workers N`) and on a local Ray
(`check --cluster ray --workers N`), side by side in one run, on S1.

    python bench/bench_workers.py [--sizes 3,2,3 ...] [--workers 2] [--no-ray] [--whole-state] [--spawn]
                                  [--repeat K] [--phases] [--side-by-side] [--in-process [--no-memo]]

Per configuration: states and transitions (which must equal the single process's), wall-clock seconds
of the whole check (worker start-up and compilation included), the CPU seconds of the driver (this
process) and of each worker, the critical path (the driver's CPU plus the busiest worker's: what the
wall-clock time would be with a whole core per process), and two speed-ups over one process: in
wall-clock time and in critical-path CPU. Each run is a new process (as the command line's).
Deadlock checking is off (S1 deadlocks at depth 8 with it on). The load average is printed before and
after each run: other jobs on a shared machine take cores from the workers, so the wall-clock speed-up
depends on the load and the CPU columns are the ones that do not. `--repeat K` runs the
configurations K times in turn (each speed-up is over the 1-process run of its own round); `--phases`
prints each worker's CPU per phase (start-up, compiled step, routing,
exchange, absorbing, settling) and its idle seconds at the level barriers; `--side-by-side` runs N
single-process checks at once after each round: their CPU over one alone is what running beside each
other costs on this machine, which bounds the speed-up of any N-process search.

`--in-process` measures the partitions' own work instead: one partition, then N, run one after the
other in one process (pool.InProcessTransport: no start-up, no waiting, no other process beside them),
each with its states, the transitions its expansion took and its CPU seconds per phase; the N partitions'
total over the one partition's is what splitting the search costs, and the busiest partition's share of
the total what the imbalance costs. `--no-memo` adds the same without the successor memo tables
(bfs_code.MEMO), to tell what of that cost the memo tables make.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from checkers.explicit import check  # noqa: E402
from checkers.explicit.partition_key import whole_state  # noqa: E402
from checkers.explicit.partitioned import PartitionedSearch  # noqa: E402
from checkers.explicit.pool import InProcessTransport, ProcessTransport  # noqa: E402
from xenmodel.frontend import load_model  # noqa: E402
from xenmodel.ir import Model  # noqa: E402
from xenmodel.result import EngineOptions, Result  # noqa: E402


def have_ray() -> bool:
    """Is the `cluster` extra installed? Asked only when a Ray row is wanted: importing Ray at the top
    would cost every spawned worker (which re-imports this module) a second of start-up."""
    try:
        import ray  # noqa: F401
    except ImportError:
        return False
    return True


def run(model: Model, extra: dict[str, Any]) -> Result:
    """One check; `key: whole` forces the whole state as the partition key, `start: spawn` spawned workers."""
    if extra.get("key") != "whole" and "start" not in extra:
        return check(model, {"deadlock": False, **extra})
    n = extra["workers"]
    return PartitionedSearch(model, EngineOptions(deadlock=False, workers=n), ProcessTransport(n, extra.get("start")),
                             whole_state(model) if extra.get("key") == "whole" else None).run()


def _command(size: str, extra: dict[str, Any]) -> list[str]:
    return [sys.executable, os.path.abspath(__file__), "--child", json.dumps([size, extra])]


def _parse(stdout: str) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return out


def fresh(size: str, extra: dict[str, Any]) -> dict[str, Any]:
    """One check in a new process, as the command line runs it (nothing left over from the runs before:
    a worker forked from a process that has run a search starts from its heap); its wall-clock and
    driver CPU seconds and its statistics."""
    return _parse(subprocess.run(_command(size, extra), capture_output=True, text=True, check=True).stdout)


def child(spec: str) -> None:
    size, extra = json.loads(spec)
    d, v, p = (int(x) for x in size.split(","))
    model = load_model(os.path.join(ROOT, "bench/models/s1.xm"), None, {"D": d, "V": v, "P": p}).model
    if "in_process" in extra:
        in_process(model, extra["in_process"], extra["memo"])
        return
    cpu0, t0 = time.process_time(), time.perf_counter()
    r = run(model, extra)
    print(json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time() - cpu0, "stats": r.stats}))


def in_process(model: Model, n: int, memo: bool) -> None:
    """n partitions one after the other in this process; per partition its states, transitions and CPU
    seconds per phase (as JSON)."""
    import gc

    from checkers.explicit import bfs_code
    bfs_code.MEMO = memo
    gc.disable()  # as in a worker process (pool.py)
    t = InProcessTransport(n)
    r = PartitionedSearch(model, EngineOptions(deadlock=False, workers=n), t).run()
    print(json.dumps({"states": r.stats["states"], "key": r.stats["partition_key"],
                      "parts": [{"owned": len(q.states), "gen": sum(q.gen),
                                 **{k: v for k, v in q.phases.items() if k != "start"}} for q in t.parts]}))


def in_process_table(sizes: list[str], n: int, memo_off: bool, repeat: int) -> None:
    print("| (D,V,P) | memo | partitions | key | states owned | transitions expanded | step s | route s "
          "| absorb s | total s | total over 1 partition | busiest share |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        for memo in [True, False] if memo_off else [True]:
            for _ in range(repeat):
                base = 0.0
                for k in (1, n):
                    got = _parse(subprocess.run(_command(size, {"in_process": k, "memo": memo}), capture_output=True,
                                                text=True, check=True).stdout)
                    parts = got["parts"]
                    work = [q.get("step", 0) + q.get("route", 0) + q.get("absorb", 0) + q.get("settle", 0)
                            for q in parts]
                    total = sum(work)
                    base = base or total

                    def col(name: str, form: str = "{:.2f}", parts: list[dict[str, Any]] = parts) -> str:
                        return " + ".join(form.format(q.get(name, 0)) for q in parts)
                    print(f"| ({size}) | {'on' if memo else 'off'} | {k} | {got['key']} "
                          f"| {col('owned', '{:,}')} | {col('gen', '{:,}')} "
                          f"| {col('step')} | {col('route')} | {col('absorb')} | {total:.2f} | {total / base:.2f}x "
                          f"| {max(work) / total:.2f} |", flush=True)


def side_by_side(size: str, n: int) -> list[float]:
    """The CPU seconds of n single-process checks run at once, each in its own new process: each does
    the whole search, so more CPU than one alone is what running beside the others costs (shared caches
    and memory), the part of the workers' CPU that no change to the partitioned search removes."""
    procs = [subprocess.Popen(_command(size, {}), stdout=subprocess.PIPE, text=True) for _ in range(n)]
    return [float(_parse(pr.communicate()[0])["cpu"]) for pr in procs]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", default=["3,2,3"], help="(D,V,P) of S1, e.g. 3,2,2")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-ray", action="store_true", help="leave the Ray run out")
    ap.add_argument("--phases", action="store_true",
                    help="after the table, each worker's CPU seconds per phase and its idle (waiting) seconds")
    ap.add_argument("--spawn", action="store_true",
                    help="also run spawned worker processes (as before they were forked where safe)")
    ap.add_argument("--child", help=argparse.SUPPRESS)  # one run, in a new process (see `fresh`)
    ap.add_argument("--side-by-side", action="store_true",
                    help="after each repetition, N single-process checks at once (N: --workers), each one's CPU")
    ap.add_argument("--repeat", type=int, default=1, help="run every configuration this many times, in turn")
    ap.add_argument("--in-process", action="store_true",
                    help="instead: 1 and N partitions one after the other in one process, each partition's work")
    ap.add_argument("--no-memo", action="store_true", help="with --in-process: also without the successor memo tables")
    ap.add_argument("--whole-state", action="store_true",
                    help="also run the worker processes with the whole state as the partition key (as before)")
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return
    load = os.getloadavg()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load average {load[0]:.1f} {load[1]:.1f} "
          f"{load[2]:.1f} at {time.strftime('%Y-%m-%d %H:%M')}")
    if args.in_process:
        in_process_table(args.sizes, args.workers, args.no_memo, args.repeat)
        load = os.getloadavg()
        print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
        return
    configs: list[tuple[str, dict[str, object]]] = [("1 process", {}), (f"{args.workers} worker processes",
                                                                          {"workers": args.workers})]
    if args.whole_state:
        configs.append((f"{args.workers} worker processes, whole-state key", {"workers": args.workers, "key": "whole"}))
    if args.spawn:
        configs.append((f"{args.workers} worker processes, spawned", {"workers": args.workers, "start": "spawn"}))
    if not args.no_ray and have_ray():
        configs.append((f"Ray local, {args.workers} actors", {"workers": args.workers, "cluster": "ray"}))
    print("| (D,V,P) | run | states | transitions | wall s | driver cpu s | worker cpu s | critical path cpu s "
          "| speed-up (wall) | speed-up (critical path) | key | sent per state | sent away "
          "| load average before / after |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    phases: list[str] = []
    for size in args.sizes:
        d, v, p = (int(x) for x in size.split(","))
        base_wall = base_crit = 0.0
        base_states = None
        for name, extra in [c for _ in range(args.repeat) for c in configs]:
            before = os.getloadavg()[0]
            got = fresh(size, extra)
            wall, driver, stats = got["wall"], got["cpu"], got["stats"]  # one process: the whole search
            workers = stats.get("worker_cpu_seconds") or []
            crit = driver + max(workers, default=0.0)
            n = stats["states"]
            if name == configs[0][0]:  # each repetition compares with its own 1-process run
                base_wall, base_crit, base_states = wall, crit, (n, stats["transitions"])
            same = "" if (n, stats["transitions"]) == base_states else " (COUNTS DIFFER)"
            wcol = " + ".join(f"{w:.2f}" for w in workers) or "-"
            sent = stats.get("states_sent")
            away = stats.get("sent_away")
            print(f"| ({d},{v},{p}) | {name}{same} | {n:,} | {stats['transitions']:,} | {wall:.2f} | {driver:.2f} "
                  f"| {wcol} | {crit:.2f} | {base_wall / wall:.2f}x | {base_crit / crit:.2f}x "
                  f"| {stats.get('partition_key', '-')} | {'-' if sent is None else f'{sent / n:.2f}'} "
                  f"| {'-' if away is None else f'{away:.2f}'} "
                  f"| {before:.1f} / {os.getloadavg()[0]:.1f} |", flush=True)
            if args.side_by_side and name == configs[-1][0]:
                before = os.getloadavg()[0]
                cpus = side_by_side(size, args.workers)
                phases.append(f"({d},{v},{p}) {args.workers} single-process checks side by side: CPU "
                              + " + ".join(f"{c:.2f}" for c in cpus) + f" s, each {max(cpus) / base_crit:.2f}x "
                              f"the last 1-process run's; load average {before:.1f} / {os.getloadavg()[0]:.1f}")
            for w, ph in enumerate(stats.get("worker_phases") or []):
                phases.append(f"({d},{v},{p}) {name}, worker {w}: "
                              + ", ".join(f"{k} {x:.2f}" for k, x in ph.items()))
    if args.phases or args.side_by_side:
        print("\n".join(phases))
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
