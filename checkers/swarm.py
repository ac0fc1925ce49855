"""`simulate --swarm N`: random walks in N worker processes, each differently configured (swarm testing),
stopping at the first violation.

Worker 0 walks as `simulate` does (every action, --steps). Every other worker draws from the seed its own
plan: a seed for its walks, a subset of the actions (each kept with probability 1/2; the walk takes only
their transitions while one is enabled, and any transition otherwise, so a state is a deadlock only when
nothing at all is enabled), and a walk length (half, once or twice --steps). Leaving actions out
reaches states that a uniform walk visits rarely: the point of swarm testing.

Deterministic for the seed. Each worker reports every run it finishes; the violation reported is the
one of the least (run number, worker), and the run stops only once no other worker can still find a
smaller one, so the same seed gives the same worker, run and trace however the processes are
scheduled. With explore="guided" (xenmodel.explore) every worker walks guided, its own per-run
subsets within its preferred actions. The trace comes from xenmodel.simulate (replayed there through
the reference semantics); the command shortens it as `simulate` does.
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import pickle
import queue
import random
import signal
import time
from collections.abc import Sequence
from typing import Any

from xenmodel import explore as X
from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.result import EngineOptions, ProgressUpdate, Result, temporals_unchecked
from xenmodel.simulate import DEFAULT_RUNS, DEFAULT_SEED, DEFAULT_STEPS, ReferenceSemantics, State, WalkSemantics
from xenmodel.simulate import simulate as walk
from xenmodel.trace import Trace

ENGINE = "simulate"
SUPPORTED = frozenset({"steps", "runs", "seed", "deadlock", "timeout", "explore", "ignore_weights"})
POLL = 0.5  # seconds between two looks at the clock while waiting for the workers


@dataclasses.dataclass(frozen=True)
class Plan:
    """One worker's configuration: its seed, the actions it prefers (None: all), its walk length."""
    worker: int
    seed: int
    actions: tuple[str, ...] | None
    steps: int

    def describe(self) -> str:
        acts = "every action" if self.actions is None else "actions " + ", ".join(self.actions)
        return f"swarm worker {self.worker} (seed {self.seed}, {acts}, walks of up to {self.steps} steps)"


