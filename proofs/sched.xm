/// Lemmas (auxiliary invariants) meant to make the safety invariants of spec/domain.xm and
/// spec/sched.xm inductive: each says something every reachable state satisfies that a single step
/// from an arbitrary state satisfying the invariants alone might break.
/// Status: checked as invariants by breadth-first search at the `small` instance (they hold in every
/// reachable state); NOT yet checked for inductiveness (the Z3 induction engine did not exist when they
/// were written). bounded_wait is a liveness bound and is not expected to be inductive.
model sched_proofs

include "../spec/sched.xm"

/// A domid never created has its vcpus untouched: down, uninitialised, offline, not running, unpaused
/// by the controller. Needed because creation assumes a clean slate (queued_once, runstate_consistent
/// would fail for a vcpu that is queued before its domain exists).
lemma fresh_domain_clean: forall v: VCpu :: dom_state[dom_of(v)] == DOM_NONE =>
  vpf_down[v] && !v_initialised[v] && runstate[v] == RS_OFFLINE && !is_running[v]
  && dom_pause_count[dom_of(v)] == 0 && dom_ctrl_pause_count[dom_of(v)] == 0

/// In the standalone scheduler the switch is atomic, so is_running is exactly "chosen on a pcpu".
/// Needed for the steal rule (!is_running) to imply the stolen vcpu is not current anywhere.
lemma running_iff_current: forall v: VCpu :: is_running[v] == is_cur(v)

/// The blocked runstate is only held by a vcpu whose _VPF_blocked is set. Needed by vcpu_wake's
/// "blocked/offline -> runnable" step to keep runstate_consistent.
lemma blocked_runstate_flag: forall v: VCpu :: runstate[v] == RS_BLOCKED => vpf_blocked[v]

/// The ghost wait counter is 0 for a vcpu that is not queued (it is reset on every queue change).
lemma wait_zero_unless_queued: forall v: VCpu :: !on_runq(v) => sched_wait[v] == 0

/// The accounting counter never reaches the period (it is reset when it would).
lemma acct_ticks_below_period: acct_ticks < TICKS_PER_ACCT

/// A migrating vcpu is neither queued nor (after its pcpu's pending reschedule) chosen: its pcpu has a
/// schedule pending if it is still current. Follows from not_runnable_*; stated for vcpu_migrate_finish.
lemma migrating_not_queued: forall v: VCpu, p: PCpu :: vpf_migrating[v] => !(v in runq[p])

/// The pause count of a live domain is at least its controller count plus one for a shutdown-paused
/// vcpu's domain... (kept simple:) dying and dead domains keep domain_kill's pause.
lemma dying_paused: forall d: Dom ::
  (dom_state[d] == DOM_DYING || dom_state[d] == DOM_DEAD) => dom_pause_count[d] >= 1

/// dom0 is never paused by the controller (it cannot pause itself and nobody else is privileged).
/// Needed to keep the boot vcpu's runnability facts simple.
lemma dom0_never_ctrl_paused: forall d: Dom :: is_privileged(d) => dom_ctrl_pause_count[d] == 0
