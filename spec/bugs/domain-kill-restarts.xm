/// Bug variant, modelled on the progress markers of the preemptible teardown (d->arch.rel_priv in
/// domain_relinquish_resources, the DOMDYING_dying case of domain_kill): each continuation resumes
/// where the preempted call stopped. If the marker is lost when the last kind of resource is being
/// released, the continuation starts over with the grant mappings, and a teardown that is preempted
/// at every step never ends: the domain stays dying forever.
/// The one change: domain_kill_continue goes back to the grant step instead of declaring d dead.
/// Breaks: dying_becomes_dead (properties.md I38), as a lasso: grants, event channels, memory, grants...
model domain_kill_restarts

include "../domain.xm"

/// domain_kill's continuation that loses its progress marker at the memory step (the bug).
@ref("xen/common/domain.c:domain_kill")
@ref("xen/arch/x86/domain.c:domain_relinquish_resources")
override action domain_kill_continue(d: Dom) {
  require dom_state[d] == DOM_DYING
  require forall v: VCpu :: dom_of(v) == d => !dom_vcpu_is_running(v)
  let s = dom_teardown[d]
  if !hook_teardown_done(d, s) {
    hook_teardown_step(d, s)
  } else if s == TD_GRANTS {
    dom_teardown[d] := TD_EVTCHN
  } else if s == TD_EVTCHN {
    dom_teardown[d] := TD_MEMORY
  } else {
    dom_teardown[d] := TD_GRANTS
  }
}
