"""Proof certificates: the time to write them (`prove --certify`, the proof itself apart) and to re-check
them with z3 and with cvc5 (`xenmodel certify`, each solver in its own fresh process, one after the other).

    python bench/bench_certify.py [s1] [domain] [sched] [xen]      (default: s1 domain sched)

`xen` (spec/xen.xm with proofs/xen.xm at small) writes about 12,800 files (several GB): only the
writing is timed, and a sample of every 50th obligation is checked (its time, times 50, estimates the rest).
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checkers.certify import writer  # noqa: E402
from checkers.certify.check import available, check  # noqa: E402
from checkers.smt.induction import prove  # noqa: E402
from xenmodel.frontend import load_model  # noqa: E402
from xenmodel.result import EngineOptions  # noqa: E402

CASES = {
    "s1": ("bench/models/s1.xm", "bench/models/s1_lemmas.xm", None),
    "domain": ("spec/domain.xm", "proofs/domain.xm", "small"),
    "sched": ("spec/sched.xm", "proofs/sched.xm", "small"),
    "xen": ("spec/xen.xm", "proofs/xen.xm", "small"),
}


def bench(name: str) -> None:
    spec, lemmas, instance = CASES[name]
    model = load_model(str(ROOT / spec), instance, {}, extra=(str(ROOT / lemmas),)).model
    d = Path(tempfile.mkdtemp(prefix=f"certs-{name}-"))
    try:
        verdicts = writer.Verdicts()
        t0 = time.perf_counter()
        res = prove(model, EngineOptions(progress=verdicts))
        t_prove = time.perf_counter() - t0
        manifest = writer.write(model, d, verdicts.by_query, res.status)
        obs = manifest["obligations"]
        size = sum(f.stat().st_size for f in d.iterdir())
        line = (f"{name}: {len(obs)} obligations, {sum(1 for o in obs if o['not_certifiable'])} not certifiable, "
                f"{size / 1e6:.1f} MB; prove {t_prove:.1f} s ({res.status}), write {manifest['write_seconds']:.1f} s")
        if name == "xen":  # check a sample: every 50th obligation, kept in a manifest of its own
            keep = obs[::50]
            manifest["obligations"] = keep
            (d / writer.MANIFEST).write_text(json.dumps(manifest))
            line += f"; checked a sample of {len(keep)}"
        for solver in ("z3", "cvc5"):
            if not available(solver):
                line += f"; {solver} not installed"
                continue
            report = check(d, (solver,), timeout=600)
            line += f"; {solver} {report.seconds[solver]:.1f} s {report.counts()}"
        print(line, flush=True)
    finally:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    for case in sys.argv[1:] or ["s1", "domain", "sched"]:
        bench(case)
