"""Branch coverage: which outcomes of which statements the reference semantics took.

`Coverage(model)` lists the model's branch points once, from the IR, and counts what the reference
semantics reports to it while it runs (`semantics.successors_of(..., cover=c)`,
`semantics.initial_states(model, cover=c)`). A branch point is a statement at one source location
(a proc or def inlined into several actions is one point, taken through any of them):

- `require`: the arms `held` and `failed`;
- `if`: the arms `then` and `else` (an `if` without `else` has its empty `else` arm too);
- `assert`: the arm `checked` (a failed assert is a violation, never a covered arm);
- `choose`: the arm `picked` (some value passed the `where` and the body ran);
- a result recorded: a whole variable of an enum type that actions assign (how the spec records a
  hypercall's result: `evtchn_result := EVTCHN_EEXIST`, `dom_result := r`) is one point, at its
  declaration, with one arm per value its assignments can give (the enum constants at the leaves of
  their right-hand sides' conditionals, through `let`s); a value not known that way is added as an arm
  when it is seen. Per variable, not per assignment: `evtchn_alloc_error(d)` can give EVTCHN_OK, but
  never in the branch that calls it; that arm is another assignment's.

The engines stay unaware of this: the explicit engine's coverage pass (checkers/explicit/coverage.py)
re-runs each reached state's transitions through the instrumented reference semantics.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import ir
from .source import Span
from .types import EnumT

KINDS = ("require", "if", "assert", "choose", "result")


@dataclass
class Point:
    """One branch point: its kind, where it is, the actions it belongs to, and the count of each arm."""
    kind: str
    span: Span | None
    actions: list[str]
    arms: dict[str, int]
    enum: EnumT | None = field(default=None, repr=False)  # a result's enum: values are shown by name

    def location(self) -> str:
        return self.span.short() if self.span is not None else "?"

    def missed(self) -> list[str]:
        return [arm for arm, n in self.arms.items() if n == 0]


class Coverage:
    """The model's branch points and their counts; the hook object the reference semantics calls."""

    def __init__(self, model: ir.Model) -> None:
        self.points: list[Point] = []
        self._by_key: dict[tuple[str, str, int], Point] = {}
        self._of_stmt: dict[int, Point] = {}  # id(IR statement) -> its point (the IR lives as long as we do)
        self._model = model  # keeps the statements whose ids are keys alive
        self.events = []
        self._collect("init", model.init, {})
        for a in model.actions:
            self._collect(a.name, a.body, {})

    # ------------------------------------------------------------ what the semantics calls
    # The hooks only log (point, arm) events; `tally` counts them. So a caller may keep the events of
    # one action instance and count them again wherever the outcome is known to be the same.
    events: list[tuple[Point, str]]

    def took(self, stmt: ir.Stmt, arm: str) -> None:
        self.events.append((self._of_stmt[id(stmt)], arm))

    def recorded(self, stmt: ir.Assign, value: Any) -> None:
        """An assignment statement ran; logs the value if the statement records a result."""
        p = self._of_stmt.get(id(stmt))
        if p is not None:
            assert p.enum is not None
            self.events.append((p, p.enum.members[value]))

    def tally(self, events: list[tuple[Point, str]] | tuple[tuple[Point, str], ...]) -> None:
        for p, arm in events:
            p.arms[arm] = p.arms.get(arm, 0) + 1

    # ------------------------------------------------------------ summaries
    def points_of(self, action: str) -> list[Point]:
        return [p for p in self.points if action in p.actions]

    def missed(self) -> list[tuple[Point, str]]:
        return [(p, arm) for p in self.points for arm in p.missed()]

    def totals(self) -> tuple[int, int]:
        """(arms taken, arms in all)."""
        arms = [n for p in self.points for n in p.arms.values()]
        return sum(1 for n in arms if n > 0), len(arms)

    def to_json(self) -> list[dict[str, Any]]:
        out = []
        for p in self.points:
            line, col = p.span.line_col() if p.span is not None else (0, 0)
            out.append({"kind": p.kind, "file": p.span.file if p.span is not None else "", "line": line,
                        "col": col, "actions": list(p.actions), "arms": dict(p.arms)})
        return sorted(out, key=lambda b: (b["file"], b["line"], b["col"], b["kind"]))

    # ------------------------------------------------------------ the points, from the IR
    def _point(self, action: str, stmt: ir.Stmt, kind: str, arms: list[str], enum: EnumT | None = None,
               span: Span | None = None) -> None:
        span = span or stmt.span
        key = (kind, span.file if span is not None else "", span.start if span is not None else id(stmt))
        p = self._by_key.get(key)
        if p is None:
            p = Point(kind, span, [], {}, enum)
            self._by_key[key] = p
            self.points.append(p)
        if action not in p.actions:
            p.actions.append(action)
        for arm in arms:
            p.arms.setdefault(arm, 0)
        if enum is not None:  # a result's arms in the enum's order, whichever assignment named them first
            p.arms = {m: p.arms[m] for m in enum.members if m in p.arms}
        self._of_stmt[id(stmt)] = p

    def _collect(self, action: str, stmts: tuple[ir.Stmt, ...], lets: dict[int, ir.Expr]) -> None:
        for s in stmts:
            match s:
                case ir.Require():
                    self._point(action, s, "require", ["held", "failed"])
                case ir.Assert():
                    self._point(action, s, "assert", ["checked"])
                case ir.If():
                    self._point(action, s, "if", ["then", "else"])
                    self._collect(action, s.then, lets)
                    self._collect(action, s.other, lets)
                case ir.Choose():
                    self._point(action, s, "choose", ["picked"])
                    self._collect(action, s.body, lets)
                case ir.Foreach():
                    self._collect(action, s.body, lets)
                case ir.Let():
                    lets[s.uid] = s.value
                case ir.Assign():
                    t = s.target.type
                    if isinstance(s.target, ir.LVar) and isinstance(t, EnumT):
                        names = [t.members[v] for v in sorted(set(_leaves(s.value, lets)))]
                        decl = self._model.vars[s.target.index]
                        self._point(action, s, "result", names, t, decl.span)


def _leaves(e: ir.Expr, lets: dict[int, ir.Expr]) -> Iterator[int]:
    """The enum constants an expression can give: the literal leaves of its conditionals (through lets)."""
    match e:
        case ir.Lit():
            yield e.value
        case ir.Ite():
            yield from _leaves(e.then, lets)
            yield from _leaves(e.other, lets)
        case ir.LetIn():
            yield from _leaves(e.body, {**lets, e.uid: e.value})
        case ir.Local() if e.uid in lets:
            yield from _leaves(lets[e.uid], lets)
        case _:
            pass  # not known statically: its values are added as they are seen
