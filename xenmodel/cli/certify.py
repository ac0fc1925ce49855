"""`xenmodel certify DIR`: re-check the certificates `prove --certify DIR` wrote, with z3 and cvc5.

Exit codes: 0 every obligation got its expected status from every solver asked, 1 some solver gave the
other answer (the certificates do not prove the claim, or the solvers disagree), 2 the directory cannot
be checked (no or corrupt manifest, a file changed since it was written, a solver not installed),
3 some answers are unknown (timeout, solver error) or some obligations were not certifiable.
"""
from __future__ import annotations

import json
import sys

import click

from .common import EXIT_ERROR, cli, format_option

INSTALL_HINT = "pip install 'xenmodel[certify]' (cvc5 is an optional extra), or pass --solver z3"


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--solver", type=click.Choice(["both", "z3", "cvc5"]), default="both", show_default=True,
              help="The solvers that re-check every file (each in a fresh process).")
# not --timeout: that is the whole run on every command; this bound is per file and solver
@click.option("--file-timeout", "timeout", type=click.FloatRange(min=0, min_open=True), default=60.0,
              show_default=True, help="Seconds per file and solver (an answer past it is unknown).")
@format_option
def certify(directory: str, solver: str, timeout: float, fmt: str) -> None:
    """Re-check every proof obligation in DIR (written by `prove --certify DIR`) with z3 and cvc5."""
    from checkers.certify.check import SOLVERS, CertifyError, available, check

    solvers = SOLVERS if solver == "both" else (solver,)
    try:
        missing = [s for s in solvers if not available(s)]
        if missing:
            raise CertifyError(f"{', '.join(missing)} is not installed: {INSTALL_HINT}")
        report = check(directory, solvers, timeout)
    except CertifyError as err:
        if fmt == "json":
            click.echo(json.dumps({"error": str(err)}))
        else:
            click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_ERROR)
    m = report.manifest
    counts = report.counts()
    if fmt == "json":
        click.echo(json.dumps({
            "directory": directory, "model": m.get("model"), "instance": m.get("instance"),
            "consts": m.get("consts"), "solvers": list(solvers), "seconds": report.seconds, "counts": counts,
            "exit_code": report.exit_code,
            "obligations": [{"id": r.id, "kind": r.kind, "expected": r.expected, "prover": r.prover,
                             "outcome": r.outcome, "not_certifiable": r.not_certifiable,
                             "answers": {s: {"status": a[0], "seconds": a[1], "reason": a[2]}
                                         for s, a in r.answers.items()}} for r in report.rows]}, indent=1))
        sys.exit(report.exit_code)
    instance = m.get("instance") or "(declared values)"
    said = m.get("prover_status") or "not run"
    click.echo(f"certificates in {directory}: model {m.get('model')}, instance {instance}, "
               f"{len(report.rows)} obligations (the prover said: {said})")
    width = max([len(r.id) for r in report.rows] + [10])
    click.echo(f"{'obligation':<{width}}  expected  " + "".join(f"{s:<16}" for s in solvers) + "outcome")
    for r in report.rows:
        cells = "".join(f"{_cell(r.answers.get(s)):<16}" for s in solvers)
        line = f"{r.id:<{width}}  {r.expected:<8}  {cells}{r.outcome}"
        if r.not_certifiable:
            line += f" ({r.not_certifiable})"
        reasons = [f"{s}: {a[2]}" for s, a in r.answers.items() if a[0] not in ("sat", "unsat") and a[2]]
        if reasons:
            line += " (" + "; ".join(reasons) + ")"
        click.echo(line)
    click.echo(", ".join(f"{k} {v}" for k, v in counts.items()) + f" of {len(report.rows)}; "
               + ", ".join(f"{s} {report.seconds[s]:.2f} s" for s in solvers))
    sys.exit(report.exit_code)


def _cell(answer: tuple[str, float, str] | None) -> str:
    return "-" if answer is None else f"{answer[0]} {answer[1]:.2f}s"
