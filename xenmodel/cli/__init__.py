"""The `xenmodel` command line: the one package that imports both the language and the engines.

common.py holds the group, the shared options (`instance_options`, `format_option`, `timeout_option`),
model loading (`load`), engine options (`engine_options`), the progress display, the exit
codes and the error handling; each other module adds one command (or the `trace` group). Engines are
imported inside the command functions, so z3 and hypothesis cost nothing to the commands that do not
use them. Results are printed through xenmodel.reports.
"""
from __future__ import annotations

from . import (  # noqa: F401 - each registers its command(s)
    certify,
    check,
    config,
    infer,
    instances,
    model,
    prove,
    simulate,
    test,
    trace,
)
from .common import cli


def main() -> None:
    cli(prog_name="xenmodel")
