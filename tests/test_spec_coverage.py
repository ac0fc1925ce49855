"""Issue 21: every action and every branch of every spec file is reached by some instance that the
tests check exhaustively, or is explained (docs/model.md, "Coverage: branches no instance takes").

A branch is named by its file, its kind (require, if, assert, choose, result), its arm, and the text of
its source line (not its line number, so that edits elsewhere in a file do not move it). Each run below
is an exhaustive explicit search followed by the saturating coverage pass
(checkers.explicit.coverage.arms_taken); the union over the runs that load a file must take every arm
of that file's branch points, except:

- EXPLAINED: arms no instance can take in the file alone (dead in the model as it stands, or reachable
  only through a hook that spec/xen.xm wires), each with its reason; the same rows are the table in
  docs/model.md, which a test compares;
- GAPS: arms that an instance could take but none of the runs here does yet (left for later, each with
  the instance that would take it); a test checks that each is still untaken, so the list only shrinks.

The files checked to 100% in the default suite are FAST_FILES; the others are not there yet (docs/model.md,
"Coverage", gives the state of each).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from checkers.explicit.coverage import arms_taken
from xenmodel.coverage import Point
from xenmodel.frontend import load_model

ROOT = Path(__file__).resolve().parent.parent
Key = tuple[str, str, str, str]  # (file, kind, arm, source line)


@dataclass(frozen=True)
class Run:
    file: str
    instance: str
    slow: bool = False
    also: tuple[str, ...] = ()  # included files whose union this run counts for too (arms only it takes)


RUNS = [
    Run("domain.xm", "small"), Run("domain.xm", "default"), Run("domain.xm", "cover"),
    Run("domain.xm", "cover_quiet"),
    Run("migration.xm", "small"), Run("migration.xm", "default"),
    # evtchn.xm: the explained rows below are checked against these (slow: minutes on a loaded machine)
    Run("evtchn.xm", "small", slow=True), Run("evtchn.xm", "cover_mask", slow=True),
    Run("evtchn.xm", "cover_off", slow=True), Run("evtchn.xm", "cover_admin", slow=True),
    # races: the split send (evtchn_send_lock, evtchn_send_deliver: EVTCHN_RACES), which no other instance enables
    Run("evtchn.xm", "races", slow=True),
    Run("context_switch.xm", "small"),
    # sched.xm: small (the core, two pcpus) and four feature cuts, each at the least credit (about 30 s)
    Run("sched.xm", "small", slow=True), Run("sched.xm", "cover_aff", slow=True),
    Run("sched.xm", "cover_weight", slow=True), Run("sched.xm", "cover_events", slow=True),
    Run("sched.xm", "cover_queue", slow=True), Run("sched.xm", "cover_migrate", slow=True),
    # irq.xm: small (Xen-owned and level lines), domain death, an edge line (about 40 s)
    Run("irq.xm", "small", slow=True), Run("irq.xm", "cover_death", slow=True),
    # (cover_edge: 497 states, also closes evtchn.xm's PIRQ close)
    Run("irq.xm", "cover_edge", also=("evtchn.xm",)),
    # memory.xm: small, races (the split pin), fewer pages allowed than frames, results not recorded,
    # and tlb (two pfns per domain: read-write L1 entries, the TLBs, two vcpus per domain; 46,237 states)
    Run("memory.xm", "small", slow=True), Run("memory.xm", "races", slow=True),
    Run("memory.xm", "cover_e2big", slow=True), Run("memory.xm", "cover_norc", slow=True),
    Run("memory.xm", "tlb", slow=True),
    # grant.xm: small (two handles), races (the split unmap), cover_v2 (grant v2, results recorded),
    # cover_pt (page tables on: a copy into a live page table); 1,261 s at load 16 on the 2-core machine
    Run("grant.xm", "small", slow=True), Run("grant.xm", "races", slow=True),
    Run("grant.xm", "cover_v2", slow=True), Run("grant.xm", "cover_pt", slow=True),
    # and the mapper's TLB (GNT_TLB): tlb (the atomic unmap, a read-only and a writable mapping) takes every new arm
    # (tlb_races, the split unmap, takes no other: its coverage pass is 847 s at load 15-20, so it is not run here)
    Run("grant.xm", "tlb", slow=True),
    # domain_kill waiting for a running vcpu needs a scheduler: 10,760 states
    Run("sched.xm", "cover_life", also=("domain.xm",)),
    # pt64.xm: small alone takes every arm (5,514 states; the coverage pass about 45 s on a loaded machine)
    Run("pt64.xm", "small", slow=True),
    # evtchn_fifo.xm: small (10,590 states) and two one-domain cuts (loopback channels): masking with
    # three ports in a page (the tail link, the FIFO unmask), and two pcpus with the split send
    Run("evtchn_fifo.xm", "small"), Run("evtchn_fifo.xm", "cover_mask"),
    Run("evtchn_fifo.xm", "cover_races"),
]

VALID = ("dead: every port of the model is below `valid_evtchns` (EVTCHN_NPORTS ports, all valid: the "
         "XSA-338 fix keeps port_is_valid off the shrinkable limit), so this -EINVAL is reachable only in "
         "the variant that breaks port_is_valid (evtchn-port-limit-shrinks)")

# (file, kind, arm, source line) -> why no instance of the file takes it
EXPLAINED: dict[Key, str] = {
    ("domain.xm", "if", "else", "if v_paused_for_shutdown[v] {"):
        "dead: domain_shutdown pauses every vcpu of the domain for shutdown and nothing unpauses one "
        "alone, so at domctl_resumedomain every vcpu is paused for shutdown; Xen's domain_resume keeps "
        "the test (the model keeps Xen's shape)",
    ("domain.xm", "if", "then", "if !hook_teardown_done(d, s) {"):
        "a hook: hook_teardown_done is `true` outside spec/xen.xm (no grants, ports or frames to "
        "release); only the composition, which no exhaustive run covers, releases resources step by step",
    ("evtchn.xm", "if", "then", "} else if !evtchn_port_is_valid(rd, rp) {"): VALID,
    ("evtchn.xm", "if", "then", "if !evtchn_port_is_valid(d, p) {"): VALID,
    ("evtchn.xm", "if", "then", "} else if !evtchn_port_is_valid(get(dom), p) {"): VALID,
    ("evtchn.xm", "if", "then", "} else if !evtchn_port_is_valid(d, p) {"): VALID,
    ("evtchn.xm", "if", "else", "if !evtchn_vcpu[v].upcall_pending {"):
        "dead in the 2-level model: a vcpu's upcall-pending flag is set only together with its selector bit "
        "and cleared only together with it, and the proc runs only when the selector bit was clear (Xen's "
        "vcpu_mark_events_pending is also called by the FIFO ABI, which is not modelled)",
    ("sched.xm", "if", "else", "if !vcpu_runnable(v) {"):
        "dead: vcpu_sleep_nosync's callers (a domain pause, an affinity change that marks the vcpu "
        "migrating) make the vcpu not runnable first; Xen's vcpu_sleep_nosync keeps the test for its "
        "other callers (the model keeps Xen's shape)",
    ("sched.xm", "if", "then", "if pri[q[i]] == CSCHED_PRI_TS_BOOST { runq[p] := runq[p] ++ [q[i]] }"):
        "dead: the sort runs only after csched_acct, which sets every active vcpu (every queued one is "
        "runnable) to UNDER or OVER; Xen sorts lazily at the next tick, when a woken vcpu may be BOOST "
        "(the model sorts at once so that sortedness is an invariant)",
    ("context_switch.xm", "if", "else", "if curr_vcpu[q] != cs_current(q) {"):
        "dead: the one caller, ctxsw_flush_remote, runs only when next's state is loaded on q "
        "(curr_vcpu[q] is next) while next is being switched in on another pcpu (so not q's current); "
        "Xen's __sync_local_execstate is also called where no switch was deferred",
    ("memory.xm", "if", "else", "if mm_frame[m].allocated {"):
        "dead: a frame in the P2M always holds its allocation reference (only decrease_reservation and "
        "the relinquish loop drop it, each after removing the frame from the P2M); Xen's "
        "guest_remove_page keeps the test (test_and_clear_bit(_PGC_allocated)) for pages it finds "
        "otherwise (the model keeps Xen's shape)",
    ("memory.xm", "if", "else", "} else if mm_frame[m].type == pgt_l1 {"):
        "memory.xm alone: dead: its callers of put_page_and_type (unpin, a base released, the relinquish "
        "loop, a lost split pin) drop only page-table types; grant.xm's release of a writable grant "
        "mapping drops a writable type through it (grant.xm is not in this test yet)",
    ("evtchn.xm", "if", "then", "} else if caller != d && !evtchn_ctrl_paused(d) {"):
        "a stand-in: `evtchn_ctrl_paused` is `true` outside spec/xen.xm, which overrides it with domain.xm's "
        "controller pause count",
}

# (file, kind, arm, source line) -> the instance that would take it (work left)
GAPS: dict[Key, str] = {}


def key(p: Point, arm: str) -> Key:
    assert p.span is not None and p.span.src is not None
    line = p.span.line_col()[0]
    text = p.span.src.text.splitlines()[line - 1].strip()
    return (os.path.basename(p.span.file), p.kind, arm, text)


@cache
def run(r: Run, saturate: bool = True) -> tuple[dict[str, tuple[str, bool]], dict[Key, bool]]:
    """(action -> (its file, enabled somewhere), arm key -> taken) of one exhaustive run; with `saturate`
    the pass stops running an action once its arms are all taken or explained."""
    model = load_model(str(ROOT / "spec" / r.file), r.instance).model
    known = (lambda p, arm: key(p, arm) in EXPLAINED) if saturate else (lambda p, arm: False)
    result, cov = arms_taken(model, known_dead=known)
    assert result.status.value == "holds", (r, result.headline())
    actions = {a.name: (os.path.basename(a.span.file) if a.span else "",
                        result.stats["coverage"][a.name]["generated"] > 0) for a in model.actions}
    arms: dict[Key, bool] = {}
    for p in cov.points:
        for arm, n in p.arms.items():
            k = key(p, arm)
            arms[k] = arms.get(k, False) or n > 0
    return actions, arms


def union(runs: list[Run], files: set[str]) -> tuple[list[str], list[Key]]:
    """(actions never enabled, arms never taken) of `files` over `runs`."""
    actions: dict[str, bool] = {}
    arms: dict[Key, bool] = {}
    for r in runs:
        acts, got = run(r)
        for name, (f, enabled) in acts.items():
            if f in files:
                actions[name] = actions.get(name, False) or enabled
        for k, taken in got.items():
            if k[0] in files:
                arms[k] = arms.get(k, False) or taken
    return sorted(a for a, e in actions.items() if not e), sorted(k for k, t in arms.items() if not t)


def _check(runs: list[Run], files: set[str]) -> None:
    never, missed = union(runs, files)
    assert never == [], f"actions never enabled: {never}"
    unexplained = [k for k in missed if k not in EXPLAINED and k not in GAPS]
    assert unexplained == [], "arms no run takes and nothing explains:\n" + "\n".join(map(repr, unexplained))
    stale = [k for k in GAPS if k[0] in files and k not in missed]
    assert stale == [], "GAPS entries that a run now takes (remove them):\n" + "\n".join(map(repr, stale))


FAST_FILES = {"domain.xm", "migration.xm", "context_switch.xm", "evtchn_fifo.xm"}
SLOW_FILES = ["sched.xm", "irq.xm", "evtchn.xm", "memory.xm", "grant.xm", "pt64.xm"]


def runs_for(files: set[str]) -> list[Run]:
    return [r for r in RUNS if r.file in files or files & set(r.also)]


def test_fast_files_reach_every_action_and_branch() -> None:
    """The union check in the default suite: the files whose every run is fast."""
    _check(runs_for(FAST_FILES), FAST_FILES)


@pytest.mark.slow
@pytest.mark.parametrize("file", SLOW_FILES)
def test_slow_file_reaches_every_action_and_branch(file: str) -> None:
    """The union check for a file whose runs together take more than ~20 s."""
    _check(runs_for({file}), {file})


@pytest.mark.slow
def test_explained_branches_are_never_taken() -> None:
    """Without the shortcut for explained arms, no run of the file takes one: the explanations hold."""
    taken = [k for r in RUNS for k, t in run(r, saturate=False)[1].items() if t and k in EXPLAINED]
    assert taken == [], f"explained as unreachable, but taken: {taken}"


def test_docs_table_lists_the_explained_branches() -> None:
    doc = (ROOT / "docs" / "model.md").read_text()
    section = doc.split("### Coverage: branches no instance takes")[1].split("\n## ")[0]
    rows = re.findall(r"^\| `([\w.]+)` \| (\w+) (\S+) \| `(.+?)` \| (.+) \|$", section, re.M)
    assert {(f, kind, arm, text.replace("\\|", "|")) for f, kind, arm, text, _ in rows} == set(EXPLAINED)
