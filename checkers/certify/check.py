"""Re-checking certificates: read the manifest, verify every file's sha256, run each solver asked for in a
fresh worker process (checkers/certify/solve.py), and compare every answer with the expected status.

Outcome per obligation: "agree" (every solver asked gave the expected status), "disagree" (some solver
gave the other definite answer: the certificate does not prove the claim, or the solvers contradict
each other), "unknown" (a timeout, a solver error, a solver process that died), "not checked" (the
writer could not encode it). A manifest that is not a certificate manifest, or a file whose sha256
differs from the manifest's, is a CertifyError: nothing is checked.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .writer import FORMAT, MANIFEST

SOLVERS = ("z3", "cvc5")


class CertifyError(Exception):
    """The certificate directory cannot be checked (missing or corrupt manifest, tampered file)."""


@dataclass
class Row:
    id: str
    kind: str
    expected: str
    file: str | None
    prover: str | None
    not_certifiable: str | None
    answers: dict[str, tuple[str, float, str]] = field(default_factory=dict)  # solver -> (status, s, reason)

    @property
    def outcome(self) -> str:
        if self.not_certifiable is not None:
            return "not checked"
        got = [a[0] for a in self.answers.values()]
        if any(g in ("sat", "unsat") and g != self.expected for g in got):
            return "disagree"
        if got and all(g == self.expected for g in got):
            return "agree"
        return "unknown"


@dataclass
class Report:
    manifest: dict[str, Any]
    solvers: tuple[str, ...]
    rows: list[Row]
    seconds: dict[str, float]  # per solver: the wall time of its worker

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in ("agree", "disagree", "unknown", "not checked")}
        for r in self.rows:
            out[r.outcome] += 1
        return out

    @property
    def exit_code(self) -> int:
        c = self.counts()
        return 1 if c["disagree"] else 3 if c["unknown"] or c["not checked"] else 0


def _text(entry: dict[str, Any], key: str, optional: bool = False) -> str | None:
    v = entry.get(key)
    if v is None and optional:
        return None
    if not isinstance(v, str):
        raise CertifyError(f"corrupt manifest: obligation field {key!r} is {v!r}, not a string")
    return v


def load_manifest(directory: str | os.PathLike[str]) -> tuple[dict[str, Any], list[Row]]:
    d = Path(directory)
    path = d / MANIFEST
    if not d.is_dir():
        raise CertifyError(f"{d}: not a directory")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CertifyError(f"{path}: no manifest (write certificates with `xenmodel prove --certify {d}`)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise CertifyError(f"{path}: corrupt manifest: {err}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("obligations"), list):
        raise CertifyError(f"{path}: corrupt manifest: not a {FORMAT} manifest")
    rows = []
    for e in data["obligations"]:
        if not isinstance(e, dict):
            raise CertifyError(f"{path}: corrupt manifest: an obligation is not an object")
        row = Row(str(_text(e, "id")), str(_text(e, "kind")), str(_text(e, "expected")), _text(e, "file", True),
                  _text(e, "prover", True), _text(e, "not_certifiable", True))
        if row.expected not in ("sat", "unsat"):
            raise CertifyError(f"{path}: corrupt manifest: {row.id} expects {row.expected!r}")
        if row.not_certifiable is None:
            if row.file is None or Path(row.file).name != row.file:
                raise CertifyError(f"{path}: corrupt manifest: {row.id} names no file in the directory")
            sha = _text(e, "sha256")
            try:
                got = hashlib.sha256((d / row.file).read_bytes()).hexdigest()
            except OSError as err:
                raise CertifyError(f"{d / row.file}: cannot be read ({err.strerror})") from None
            if got != sha:
                raise CertifyError(f"{d / row.file}: the file was changed after it was written (sha256 {got[:12]}... "
                                   f"is not the manifest's {str(sha)[:12]}...)")
        rows.append(row)
    return data, rows


def available(solver: str) -> bool:
    """Is the solver's Python package installed? (z3 is a dependency; cvc5 the optional extra.)"""
    try:
        if solver == "cvc5":
            import cvc5  # noqa: F401
        else:
            import z3  # noqa: F401
    except ImportError:
        return False
    return True


def _run_worker(solver: str, files: list[Path], timeout: float, rows: dict[str, Row]) -> float:
    """Run one solver's worker over the files, recording its answers in rows; returns its wall time."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])  # the directory holding `checkers`
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:  # a file, not a pipe: a chatty solver cannot block on it
        p = subprocess.Popen([sys.executable, "-m", "checkers.certify.solve", solver, str(timeout)], env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True)
        assert p.stdin is not None and p.stdout is not None
        p.stdin.write("".join(f"{f}\n" for f in files))
        p.stdin.close()
        for line in p.stdout:
            try:
                out = json.loads(line)
                row = rows[out["file"]]
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
            row.answers[solver] = (str(out["status"]), float(out["seconds"]), str(out.get("reason", "")))
        p.wait()
        seconds = time.perf_counter() - t0
        err.seek(0)
        last = err.read().strip().splitlines()
    why = last[-1] if last else f"exit code {p.returncode}"
    for row in rows.values():  # a worker that died leaves its remaining files unanswered
        if solver not in row.answers:
            row.answers[solver] = ("error", 0.0, f"the {solver} process ended: {why}"[:300])
    return round(seconds, 3)


def check(directory: str | os.PathLike[str], solvers: tuple[str, ...] = SOLVERS, timeout: float = 60.0) -> Report:
    """Check every certificate of the directory with each solver (their workers run side by side)."""
    manifest, rows = load_manifest(directory)
    d = Path(directory)
    todo = [r for r in rows if r.not_certifiable is None]
    files = [d / str(r.file) for r in todo]
    by_file = {str(f): r for f, r in zip(files, todo, strict=True)}
    seconds: dict[str, float] = {}

    def work(solver: str) -> None:
        seconds[solver] = _run_worker(solver, files, timeout, by_file)

    threads = [threading.Thread(target=work, args=(s,)) for s in solvers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Report(manifest, solvers, rows, {s: seconds[s] for s in solvers})
