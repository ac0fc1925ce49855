"""`xenmodel config [FILE]`: the effective settings and where each came from.

It takes the same settings flags as the engine commands, so `xenmodel config spec/xen.xm --max-depth 3`
shows what `check` would run with: each key's value and its source (command line, pyproject.toml:LINE,
or default, with the default described).
"""
from __future__ import annotations

import json
from typing import Any

import click

from xenmodel.config import KEYS
from xenmodel.safetext import escape

from .common import cli, deadlock_option, format_option, instance_options, max_depth_option, timeout_option
from .settings import PARAM_OF, configured, project_config, run_options


@cli.command("config")
@click.argument("file", type=click.Path(dir_okay=False), required=False)
@instance_options
@max_depth_option("The depth bound of check.")
@click.option("--max-states", type=click.IntRange(1), default=None, help="check --engine explicit: a state budget.")
@timeout_option
@deadlock_option
@click.option("--symmetry/--no-symmetry", default=None, help="check --engine explicit: symmetry reduction.")
@click.option("--seed", type=int, default=None, help="simulate and test: the seed.")
@click.option("--steps", type=click.IntRange(1), default=None, help="simulate and test: steps per run.")
@click.option("--runs", type=click.IntRange(1), default=None, help="simulate: the number of runs.")
@click.option("--max-examples", type=click.IntRange(1), default=None, help="test: the number of test cases.")
@click.option("--lemmas", multiple=True, metavar="FILE", help="prove: lemma files.")
@run_options
@format_option
def config(file: str | None, fmt: str, **given: Any) -> None:
    """Show the settings a command would use for FILE (or the working directory) and where each came from:
    the command line, the [tool.xenmodel] table of the nearest pyproject.toml, or the default."""
    p = configured(file)
    sources: dict[str, str] = click.get_current_context().meta["xenmodel.sources"]
    project = project_config(file)
    found = project.path
    rows = []
    for key, (_, _, what, default) in KEYS.items():
        name = PARAM_OF.get(key, key.replace("-", "_"))
        value, source = p.get(name), sources.get(name, "default")
        if source == "default":
            value = None
        rows.append({"key": key, "value": list(value) if isinstance(value, tuple) else value,
                     "source": source, "default": default, "sets": what})
    if fmt == "json":
        click.echo(json.dumps({"config_file": found, "table": project.table, "settings": rows}, indent=2))
        return
    table = " ([tool.xenmodel])" if project.table else " (no [tool.xenmodel] table)"
    click.echo(escape(f"configuration: {found}{table}" if found else "configuration: no pyproject.toml found"))
    width = max(len(key) for key in KEYS)
    for r in rows:
        shown = f"(default: {r['default']})" if r["source"] == "default" else \
            f"{_text(r['value'])}  ({r['source']})"
        click.echo(escape(f"  {str(r['key']).ljust(width)}  {shown}"))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ", ".join(value) if value else "(none)"
    return str(value)
