"""`xenmodel parse` and `xenmodel explain`: the model itself, no engine."""
from __future__ import annotations

import json

import click

from .common import cli, format_option, instance_options, load
from .settings import config_option, configured


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@instance_options
@config_option
@format_option
def parse(file: str, instance: str | None, consts: tuple[str, ...], fmt: str) -> None:
    """Parse and type-check FILE (with its includes); print errors or a one-line summary."""
    p = configured(file)  # the instance and constants may come from [tool.xenmodel]
    model = load(file, p["instance"], p["consts"], fmt).model
    summary = {"status": "ok", "model": model.name, "file": file, "instance": model.instance,
               "vars": len(model.vars), "actions": len(model.actions),
               "invariants": len(model.invariants), "lemmas": len(model.lemmas)}
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo(f"ok: model {model.name}: {len(model.vars)} variable(s), {len(model.actions)} action(s), "
                   f"{len(model.invariants)} invariant(s), {len(model.lemmas)} lemma(s)"
                   + (f" [instance {model.instance}]" if model.instance else ""))


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@instance_options
@config_option
@format_option
def explain(file: str, instance: str | None, consts: tuple[str, ...], fmt: str) -> None:
    """Describe FILE: constants, sorts, variables, actions with their Xen references, properties."""
    from xenmodel.reports.explain import explain_json, explain_text
    p = configured(file)
    bound = load(file, p["instance"], p["consts"], fmt)
    if fmt == "json":
        click.echo(json.dumps(explain_json(bound.model, bound.loaded), indent=2))
    else:
        click.echo(explain_text(bound.model, bound.loaded))
