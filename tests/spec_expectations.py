"""What the Xen model (spec/) is expected to do under each engine: the data table of tests/test_spec.py.

Every number here was measured (2-core machine; see tests/test_spec.py for how each is checked). A change
of the model's semantics shows up as a changed state count or trace length: re-measure, and update the
number here together with the doc comment of the spec instance that states it.

Violations are written "kind:name" for a property ("invariant:runq_sorted") and "kind:CODE:substring"
for an assert or a model error ("assert:XM507:load_clean_state"): the error code plus a substring of
the engine's message.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# ---------------------------------------------------------------- subsystem files at `small`
# (states, BFS depth, seconds measured for load + explicit check). Every file holds at `small` with
# deadlock checking ON (the CLI default, and how each spec's instance comment was measured), so each
# is checked deadlock-free: a change that introduces a deadlock shows up here.


@dataclass(frozen=True)
class Subsystem:
    name: str  # spec/<name>.xm
    states: int
    depth: int
    seconds: float
    deadlock: bool = True
    proofs: str | None = None  # proofs/<proofs>.xm


SUBSYSTEMS = [
    Subsystem("domain", 202, 11, 0.4, proofs="domain"),
    Subsystem("sched", 37_236, 44, 1.4, proofs="sched"),
    Subsystem("context_switch", 41_377, 55, 1.3, proofs="ctxsw"),
    Subsystem("evtchn", 8_989, 9, 1.0, proofs="evtchn"),
    Subsystem("irq", 47_224, 14, 5.6, proofs="irq"),
    Subsystem("memory", 2_999, 17, 1.0, proofs="memory"),
    Subsystem("grant", 52_772, 21, 5.5, proofs="grant"),
    Subsystem("migration", 6_208, 22, 0.2, proofs="migration"),
]

# spec/xen.xm at `small`, explicit engine to depth 4 (deadlock on): no violation, this many states
# (about 7 s); the composition is beyond exhaustive search (the spec says so).
XEN_DEPTH4 = 4_091

# ---------------------------------------------------------------- induction with proofs/ at `default`
# subsystem -> (expected status, the engine's reason, the failing (action, property) messages).
# "holds" means every initiation and consecution query is unsat. Anything else is a recorded
# exception: its test is xfail(strict=True) with the engine's reason, and a companion test asserts the
# exact list of failures so that a new one (or a fixed one) shows up.


@dataclass(frozen=True)
class Proof:
    subsystem: str
    instance: str = "default"
    holds: bool = True
    reason: str | None = None  # the engine's `reason` when it does not hold
    failures: tuple[str, ...] = ()  # the engine's "not inductive: ..." messages, in order
    seconds: float = 0.0
    slow: bool = False


_TICK_WAIT = "not inductive: action csched_tick breaks invariant bounded_wait"
PROOFS: list[Proof] = [
    Proof("domain", seconds=1.0),
    # bounded_wait is a liveness bound (a ghost wait counter), documented in proofs/sched.xm and
    # proofs/ctxsw.xm as not expected to be inductive; every safety invariant and assert is.
    Proof("sched", holds=False, reason=_TICK_WAIT, failures=(_TICK_WAIT,), seconds=8.8),
    Proof("context_switch", holds=False, reason=_TICK_WAIT, failures=(_TICK_WAIT,), seconds=13.6, slow=True),
    Proof("evtchn", seconds=38.7, slow=True),
    # proofs/irq.xm restates proofs/evtchn.xm's lemmas, including evtchn_not_own_peer.
    Proof("irq", seconds=11.2, slow=True),
    Proof("migration", seconds=4.5),
    Proof("grant", seconds=66.1, slow=True),
    # Proved at `small` (206 queries, 16 s). At `default` the proof did not finish in 10 minutes (the queries
    # of mm_populate, mm_decrease_reservation, mm_pin and mm_unpin were all unsat, single queries up to
    # 27 s), so only `small` is claimed.
    Proof("memory", instance="small", seconds=16.0, slow=True),
    #MORE
]

# ---------------------------------------------------------------- bug variants at `small`


@dataclass(frozen=True)
class Bug:
    variant: str  # spec/bugs/<variant>.xm
    violation: str  # what the explicit engine reports (the stated property); see the module doc
    length: int  # shortest trace: transitions before the violating state or the failing step
    also: tuple[str, ...] = ()  # other violations the file states it breaks (accepted from BMC/Hypothesis)
    explicit_s: float = 0.0  # measured seconds, load + explicit
    bmc_s: float = 0.0  # measured seconds, load + BMC at depth `length`
    hyp_s: float = 0.0  # measured seconds, load + Hypothesis (HYP_BUDGET)
    hyp_len: int | None = None  # Hypothesis's (minimised) trace length when found
    hyp_missed: str | None = None  # why Hypothesis does not find it within HYP_BUDGET (measured)
    tags: tuple[str, ...] = field(default=())


# The Hypothesis machine's budget for every variant: `xenmodel test` defaults (100 test cases of up to
# 50 steps, seed 0, deadlock off).
HYP_BUDGET = {"max_examples": 100, "steps": 50, "seed": 0, "deadlock": False}

# Default-run thresholds: an engine run on a variant stays in the default selection when its measured
# time is at most this; slower runs are @pytest.mark.slow.
BMC_FAST_S = 5.0
HYP_FAST_S = 6.0

BUGS = [
    Bug('ctxsw-irqs-on-in-switch', 'invariant:irqs_off_in_switch', 2, explicit_s=1.13, bmc_s=3.52, hyp_s=5.65, hyp_len=2),
    Bug('ctxsw-no-flush', 'assert:XM507:load_clean_state', 12, also=('invariant:state_loaded_once',), explicit_s=1.61, bmc_s=106.44, hyp_s=31.39, hyp_missed='measured, seed 0: no violation in 127 Hypothesis test case(s) of up to 50 steps (a sample, not a proof)'),
    Bug('ctxsw-no-ptbase', 'invariant:ptbase_matches', 3, explicit_s=0.53, bmc_s=2.62, hyp_s=14.55, hyp_len=3),
    Bug('ctxsw-running-cleared-early', 'invariant:current_marked_running', 6, explicit_s=0.63, bmc_s=7.58, hyp_s=145.87, hyp_len=8),
    Bug('ctxsw-steal-running', 'assert:XM507:switch_to_idle_vcpu: next is not running elsewhere', 10, explicit_s=0.47, bmc_s=10.67, hyp_s=216.49, hyp_len=10),
    Bug('domain-kill-no-sync', 'invariant:dead_domain_quiescent', 8, explicit_s=0.64, bmc_s=14.49, hyp_s=12.23, hyp_missed='measured, seed 0: no violation in 145 Hypothesis test case(s) of up to 50 steps (a sample, not a proof)'),
    Bug('domain-self-pause', 'assert:XM507:a domain never pauses itself', 0, explicit_s=0.13, bmc_s=0.26, hyp_s=0.4, hyp_len=0),
    Bug('domain-shutdown-reason-overwritten', 'assert:XM507:the first shutdown reason sticks', 4, explicit_s=0.23, bmc_s=1.15, hyp_s=30.76, hyp_len=4),
    Bug('domain-unpause-underflow', 'model-error:XM503:value -1 is outside int[0..1]', 0, explicit_s=0.58, bmc_s=0.25, hyp_s=0.4, hyp_len=0),
    Bug('evtchn-bind-no-remote-check', 'assert:XM507:evtchn_bind_reserved', 1, explicit_s=0.45, bmc_s=1.16, hyp_s=13.03, hyp_len=1),
    Bug('evtchn-block-no-recheck', 'invariant:evtchn_no_lost_wakeup', 3, explicit_s=0.65, bmc_s=5.15, hyp_s=18.71, hyp_len=3),
    Bug('evtchn-close-peer-kept', 'assert:XM507:evtchn_close_peer_unbound', 2, also=('invariant:evtchn_interdomain_symmetric',), explicit_s=0.55, bmc_s=2.11, hyp_s=14.97, hyp_len=2),
    Bug('evtchn-global-virq-any-domain', 'invariant:evtchn_global_virq_owner', 1, explicit_s=0.29, bmc_s=1.82, hyp_s=29.41, hyp_len=1),
    Bug('evtchn-port-limit-shrinks', 'invariant:evtchn_inuse_ports_valid', 3, explicit_s=0.32, bmc_s=8.18, hyp_s=46.02, hyp_len=3),
    Bug('evtchn-reset-race', 'assert:XM507:evtchn_reset_complete', 2, explicit_s=0.29, bmc_s=4.38, hyp_s=7.04, hyp_len=2),
    Bug('evtchn-send-wrong-port', 'assert:XM507:evtchn_send_only_peer', 2, explicit_s=0.33, bmc_s=6.5, hyp_s=19.36, hyp_len=2),
    Bug('evtchn-unmask-no-redeliver', 'invariant:evtchn_pending_reaches_upcall', 4, explicit_s=0.34, bmc_s=11.47, hyp_s=127.6, hyp_len=4),
    Bug('grant-device-pin-flag', 'invariant:gnt_flags_match_pins', 5, explicit_s=0.63, bmc_s=16.48, hyp_s=304.52, hyp_len=6),
    Bug('grant-free-while-mapped', 'invariant:gnt_mapped_frame_live', 4, explicit_s=0.65, bmc_s=8.56, hyp_s=35.78, hyp_len=4),
    Bug('grant-map-no-writable-type', 'invariant:gnt_rw_map_writable', 3, explicit_s=0.72, bmc_s=4.25, hyp_s=55.3),
    Bug('grant-map-readonly-ignored', 'invariant:gnt_pinned_entry_valid', 3, explicit_s=1.09, bmc_s=5.9, hyp_s=44.19, hyp_len=4),
    Bug('grant-revoke-in-use', 'invariant:gnt_pinned_entry_valid', 4, also=('invariant:gnt_in_use_not_revoked',), explicit_s=1.37, bmc_s=13.58, hyp_s=30.99, hyp_len=4, hyp_missed="found, but Hypothesis reports invariant gnt_flags_match_pins (length 4), which the variant's Breaks line does not state (it states gnt_in_use_not_revoked and gnt_pinned_entry_valid)"),
    Bug('grant-transfer-stale-m2p', 'invariant:mm_p2m_m2p_agree', 3, explicit_s=1.63, bmc_s=8.41, hyp_s=32.83, hyp_len=3),
    Bug('grant-unmap-flags-early', 'invariant:gnt_flags_match_pins', 5, explicit_s=1.58, bmc_s=19.07, hyp_s=303.49, hyp_len=6),
    Bug('irq-bind-no-access', 'assert:XM507:irq_bind_needs_access', 0, also=('invariant:irq_bound_has_access',), explicit_s=1.09, bmc_s=1.26, hyp_s=5.05, hyp_len=0),
    Bug('irq-bind-xen-owned', 'invariant:irq_xen_owned_never_bound', 2, explicit_s=1.3, bmc_s=4.45, hyp_s=36.49, hyp_len=2),
    Bug('irq-eoi-first-unmasks', 'invariant:irq_masked_until_eoi', 6, explicit_s=1.27, bmc_s=17.06, hyp_s=20.4, hyp_missed='measured, seed 0: no violation in 107 Hypothesis test case(s) of up to 50 steps (a sample, not a proof)'),
    Bug('irq-share-ignored', 'invariant:irq_exclusive_line', 4, explicit_s=0.76, bmc_s=11.09, hyp_s=22.02, hyp_missed='measured, seed 0: no violation in 103 Hypothesis test case(s) of up to 50 steps (a sample, not a proof)'),
    Bug('mem-fastpath-rw', 'invariant:mm_rw_maps_writable', 4, explicit_s=0.99, bmc_s=39.75, hyp_s=70.01, hyp_len=4),
    Bug('mem-machphys-no-owner', 'invariant:mm_p2m_m2p_agree', 2, explicit_s=0.68, bmc_s=5.27, hyp_s=42.78, hyp_len=2),
    Bug('mem-overallocate', 'invariant:mm_tot_pages_exact', 2, explicit_s=0.55, bmc_s=4.18, hyp_s=1.59, hyp_len=2),
    Bug('mem-refcount-allocated', 'invariant:mm_refcount_sane', 2, explicit_s=0.48, bmc_s=1.75, hyp_s=2.72, hyp_len=2),
    Bug('mem-type-change-race', 'assert:XM507:type changes only while the type count is 0', 2, also=('invariant:mm_rw_maps_writable', 'invariant:mm_tables_typed'), explicit_s=0.54, bmc_s=1.51, hyp_s=14.08, hyp_len=2),
    Bug('mem-xen-slot', 'invariant:mm_xen_slots_intact', 3, explicit_s=0.5, bmc_s=8.55, hyp_s=71.33, hyp_len=3),
    Bug('migration-abort-no-resume', 'invariant:mig_abort_leaves_source_running', 6, explicit_s=0.2, bmc_s=0.85, hyp_s=9.92, hyp_missed='measured, seed 0: no violation in 109 Hypothesis test case(s) of up to 50 steps (a sample, not a proof)'),
    Bug('migration-clear-before-copy', 'invariant:mig_clean_pages_equal', 5, explicit_s=0.2, bmc_s=0.61, hyp_s=43.48, hyp_len=5),
    Bug('migration-final-before-suspend', 'invariant:mig_final_after_suspend', 5, also=('invariant:mig_activation_exact',), explicit_s=0.21, bmc_s=0.4, hyp_s=285.54, hyp_len=5),
    Bug('migration-grant-copy-not-dirty', 'invariant:mig_clean_pages_equal', 3, explicit_s=0.2, bmc_s=0.27, hyp_s=6.85, hyp_missed='measured, seed 0: no violation in 114 Hypothesis test case(s) of up to 50 steps (a sample, not a proof)'),
    Bug('migration-grant-unmap-not-dirty', 'invariant:mig_clean_pages_equal', 5, explicit_s=0.21, bmc_s=0.59, hyp_s=11.83, hyp_missed='measured, seed 0: no violation in 109 Hypothesis test case(s) of up to 50 steps (a sample, not a proof)'),
    Bug('migration-kill-before-commit', 'invariant:mig_destroy_after_commit', 9, explicit_s=0.42, bmc_s=1.42, hyp_s=5.35, hyp_missed='measured, seed 0: no violation in 109 Hypothesis test case(s) of up to 50 steps (a sample, not a proof)'),
    Bug('migration-no-round-limit', 'invariant:mig_precopy_bounded', 8, explicit_s=0.23, bmc_s=0.76, hyp_s=128.82, hyp_len=8),
    Bug('migration-resume-before-commit', 'invariant:mig_one_copy_runs', 11, also=('invariant:mig_clean_pages_equal',), explicit_s=0.27, bmc_s=1.7, hyp_s=13.51, hyp_missed='measured, seed 0: no violation in 109 Hypothesis test case(s) of up to 50 steps (a sample, not a proof)'),
    Bug('migration-write-not-dirty', 'invariant:mig_clean_pages_equal', 3, explicit_s=0.2, bmc_s=0.84, hyp_s=72.23, hyp_len=3),
    Bug('sched-block-no-recheck', 'invariant:no_lost_wakeup', 3, explicit_s=0.83, bmc_s=2.62, hyp_s=11.0, hyp_len=3),
    Bug('sched-boost-every-wake', 'assert:XM507:boost_only_under', 12, explicit_s=0.75, bmc_s=30.05, hyp_s=307.26, hyp_len=16),
    Bug('sched-insert-drops', 'invariant:runnable_is_scheduled', 3, explicit_s=0.62, bmc_s=2.58, hyp_s=3.74, hyp_len=3),
    Bug('sched-insert-unsorted', 'invariant:runq_sorted', 3, explicit_s=0.52, bmc_s=2.14, hyp_s=6.02, hyp_len=3),
    Bug('sched-steal-ignores-affinity', 'invariant:hard_affinity_respected', 8, explicit_s=0.82, bmc_s=30.56, hyp_s=173.34, hyp_len=9),
    Bug('sched-steal-leaves-on-queue', 'invariant:queued_not_current', 8, explicit_s=0.9, bmc_s=15.93, hyp_s=218.03, hyp_len=9, hyp_missed="found, but Hypothesis reports invariant on_own_processor (length 9), which the variant's Breaks line does not state (it states queued_not_current)"),
]
