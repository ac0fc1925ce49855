"""Small shared helpers for the tests: load a model from text, and a breadth-first search over the
reference semantics (the slow, obviously-correct oracle other engines are compared with)."""
from __future__ import annotations

from collections import deque
from pathlib import Path

from xenmodel import semantics as S
from xenmodel.frontend import load_model
from xenmodel.result import Violation
from xenmodel.trace import Trace, TraceStep

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def model_from_text(text: str, instance=None, consts=None, path="<test>.xm", limits=None):
    if limits is None:
        return load_model(path, instance, consts or {}, text=text).model
    return load_model(path, instance, consts or {}, text=text, limits=limits).model


def fixture(name: str, instance=None, consts=None):
    return load_model(str(FIXTURES / name), instance, consts or {}).model


def reference_bfs(model, deadlock: bool = True, limit: int = 200_000, max_depth: int | None = None):
    """(number of reachable states, shortest counterexample Trace or None) by plain BFS. With max_depth,
    only the counterexamples of at most that many steps are looked for (the states deeper are not
    expanded, so the count is of those met so far): a bounded engine's answer to depth max_depth."""
    parent: dict = {}
    queue: deque = deque()
    for o in S.initial_states(model):
        if isinstance(o, S.StepError):
            return 0, Trace((), Violation.of_error(o))
        if o.state not in parent:
            parent[o.state] = None
            queue.append(o.state)
    depth = dict.fromkeys(queue, 0)

    def path(state, last=None):
        steps = []
        s = state
        while s is not None:
            info = parent[s]
            if info is None:
                steps.append(TraceStep("init", (), (), s))
                s = None
            else:
                prev, action, args, picks = info
                steps.append(TraceStep(action, args, picks, s))
                s = prev
        return tuple(reversed(steps))

    while queue:
        state = queue.popleft()
        if max_depth is not None and depth[state] > max_depth:
            return len(parent), None  # breadth-first: every state of at most max_depth steps is done
        failed = S.check_properties(model, state)
        if failed:
            return len(parent), Trace(path(state), Violation.of_property(*failed[0]))
        outs = list(S.successors(model, state))
        if not outs and deadlock:
            return len(parent), Trace(path(state), Violation.deadlock())
        for o in outs:
            if isinstance(o, S.StepError):
                return len(parent), Trace(path(state), Violation.of_error(o))
            if o.state not in parent:
                parent[o.state] = (state, o.action, o.args, o.picks)
                depth[o.state] = depth[state] + 1
                queue.append(o.state)
        if len(parent) > limit:
            raise RuntimeError("state space too large for the reference BFS")
    return len(parent), None


def run_cli(*args: str) -> tuple[int, str, str]:
    """The command line in-process: (exit code, stdout, stderr); exceptions propagate to the test."""
    from click.testing import CliRunner

    from xenmodel.cli import cli
    r = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr
