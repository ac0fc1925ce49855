/// Lemmas (auxiliary invariants) meant to make the safety invariants of spec/context_switch.xm
/// inductive. Status (2026-11-27): they hold at `small` (`xenmodel check proofs/ctxsw.xm`), and
/// `xenmodel prove spec/context_switch.xm --lemmas proofs/ctxsw.xm` at `small` and `default` proves every
/// invariant and assert inductive (G30, liveness, is a temporal property that `check` verifies).
model ctxsw_proofs

include "../spec/context_switch.xm"
include "sched.xm"

// The scheduler's lemmas come from proofs/sched.xm (its running_iff_current covers prev through
// sched_switching_from, which spec/context_switch.xm defines).

/// No prev is recorded on a settled pcpu.
lemma prev_only_in_switch: forall p: PCpu :: cs_phase[p] == CS_NONE => cs_prev[p] == none

/// prev differs from next during a switch (schedule() only switches when they differ).
lemma prev_not_next: forall p: PCpu :: cs_phase[p] != CS_NONE && cs_prev[p] != none => cs_prev[p] != cur[p]

/// A vcpu being switched away from is not chosen anywhere else and stays on this pcpu (it cannot be
/// stolen or migrated while is_running).
lemma prev_stays: forall p, q: PCpu :: cs_prev[p] != none =>
  cur[q] != cs_prev[p] && processor[get(cs_prev[p])] == p

/// Interrupts are enabled outside the set_current .. __context_switch window.
lemma irqs_on_outside_switch: forall p: PCpu :: cs_phase[p] != CS_SWITCH => irq_en[p]

/// The boot-time and idle page tables are loaded exactly when no guest state is loaded (part of F29;
/// stated separately so the induction sees the none case).
lemma idle_tables_when_no_guest: forall p: PCpu :: (curr_vcpu[p] == none) == (ptbase[p] == none)

/// In the CS_SYNC phase, next's state is either clean, here, or held lazily under an idle vcpu on
/// another pcpu (so the flush can always be served).
lemma next_state_flushable: forall p, q: PCpu :: cs_phase[p] == CS_SYNC && cur[p] != none
  && dirty_cpu[get(cur[p])] == q && q != p => cs_current(q) == none || cs_phase[q] == CS_SWITCH

/// Between set_current and the register switch, next's state is still clean or here (nobody else can
/// load it: it is marked is_running). Needed for the load_clean_state assert of __context_switch.
lemma next_state_here_in_switch: forall p: PCpu :: cs_phase[p] == CS_SWITCH => cs_next_state_here(p)
