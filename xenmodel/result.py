"""What every engine returns, and what every engine is given.

- `Status` and `ViolationKind`: the closed sets of outcomes and violation kinds.
- `Violation`: why a trace fails, built by one constructor per cause: `Violation.deadlock()`,
  `Violation.of_error(step_error)` (a failed assert or a model error), `Violation.of_property(prop, error)`.
- `Result`: frozen, built by one constructor per outcome (`Result.holds`, `.violated`, `.bounded`,
  `.sampled`, `.unknown`), each taking the bound model, so no engine assembles the identity fields
  (engine, model path, instance, constants) by hand. A `status` given as a string is coerced to
  `Status` and a messages list to a tuple (the positional construction of the old mutable Result).
- `EngineOptions`: every option any engine takes, in one typed object. An engine names the options it
  supports and `EngineOptions.refuse_unsupported` turns a set option it would ignore into an error,
  so an engine can never silently ignore what the user asked for.
- `Progress`: the one progress interface: engines send `ProgressUpdate`s, the caller renders them.
"""
from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Protocol, assert_never

from .source import Span

if TYPE_CHECKING:
    from . import ir
    from .model_errors import ModelError
    from .semantics import StepError
    from .trace import Trace


class Status(enum.StrEnum):
    HOLDS = "holds"  # proved, or every reachable state explored
    VIOLATED = "violated"  # a replayed counterexample
    BOUNDED = "bounded"  # no violation up to `Result.bound` (depth completed); not a proof
    SAMPLED = "sampled"  # random runs found nothing; not a proof
    UNKNOWN = "unknown"  # could not decide; `Result.reason` says why

    @property
    def exit_code(self) -> int:
        return {Status.HOLDS: 0, Status.VIOLATED: 1, Status.BOUNDED: 0, Status.SAMPLED: 0, Status.UNKNOWN: 3}[self]


class ViolationKind(enum.StrEnum):
    INVARIANT = "invariant"  # the last state breaks the named invariant
    LEMMA = "lemma"  # the last state breaks the named lemma
    ASSERT = "assert"  # the failing step raises a failed assert (XM507)
    MODEL_ERROR = "model-error"  # the failing step raises a model error (XM501-XM508)
    DEADLOCK = "deadlock"  # no action is enabled in the last state (XM510)
    TEMPORAL = "temporal"  # a lasso (Trace.loop) on which a temporal property instance fails under fairness (XM245)


@dataclass(frozen=True)
class Violation:
    kind: ViolationKind  # a string is coerced
    name: str  # the property's name, the error code, or "deadlock"
    message: str
    span: Span | None = None
    failing: tuple[str, tuple[Any, ...], tuple[Any, ...]] | None = None  # (action, args, picks) of the erroring step
    code: str = "XM509"
    instance: tuple[Any, ...] = ()  # TEMPORAL: the values of the temporal's outer forall params

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ViolationKind(self.kind))

    @staticmethod
    def deadlock(no_initial_state: bool = False) -> Violation:
        message = "the model has no initial state" if no_initial_state else "no action is enabled"
        return Violation(ViolationKind.DEADLOCK, "deadlock", message, None, code="XM510")

    @staticmethod
    def of_error(err: StepError) -> Violation:
        """The step `err` (from the reference semantics or an engine's own) raises a model error or fails an assert."""
        e = err.error
        kind = ViolationKind.ASSERT if e.code == "XM507" else ViolationKind.MODEL_ERROR
        return Violation(kind, e.code, e.message, e.span, failing=(err.action, err.args, err.picks), code=e.code)

    @staticmethod
    def of_temporal(t: ir.Temporal, instance: tuple[Any, ...], message: str) -> Violation:
        """The lasso of the trace violates the instance `instance` of the temporal property `t` under fairness."""
        return Violation(ViolationKind.TEMPORAL, t.name, message, t.span, code="XM245", instance=tuple(instance))

    @staticmethod
    def of_property(prop: ir.Property, error: ModelError | None) -> Violation:
        """The property `prop` fails in the last state, or evaluating it raised `error`."""
        kind = ViolationKind(prop.kind)
        if error is not None:
            return Violation(kind, prop.name, f"evaluating it raised {error.code}: {error.message}",
                             error.span or prop.span)
        doc = first_sentence(prop.doc)
        return Violation(kind, prop.name, f"does not hold ({doc})" if doc else "does not hold", prop.span)


