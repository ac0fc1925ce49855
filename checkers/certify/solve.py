"""The worker `xenmodel certify` runs in a fresh process per solver:

    python -m checkers.certify.solve z3|cvc5 TIMEOUT_SECONDS < paths

It reads one SMT-LIB file path per line from stdin and prints one JSON line per file:
{"file", "status" (sat, unsat, unknown or error), "seconds", "reason"}. Each file gets a solver of its
own (a fresh z3 context, a fresh cvc5 term manager), so nothing carries over from one file to the next,
nor from the prover's process.
"""
from __future__ import annotations

import json
import sys
import time
from typing import Any


def z3_check(path: str, timeout: float) -> tuple[str, str]:
    import z3
    ctx = z3.Context()
    # Equivalence-preserving simplifications, then z3's SMT core. lia2card turns the small bounded Ints
    # (sort, enum and range values) into pseudo-Boolean constraints: ten times faster on these files.
    pipeline = ("simplify", "propagate-values", "solve-eqs", "lia2card", "smt")
    s = z3.Then(*pipeline, ctx=ctx).solver()
    s.set("timeout", max(1, int(timeout * 1000)))
    s.from_file(path)
    r = s.check()
    return str(r), (s.reason_unknown() if r == z3.unknown else "")


def cvc5_check(path: str, timeout: float) -> tuple[str, str]:
    import cvc5
    tm = cvc5.TermManager()
    s = cvc5.Solver(tm)
    s.setOption("tlimit-per", str(max(1, int(timeout * 1000))))
    sm = cvc5.SymbolManager(tm)
    parser = cvc5.InputParser(s, sm)
    parser.setFileInput(cvc5.InputLanguage.SMT_LIB_2_6, path)
    answers: list[str] = []
    while True:
        cmd = parser.nextCommand()
        if cmd.isNull():
            break
        if cmd.getCommandName() == "set-info" and ":status" in cmd.toString():
            continue  # cvc5 turns an answer other than the declared status into an error: we want the answer
        out = cmd.invoke(s, sm)
        if out and out.strip():
            answers.append(out.strip())
    if not answers:
        return "error", "no answer to (check-sat)"
    last = answers[-1]
    if last in ("sat", "unsat"):
        return last, ""
    if last == "unknown":
        why = s.getInfo("reason-unknown")
        return "unknown", why.decode() if isinstance(why, bytes) else str(why)
    return "error", last[:200]


CHECKERS = {"z3": z3_check, "cvc5": cvc5_check}


def main(argv: list[str]) -> int:
    solver, timeout = argv[0], float(argv[1])
    check = CHECKERS[solver]
    for line in sys.stdin:
        path = line.rstrip("\n")
        if not path:
            continue
        t0 = time.perf_counter()
        out: dict[str, Any] = {"file": path}
        try:
            out["status"], out["reason"] = check(path, timeout)
        except Exception as err:  # a solver's parse or run error is this file's answer, not the worker's end
            out["status"], out["reason"] = "error", f"{type(err).__name__}: {err}"[:300]
        out["seconds"] = round(time.perf_counter() - t0, 4)
        print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
