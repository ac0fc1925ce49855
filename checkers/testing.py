"""Public API for using models from test suites (Hypothesis stateful tests and conformance tests).

    from checkers.testing import state_machine
    TestSched = state_machine("spec/sched.xm", instance="small").TestCase   # a unittest/pytest test

    from checkers.testing import model_test
    test_sched = model_test("spec/sched.xm")        # a pytest test; @pytest.mark.xenmodel(...) tunes it

Conformance of an implementation: subclass `Adapter` and call `assert_conforms(model, adapter)` (see
checkers/conformance.py and docs/testing.md).

This module is a front door like the CLI: it is the one module of `checkers` that loads model files
(through xenmodel.frontend, imported only when a path is given). Everything else takes an
`xenmodel.ir.Model`.
"""
from __future__ import annotations

import os
from typing import Any

from hypothesis import settings as Settings

from xenmodel import ir

from .conformance import (
    NOT_APPLICABLE,
    Adapter,
    AdapterError,
    ConformanceFailure,
    ConformanceReport,
    assert_conforms,
    check_conformance,
    conformance_machine,
    first_difference,
    from_python,
    to_python,
)
from .hypothesis_machine import ModelFailure, machine_name, make_settings, minimize_trace, run
from .hypothesis_machine import state_machine as _state_machine

__all__ = ["load", "state_machine", "run", "model_test", "ModelFailure", "minimize_trace", "machine_name",
           "make_settings", "Adapter", "NOT_APPLICABLE", "AdapterError", "ConformanceFailure",
           "ConformanceReport", "check_conformance", "assert_conforms", "conformance_machine",
           "to_python", "from_python", "first_difference", "DEFAULTS"]

# What a test gets when nothing else says otherwise (the pytest options and marker override these).
DEFAULTS = {"max_examples": 100, "steps": 50, "deadlock": False, "derandomize": False}


def load(model_or_path: Any, instance: str | None = None, consts: dict[Any, Any] | None = None) -> ir.Model:
    """An ir.Model from a model, a frontend `Bound`, or a path to a .xm file (with instance and consts).
    A bad model raises xenmodel.diagnostics.DiagnosticError with the compiler's messages."""
    if isinstance(model_or_path, ir.Model):
        if instance is not None or consts:
            raise ValueError("instance and consts apply to a path; this model is already bound")
        return model_or_path
    if hasattr(model_or_path, "model") and isinstance(model_or_path.model, ir.Model):
        return model_or_path.model
    if isinstance(model_or_path, (str, os.PathLike)):
        from xenmodel.frontend import load_model  # the front door: only here, only for a path
        return load_model(os.fspath(model_or_path), instance, dict(consts or {})).model
    raise TypeError(f"expected a model, a Bound or a path, not {type(model_or_path).__name__}")


def state_machine(model_or_path: Any, instance: str | None = None, consts: dict[Any, Any] | None = None, *,
                  deadlock: bool = False, max_examples: int | None = None, steps: int | None = None,
                  derandomize: bool | None = None, settings: Settings | None = None) -> Any:
    """The model as a `hypothesis.stateful.RuleBasedStateMachine` subclass.

    Its class name is stable and unique per model, instance and constants (the example database keys
    on it). Its `.TestCase` runs it under the given settings (or max_examples/steps/derandomize on top
    of Hypothesis's defaults, with the deadline off). `run_state_machine_as_test(cls)` works as well.
    """
    model = load(model_or_path, instance, consts)
    if settings is None:
        kw: dict[Any, Any] = {"deadline": None}
        if max_examples is not None:
            kw["max_examples"] = max_examples
        if steps is not None:
            kw["stateful_step_count"] = steps
        if derandomize is not None:
            kw["derandomize"] = derandomize
        settings = Settings(**kw)
    return _state_machine(model, deadlock=deadlock, settings=settings)


def model_test(model_or_path: Any, instance: str | None = None, consts: dict[Any, Any] | None = None, *,
               seed: int | None = None, **options: Any) -> Any:
    """A pytest test function that runs the model's state machine and fails with the shrunk trace.

    Options (max_examples, steps, deadlock, derandomize, instance) come, highest priority first, from
    the `@pytest.mark.xenmodel(...)` marker on the test, the `--xenmodel-*` command-line options (the
    plugin checkers.pytest_plugin), the keywords given here, then DEFAULTS.
    """
    base: dict[str, Any] = dict(DEFAULTS)
    base.update(options)

    def test_model(request: Any) -> None:
        opts = dict(base)
        inst = instance
        cli = _cli_options(request.config)
        opts.update({k: v for k, v in cli.items() if v is not None and k != "instance"})
        inst = cli.get("instance") or inst
        marker = request.node.get_closest_marker("xenmodel")
        if marker is not None:
            opts.update({k: v for k, v in marker.kwargs.items() if k != "instance"})
            inst = marker.kwargs.get("instance", inst)
        model = load(model_or_path, inst, consts) if not isinstance(model_or_path, ir.Model) else model_or_path
        s = seed if seed is not None else cli.get("seed")
        result = run(model, max_examples=opts["max_examples"], steps=opts["steps"],
                     seed=s if s is not None else 0, deadlock=opts["deadlock"], derandomize=opts["derandomize"])
        if result.status == "violated":
            raise ModelFailure.of_result(model, result)
        if result.status == "unknown":
            raise AssertionError(f"the Hypothesis run was inconclusive: {result.reason}")
    name = model_or_path if isinstance(model_or_path, str) else getattr(model_or_path, "name", "model")
    test_model.__doc__ = f"Hypothesis stateful test of {name}"
    return test_model


def _cli_options(config: Any) -> dict[Any, Any]:
    out = {}
    for key in ("max_examples", "steps", "seed", "instance", "deadlock", "derandomize"):
        try:
            out[key] = config.getoption(f"xenmodel_{key}")
        except ValueError:  # the plugin is not installed: no such option
            out[key] = None
    return out
