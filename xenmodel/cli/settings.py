"""Where a command's settings come from: its flags, then `[tool.xenmodel]` in pyproject.toml, then defaults.

- `run_options`: the options every engine command shares (--inv, --skip, --require-complete, --quiet,
  --config).
- `configured(file)`: the command's parameters with the project configuration applied to every one the
  user did not give on the command line (flags win); where each came from is kept for `xenmodel config`.
- `selected(model, params)`: the model with only the chosen properties (xenmodel.selection), remembered
  for `finish`, which names what was checked and skipped.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from xenmodel import ir
from xenmodel.config import Config, find_pyproject, read
from xenmodel.selection import select

F = TypeVar("F", bound=Callable[..., Any])

# the config keys whose parameter is not named like the key
PARAM_OF = {"const": "consts"}


def _remember(key: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        ctx.meta[key] = value
        return value
    return callback


def config_option(f: F) -> F:
    """--config FILE: the pyproject.toml to read instead of the nearest one."""
    return click.option("--config", "config_file", default=None, type=click.Path(dir_okay=False, exists=True),
                        expose_value=False, callback=_remember("xenmodel.config"),
                        help="Read [tool.xenmodel] from this file (default: the nearest pyproject.toml at or "
                             "above the model's directory, not above a directory holding .git).")(f)


def run_options(f: F) -> F:
    """--inv, --skip, --require-complete, --quiet and --config: the options every engine command shares."""
    f = config_option(f)  # the last applied is listed first: --inv, --skip, --require-complete, --quiet, --config
    f = click.option("--quiet", "-q", is_flag=True, default=False,
                     help="No progress and no warnings on stderr.")(f)
    f = click.option("--require-complete", is_flag=True, default=False,
                     help="Exit 3 when the result is bounded or sampled (not a proof), for CI.")(f)
    f = click.option("--skip", multiple=True, metavar="NAME",
                     help="Do not check the invariants and lemmas matching NAME (a glob; repeatable; wins over "
                          "--inv).")(f)
    return click.option("--inv", multiple=True, metavar="NAME",
                        help="Check only the invariants and lemmas matching NAME (an fnmatch glob; repeatable). "
                             "Asserts, model errors and deadlock are checked all the same.")(f)


def project_config(file: str | None) -> Config:
    """The [tool.xenmodel] table that applies to `file` (or to the working directory), read once per command."""
    ctx = click.get_current_context()
    if "xenmodel.project" not in ctx.meta:
        given = ctx.meta.get("xenmodel.config")
        if given is not None:
            ctx.meta["xenmodel.project"] = read(Path(given), given)
        else:
            start = Path(file).parent if file is not None and Path(file).parent.is_dir() else Path.cwd()
            found = find_pyproject(start)
            ctx.meta["xenmodel.project"] = read(found, _shown(found)) if found is not None else Config(None)
    config: Config = ctx.meta["xenmodel.project"]
    return config


def _shown(path: Path) -> str:
    """The path relative to the working directory where it is below it (never a directory the user did not type)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def configured(file: str | None) -> dict[str, Any]:
    """The current command's parameters, with the project configuration filling every one not given on
    the command line; the source of each ("command line", "FILE:LINE", "default") goes in ctx.meta."""
    ctx = click.get_current_context()
    config = project_config(file)
    params = dict(ctx.params)
    sources: dict[str, str] = {}
    for name in params:
        src = ctx.get_parameter_source(name)
        sources[name] = "command line" if src in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT) \
            else "default"
    for key, value in config.values.items():
        name = PARAM_OF.get(key, key.replace("-", "_"))
        if name in params and sources[name] == "default":
            params[name] = value
            sources[name] = config.where(key)
    ctx.meta["xenmodel.sources"] = sources
    ctx.meta["xenmodel.quiet"] = bool(params.get("quiet"))
    ctx.meta["xenmodel.require_complete"] = bool(params.get("require_complete"))
    return params


def selected(model: ir.Model, params: dict[str, Any], keep_lemmas: bool = False) -> ir.Model:
    """The model with only the properties --inv/--skip choose (every one when neither is given)."""
    sel = select(model, tuple(params.get("inv") or ()), tuple(params.get("skip") or ()), keep_lemmas)
    click.get_current_context().meta["xenmodel.selection"] = sel
    return sel.model