def plans(model: ir.Model, n: int, seed: int, steps: int) -> list[Plan]:
    """The workers' configurations, a function of the seed only."""
    out = [Plan(0, seed, None, steps)]
    names = [a.name for a in model.actions]
    for w in range(1, n):
        rng = random.Random(f"swarm:{seed}:{w}")
        kept = tuple(a for a in names if rng.random() < 0.5) or (rng.choice(names),) if names else ()
        out.append(Plan(w, rng.randrange(2**31), kept or None, max(1, rng.choice([steps // 2, steps, 2 * steps]))))
    return out


class Preferring:
    """A semantics whose walk takes only the preferred actions' transitions while one is enabled."""

    def __init__(self, inner: WalkSemantics, actions: Sequence[str]) -> None:
        self.inner, self.actions = inner, frozenset(actions)

    def successors(self, state: State) -> Sequence[S.Step | S.StepError]:
        outs = self.inner.successors(state)
        mine = [o for o in outs if o.action in self.actions]
        return mine or outs

    def failing(self, state: State) -> Any:
        return self.inner.failing(state)


def _work(blob: bytes, plan: Plan, runs: int, deadlock: bool, reference: bool, box: Any,
          explore: str = X.UNIFORM) -> None:
    """A worker: its walks, a ("run", worker, runs done, steps) message after each, then ("end", worker,
    trace or None)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the workers
    model: ir.Model = pickle.loads(blob)
    sem: WalkSemantics | None = None
    if not reference:
        from checkers.explicit.compiled_semantics import compiled_or_none
        sem = compiled_or_none(model)
    sem = sem or ReferenceSemantics(model)
    if plan.actions is not None:
        sem = Preferring(sem, plan.actions)

    def progress(done: int, steps: int) -> None:
        box.put(("run", plan.worker, done, steps))
    result = walk(model, plan.steps, runs, plan.seed, deadlock, progress=progress, semantics=sem, strategy=explore)
    box.put(("end", plan.worker, result.trace))


def run(model: ir.Model, options: EngineOptions, swarm: int, reference: bool = False) -> Result:
    """`swarm` workers (see the module docstring); options as for xenmodel.simulate.run."""
    options.refuse_unsupported(ENGINE, SUPPORTED)
    seed: int = options.get("seed", DEFAULT_SEED)
    runs: int = options.get("runs", DEFAULT_RUNS)
    explore: str = options.get("explore", X.UNIFORM)
    X.check_strategy(explore)
    if options.get("ignore_weights", False):
        model = X.unweighted(model)
    default = X.default_steps(model) if explore != X.UNIFORM else DEFAULT_STEPS
    ps = plans(model, swarm, seed, options.get("steps", default))
    started = time.perf_counter()
    ctx = multiprocessing.get_context("spawn")
    box = ctx.Queue()
    blob = pickle.dumps(model)
    procs = [ctx.Process(target=_work, args=(blob, p, runs, options.get("deadlock", True), reference, box, explore),
                         daemon=True, name=f"xenmodel-swarm-{p.worker}") for p in ps]
    done = [0] * swarm  # runs finished, per worker
    steps = [0] * swarm
    ended: dict[int, Trace | None] = {}

    def stats() -> dict[str, Any]:
        secs = time.perf_counter() - started
        return {"runs": sum(done), "steps": sum(steps), "seconds": round(secs, 3), "swarm": swarm,
                "steps_per_second": round(sum(steps) / secs) if secs > 0 else None}

    def stopped(why: str) -> Result:
        return Result.unknown(model, ENGINE, f"{why}: {sum(done)} complete run(s) in {swarm} swarm workers and "
                                             f"{sum(steps)} steps, no violation so far (statistics so far)",
                              stats(), seed=seed)
    try:
        for p in procs:
            p.start()
        winner = _wait(options, box, swarm, runs, done, steps, ended, started)
    except KeyboardInterrupt:
        return stopped("interrupted (Ctrl-C)")
    except TimeoutError:
        return stopped(f"timed out after {options.timeout:g} s")
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
            p.join(1.0)
            if p.is_alive():
                p.kill()
                p.join()
        box.cancel_join_thread()
        box.close()
    if winner is None:
        return Result.sampled(model, ENGINE, f"no violation in {swarm} swarm workers x {runs} random run(s) (a sample, "
                                             "not a proof)", seed, stats(),
                              messages=temporals_unchecked(model, "finite random runs"))
    w, r = winner
    trace, acts = ended[w], ps[w].actions
    assert trace is not None
    st = {**stats(), "found_by": {"worker": w, "seed": ps[w].seed, "run": r, "steps": ps[w].steps,
                                  "actions": "all" if acts is None else list(acts)}}
    return Result.violated(model, ENGINE, trace, st, seed=seed,
                           messages=(f"found by {ps[w].describe()}, in its run {r}",))


def _wait(options: EngineOptions, box: Any, n: int, runs: int, done: list[int], steps: list[int],
          ended: dict[int, Trace | None], started: float) -> tuple[int, int] | None:
    """Read the workers' messages until the result is decided: (worker, run) of the least violation by
    (run, worker) once no worker can find a smaller one, or None when every worker ended without one."""
    deadline = None if options.timeout is None else started + options.timeout
    last = time.perf_counter()
    while True:
        best = min(((done[w] - 1, w) for w, t in ended.items() if t is not None), default=None)
        if best is not None and all(w in ended or done[w] >= best[0] + (1 if w < best[1] else 0)
                                    for w in range(n)):
            return best[1], best[0]
        if len(ended) == n:
            return None
        if deadline is not None and time.perf_counter() >= deadline:
            raise TimeoutError
        try:
            msg = box.get(timeout=POLL)
        except queue.Empty:
            continue
        if msg[0] == "run":
            _, w, d, s = msg
            done[w], steps[w] = d, s
        else:
            ended[msg[1]] = msg[2]
        now = time.perf_counter()
        if options.progress is not None and now - last >= 1.0:
            last = now
            options.progress(ProgressUpdate(ENGINE, "swarm", round(now - started, 3), transitions=sum(steps),
                                            done=sum(done), total=n * runs, message=f"{n} swarm workers"))
