/// Lemmas (auxiliary invariants) meant to make the safety invariants of spec/domain.xm and
/// spec/sched.xm inductive: each says something every reachable state satisfies that a single step
/// from an arbitrary state satisfying the invariants alone might break.
/// proofs/ctxsw.xm includes this file: every lemma here also holds with the stepwise context switch.
/// Status (2026-11-27): they hold in every reachable state (`xenmodel check proofs/sched.xm --instance
/// small`), and `xenmodel prove spec/sched.xm --lemmas proofs/sched.xm` at `small` and `default` proves
/// every invariant and assert inductive (G30, liveness, is a temporal property that `check` verifies).
model sched_proofs

include "../spec/sched.xm"
include "domain.xm"

/// A vcpu of a domid never created is offline and not running (with proofs/domain.xm's
/// fresh_domain_clean). Needed because creation assumes a clean slate.
lemma fresh_vcpu_idle: forall v: VCpu :: dom_state[dom_of(v)] == DOM_NONE =>
  runstate[v] == RS_OFFLINE && !is_running[v] && !vpf_blocked[v] && !vpf_migrating[v]

/// is_running is exactly "chosen on a pcpu, or being switched away from" (sched_switching_from:
/// never in the standalone scheduler, whose switch is atomic; prev of an unfinished switch with
/// spec/context_switch.xm). Needed for the steal rule (!is_running) to imply the stolen vcpu is not
/// current anywhere and its state is not live on another pcpu (F26, F27).
@ref("xen/common/sched/core.c:sched_context_switched")
lemma running_iff_current: forall v: VCpu :: is_running[v] == (is_cur(v) || sched_switching_from(v))

/// The blocked runstate is only held by a vcpu whose _VPF_blocked is set. Needed by vcpu_wake's
/// "blocked/offline -> runnable" step to keep runstate_consistent.
lemma blocked_runstate_flag: forall v: VCpu :: runstate[v] == RS_BLOCKED => vpf_blocked[v]

/// The accounting counter never reaches the period (it is reset when it would).
lemma acct_ticks_below_period: acct_ticks < TICKS_PER_ACCT

/// A migrating vcpu is neither queued nor (after its pcpu's pending reschedule) chosen: its pcpu has a
/// schedule pending if it is still current. Follows from not_runnable_*; stated for vcpu_migrate_finish.
lemma migrating_not_queued: forall v: VCpu, p: PCpu :: vpf_migrating[v] => !(v in runq[p])


/// A vcpu's processor is in its hard affinity unless it is migrating (vcpu_set_hard_affinity marks it
/// migrating when the processor leaves the mask; vcpu_migrate_finish picks an allowed one). Needed by
/// every wake: it inserts into the processor's queue (hard_affinity_respected).
lemma processor_in_affinity: forall v: VCpu :: hard_aff[v][processor[v]] || vpf_migrating[v]