def first_sentence(doc: str) -> str:
    """The doc comment's first sentence, which may run over several lines."""
    words: list[str] = []
    for line in doc.splitlines():
        if not line.strip():
            break
        words.append(line.strip())
        if line.rstrip().endswith("."):
            break
    return " ".join(words)


# the message that opens an engine's note naming the temporal properties it did not check; a "holds"
# carrying it says so in its headline, so no one reads it as covering them
TEMPORALS_UNCHECKED = "temporal properties not checked"


def temporals_unchecked(model: ir.Model, why: str) -> tuple[str, ...]:
    """The note of an engine that checks no temporal property (why: what it does instead), or nothing
    when the model has none; every such engine words it alike."""
    if not model.temporals:
        return ()
    return (f"{TEMPORALS_UNCHECKED}: {', '.join(t.name for t in model.temporals)} ({why}; `xenmodel check` "
            "checks them)",)


@dataclass(frozen=True)
class Result:
    status: Status  # a string is coerced
    engine: str
    model: str  # the model's path
    instance: str | None
    consts: Mapping[str, Any]
    trace: Trace | None = None
    stats: Mapping[str, Any] = field(default_factory=dict)
    seed: int | None = None
    bound: int | None = None  # BOUNDED: no violation up to this depth
    reason: str | None = None  # UNKNOWN and SAMPLED: why, or what was sampled
    messages: tuple[str, ...] = ()  # a list is coerced

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status(self.status))
        object.__setattr__(self, "messages", tuple(self.messages))

    @property
    def exit_code(self) -> int:
        return self.status.exit_code

    def headline(self) -> str:
        """The one-line verdict the reports print first."""
        match self.status:
            case Status.HOLDS:
                if any(m.startswith(TEMPORALS_UNCHECKED) for m in self.messages):  # induction: safety only
                    return ("holds: every invariant, lemma and assert holds in every reachable state "
                            f"({TEMPORALS_UNCHECKED})")
                return "holds: every property holds in every reachable state"
            case Status.BOUNDED:
                return f"bounded: no violation up to depth {self.bound}"
            case Status.SAMPLED:
                return f"sampled: {self.reason}"
            case Status.UNKNOWN:
                return f"unknown: {self.reason or 'the engine could not decide'}"
            case Status.VIOLATED:
                v = self.trace.violation if self.trace is not None else None
                if v is None:
                    return "violated"
                what = v.kind if v.kind == v.name else f"{v.kind} {v.name}"
                return f"violated: {what}: {v.message}"
            case _:
                assert_never(self.status)

    # -- one constructor per outcome
    @classmethod
    def holds(cls, model: ir.Model, engine: str, stats: Mapping[str, Any] | None = None,
              messages: tuple[str, ...] = ()) -> Result:
        return cls(Status.HOLDS, engine, model.path, model.instance, dict(model.consts), None,
                   dict(stats or {}), messages=messages)

    @classmethod
    def violated(cls, model: ir.Model, engine: str, trace: Trace, stats: Mapping[str, Any] | None = None,
                 seed: int | None = None, messages: tuple[str, ...] = ()) -> Result:
        if trace.violation is None:
            raise ValueError("a violated result needs a trace that ends in a violation")
        return cls(Status.VIOLATED, engine, model.path, model.instance, dict(model.consts), trace,
                   dict(stats or {}), seed=seed, messages=messages)

    @classmethod
    def bounded(cls, model: ir.Model, engine: str, depth: int, stats: Mapping[str, Any] | None = None,
                reason: str | None = None, messages: tuple[str, ...] = ()) -> Result:
        return cls(Status.BOUNDED, engine, model.path, model.instance, dict(model.consts), None,
                   dict(stats or {}), bound=depth, reason=reason, messages=messages)

    @classmethod
    def sampled(cls, model: ir.Model, engine: str, what: str, seed: int, stats: Mapping[str, Any] | None = None,
                messages: tuple[str, ...] = ()) -> Result:
        return cls(Status.SAMPLED, engine, model.path, model.instance, dict(model.consts), None,
                   dict(stats or {}), seed=seed, reason=what, messages=messages)

    @classmethod
    def unknown(cls, model: ir.Model, engine: str, reason: str, stats: Mapping[str, Any] | None = None,
                seed: int | None = None, bound: int | None = None, messages: tuple[str, ...] = ()) -> Result:
        return cls(Status.UNKNOWN, engine, model.path, model.instance, dict(model.consts), None,
                   dict(stats or {}), seed=seed, bound=bound, reason=reason, messages=messages)


    @classmethod
    def of_search(cls, model: ir.Model, engine: str, status: Status, stats: Mapping[str, Any],
                  messages: tuple[str, ...], trace: Trace | None = None, bound: int | None = None,
                  reason: str | None = None) -> Result:
        """An exhaustive search's outcome (holds, violated, bounded or unknown) from the parts it kept."""
        match status:
            case Status.HOLDS:
                return cls.holds(model, engine, stats, messages=messages)
            case Status.VIOLATED:
                assert trace is not None
                return cls.violated(model, engine, trace, stats, messages=messages)
            case Status.BOUNDED:
                assert bound is not None
                return cls.bounded(model, engine, bound, stats, messages=messages)
            case Status.UNKNOWN:
                assert reason is not None
                return cls.unknown(model, engine, reason, stats, messages=messages)
            case _:
                raise AssertionError(f"{engine}: no {status} result")

