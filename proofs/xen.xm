/// The lemmas of the whole Xen model (spec/xen.xm): every subsystem's lemma file, each lemma declared
/// once, in the file of the subsystem it is about. The whole-model proof:
///   xenmodel prove spec/xen.xm --lemmas proofs/xen.xm
/// Files included by several of these (proofs/domain.xm, proofs/sched.xm, proofs/memory.xm,
/// proofs/evtchn.xm) count once. The lemmas stated here are the composition's own: facts that hold
/// only once the subsystems are wired together (spec/xen.xm's hooks).
model xen_proofs

include "../spec/xen.xm"
include "domain.xm"
include "sched.xm"
include "ctxsw.xm"
include "evtchn.xm"
include "irq.xm"
include "memory.xm"
include "grant.xm"
include "migration.xm"

/// The teardown releases one kind of resource after the other and nothing new of a kind already
/// released is taken by a dying domain (grant, event channel and memory operations refuse it): past
/// the grant step it holds no grant mapping, in the memory step no open event channel. Needed for
/// xen_dead_owns_nothing when domain_kill_continue declares the domain dead.
@ref("xen/common/domain.c:domain_relinquish_resources")
lemma xen_teardown_progress: forall d: Dom ::
  (dom_state[d] == DOM_DYING && dom_teardown[d] != TD_GRANTS => gnt_release_done(d))
  && (dom_state[d] == DOM_DYING && dom_teardown[d] == TD_MEMORY => evtchn_all_closed(d))

/// A call in flight on a pcpu (the split hypercalls of memory.xm, grant.xm and evtchn.xm) is never a
/// dead domain's: a call starts only while its domain is not dying, and the teardown waits for the
/// domain's calls in flight before it can finish (gnt_release_done, mm_relinquish_done and
/// evtchn_all_closed require none), so a step such as mm_pin_set never touches a dead domain's frame.
lemma xen_dead_no_call_in_flight: forall p: PCpu ::
  (mm_call[p].step != MM_IDLE => dom_state[mm_call[p].d] != DOM_DEAD)
  && (gnt_call[p].step != GU_IDLE => dom_state[gnt_call[p].d] != DOM_DEAD)
  && (evtchn_call[p].step != EV_IDLE => dom_state[evtchn_call[p].d] != DOM_DEAD)
