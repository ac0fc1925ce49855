"""Regenerate the documentation's trace pictures and trace files from the commands that make them.

    python tools/screenshots.py            # every shot: run its command, render its HTML, screenshot it
    python tools/screenshots.py trace-ctxsw

For each shot: run its command in a scratch directory (tools/docblocks.py's `workspace`) writing the
counterexample as ITF JSON and as HTML, take a headless Chromium screenshot of the HTML (Debian's
`chromium`; .ci/run installs it), copy the files the docs link to, and record in docs/screenshots.json the
command, the files and a digest of the trace's states. tests/test_screenshots.py re-runs each command
(without a browser) and fails when its trace no longer has the recorded digest: then run this script,
look at the new pictures, and commit them with the JSON.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docblocks import ROOT, environment, workspace

RECORD = ROOT / "docs" / "screenshots.json"


@dataclass(frozen=True)
class Shot:
    name: str
    args: tuple[str, ...]          # the xenmodel command, without --trace-out
    exit: int = 1
    png: str | None = None         # where the screenshot goes
    window: tuple[int, int] = (1500, 1000)
    copies: dict[str, str] = field(default_factory=dict)   # suffix of the written trace -> repository path

    @property
    def command(self) -> str:
        return "xenmodel " + " ".join(self.args)


SHOTS = (
    # README.md and docs/traces.md; docs/model.md section 5 (the frame grid): the long trace of the
    # reference semantics, which shows the race build up
    Shot("trace-example", ("simulate", "spec/bugs/mem-type-change-race.xm", "-i", "small", "--runs", "50",
                           "--seed", "1", "--semantics", "reference"), png="docs/trace-example.png",
         window=(1500, 950)),
    # docs/model.md section 3: the pcpu lanes of the lazy context switch
    Shot("trace-ctxsw", ("check", "spec/bugs/ctxsw-no-flush.xm", "-i", "small", "--no-deadlock"),
         png="docs/trace-ctxsw.png"),
    # docs/model.md section 6: the split-brain trace, linked as files
    Shot("migration-split-brain", ("check", "spec/bugs/migration-resume-before-commit.xm", "-i", "small"),
         copies={".html": "docs/traces/migration-split-brain.html",
                 ".itf.json": "docs/traces/migration-split-brain.itf.json"}),
)


def states_digest(itf_text: str) -> tuple[int, str]:
    """The number of states and a digest of their values (the trace, not its metadata)."""
    states = json.loads(itf_text)["states"]
    canonical = json.dumps(states, sort_keys=True, separators=(",", ":"))
    return len(states), hashlib.sha256(canonical.encode()).hexdigest()


def run_shot(shot: Shot, workdir: Path, suffix: str) -> Path:
    """Run the shot's command in `workdir` (already a workspace), writing its trace as NAME + suffix."""
    out = workdir / f"{shot.name}{suffix}"
    argv = [sys.executable, "-m", "xenmodel", *shot.args, "--trace-out", out.name]
    proc = subprocess.run(argv, cwd=workdir, env=environment(), capture_output=True, text=True, timeout=900)
    if proc.returncode != shot.exit or not out.exists():
        raise RuntimeError(f"{shot.command}: exit {proc.returncode} (expected {shot.exit}), "
                           f"{out.name} {'written' if out.exists() else 'not written'}\n{proc.stdout}{proc.stderr}")
    return out


def trace_of(shot: Shot, workdir: Path) -> tuple[int, str]:
    """What the test compares: the shot's trace, made afresh (no browser needed)."""
    workspace(workdir)
    return states_digest(run_shot(shot, workdir, ".itf.json").read_text())


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("no chromium on PATH (Debian: apt-get install chromium)")


def screenshot(html: Path, png: Path, window: tuple[int, int], profile: Path) -> None:
    flags = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", f"--window-size={window[0]},{window[1]}",
             "--virtual-time-budget=3000", f"--screenshot={png}", html.as_uri()]
    proc = subprocess.run(flags, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0 or not png.exists():
        raise RuntimeError(f"chromium failed on {html}:\n{proc.stderr[-2000:]}")


def regenerate(shot: Shot, workdir: Path) -> dict[str, Any]:
    workspace(workdir)
    itf = run_shot(shot, workdir, ".itf.json")
    html = run_shot(shot, workdir, ".html")
    files = []
    if shot.png:
        png = workdir / f"{shot.name}.png"
        screenshot(html, png, shot.window, workdir / "chromium-profile")
        shutil.copy(png, ROOT / shot.png)
        files.append(shot.png)
    for suffix, target in shot.copies.items():
        shutil.copy(workdir / f"{shot.name}{suffix}", ROOT / target)
        files.append(target)
    n, digest = states_digest(itf.read_text())
    return {"command": shot.command, "exit": shot.exit, "files": files, "states": n, "states_sha256": digest}


def load_record() -> dict[str, Any]:
    return json.loads(RECORD.read_text()) if RECORD.exists() else {}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("only", nargs="*", help="shot names; default all: " + ", ".join(s.name for s in SHOTS))
    args = ap.parse_args(argv)
    record = load_record()
    for shot in SHOTS:
        if args.only and shot.name not in args.only:
            continue
        with tempfile.TemporaryDirectory(prefix="xenmodel-shot-") as tmp:
            record[shot.name] = regenerate(shot, Path(tmp))
        print(f"{shot.name}: {record[shot.name]['states']} states; wrote {', '.join(record[shot.name]['files'])}")
    record = {s.name: record[s.name] for s in SHOTS if s.name in record}
    RECORD.write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {RECORD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