@dataclass(frozen=True)
class ProgressUpdate:
    """One progress report: the engine, its phase, and whatever counters it has (None when it has none)."""
    engine: str
    phase: str  # e.g. "compile", "search", "depth 7", "consecution send/one_runs"
    seconds: float
    depth: int | None = None
    states: int | None = None
    queue: int | None = None
    transitions: int | None = None
    done: int | None = None  # queries, runs or test cases finished
    total: int | None = None  # ... of this many, when known
    message: str | None = None


class Progress(Protocol):
    def __call__(self, update: ProgressUpdate) -> None: ...


class OptionError(ValueError):
    """An option the chosen engine does not support was set."""


@dataclass(frozen=True)
class EngineOptions:
    """Every engine option, with None meaning "the engine's default"."""
    timeout: float | None = None  # seconds for the whole run
    deadlock: bool | None = None
    max_depth: int | None = None
    max_states: int | None = None
    symmetry: bool | None = None
    por: bool | None = None  # explicit: partial-order reduction (default on where sound)
    seed: int | None = None
    runs: int | None = None
    steps: int | None = None
    max_examples: int | None = None
    shrink: str | None = None
    k: int | None = None
    workers: int | None = None  # prove: worker processes; explicit: partitions of the search (processes or actors)
    cluster: str | None = None  # explicit: "ray" (a local Ray) or "ray://HOST:PORT" (a Ray cluster)
    cache_dir: str | None = None  # prove: the directory of proved obligations (None: no cache)
    coverage: bool | None = None  # explicit: branch coverage and times enabled (a pass after the search)
    explore: str | None = None  # simulate, test: "uniform" or "guided" (xenmodel.explore)
    ignore_weights: bool | None = None  # simulate, test: random runs as if no action had a @weight
    progress: Progress | None = field(default=None, compare=False)

    def refuse_unsupported(self, engine: str, supported: frozenset[str]) -> None:
        """Raise OptionError naming every option that is set but that `engine` does not support."""
        ignored = [f.name for f in fields(self)
                   if f.name != "progress" and f.name not in supported and getattr(self, f.name) is not None]
        if ignored:
            names = ", ".join("--" + n.replace("_", "-") for n in ignored)
            raise OptionError(f"the {engine} engine does not support {names}")

    @classmethod
    def of(cls, opts: EngineOptions | Mapping[str, Any] | None) -> EngineOptions:
        """`opts` as EngineOptions: None is every default, a mapping names options by their field
        names (an unknown name is an OptionError, never silently dropped)."""
        if opts is None:
            return cls()
        if isinstance(opts, EngineOptions):
            return opts
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(opts) - known)
        if unknown:
            raise OptionError(f"unknown engine option(s): {', '.join(unknown)} "
                              f"(known: {', '.join(sorted(known))})")
        return cls(**opts)

    def get(self, name: str, default: Any) -> Any:
        """The option's value, or the engine's default when it is not set."""
        value = getattr(self, name)
        return default if value is None else value
