/// Lemmas that make the invariants of spec/domain.xm inductive (checked with `xenmodel prove
/// spec/domain.xm --lemmas proofs/domain.xm`: every invariant and assert is inductive at `default`).
model domain_proofs

include "../spec/domain.xm"

/// The domain pause count is exactly the controller's pauses plus domain_kill's one: nothing else
/// pauses a whole domain in the model. Needed to bound the count (a pause from a state with an
/// arbitrary count could overflow its range) and for domain_unpause's "never negative" assert.
lemma pause_count_exact: forall d: Dom ::
  dom_pause_count[d] == dom_ctrl_pause_count[d]
    + (if dom_state[d] == DOM_DYING || dom_state[d] == DOM_DEAD then 1 else 0)

/// A domid never created has clean counts and vcpus (creation assumes a clean slate).
lemma fresh_domain_clean: forall v: VCpu :: dom_state[dom_of(v)] == DOM_NONE =>
  vpf_down[v] && !v_initialised[v] && !v_paused_for_shutdown[v]
  && dom_pause_count[dom_of(v)] == 0 && dom_ctrl_pause_count[dom_of(v)] == 0
  && !dom_is_shut_down[dom_of(v)]

/// dom0 is never paused (it cannot pause itself and nobody else is privileged) and never shut down.
lemma dom0_unpaused: forall d: Dom :: is_privileged(d) =>
  dom_ctrl_pause_count[d] == 0 && dom_pause_count[d] == 0 && !dom_is_shut_down[d]

/// A vcpu paused for shutdown belongs to a shut-down domain.
lemma shutdown_paused_means_shut_down: forall v: VCpu ::
  v_paused_for_shutdown[v] => dom_is_shut_down[dom_of(v)]
