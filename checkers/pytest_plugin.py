"""pytest plugin: command-line options and a marker for model tests (checkers.testing.model_test).

Registered through the `pytest11` entry point of the xenmodel package, so it is active wherever
xenmodel is installed. It adds:

  --xenmodel-max-examples N   Hypothesis test cases per model test
  --xenmodel-steps N          steps per test case (stateful_step_count)
  --xenmodel-seed S           seed (default: 0 for model_test, so runs repeat)
  --xenmodel-instance NAME    instance to bind (default: the test's own, else the model's default)
  --xenmodel-deadlock         fail runs that reach a deadlocked state
  --xenmodel-derandomize      Hypothesis derandomize (for CI)

and the marker `@pytest.mark.xenmodel(instance=..., max_examples=..., steps=..., deadlock=...)`,
which wins over the options for the test it marks.
"""
from __future__ import annotations

from typing import Any


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("xenmodel", "xenmodel model tests (checkers.testing.model_test)")
    group.addoption("--xenmodel-max-examples", dest="xenmodel_max_examples", type=int, default=None,
                    help="Hypothesis test cases per model test (default 100)")
    group.addoption("--xenmodel-steps", dest="xenmodel_steps", type=int, default=None,
                    help="steps per test case (default 50)")
    group.addoption("--xenmodel-seed", dest="xenmodel_seed", type=int, default=None,
                    help="seed of the model tests (default 0)")
    group.addoption("--xenmodel-instance", dest="xenmodel_instance", default=None,
                    help="instance to bind in every model test")
    group.addoption("--xenmodel-deadlock", dest="xenmodel_deadlock", action="store_true", default=None,
                    help="fail a run that reaches a state with no enabled action")
    group.addoption("--xenmodel-derandomize", dest="xenmodel_derandomize", action="store_true", default=None,
                    help="derandomize Hypothesis (the same test cases every run; for CI)")


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers", "xenmodel(instance=None, max_examples=None, steps=None, deadlock=None, derandomize=None): "
                   "settings of a checkers.testing.model_test test")
