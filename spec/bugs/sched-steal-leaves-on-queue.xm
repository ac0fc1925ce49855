/// Bug variant, modelled on the run-queue bookkeeping of csched_runq_steal (the stolen unit must be
/// taken off the peer's queue under the peer's lock, __runq_remove, before it runs here): a steal
/// that forgets the removal leaves the vcpu running here and queued there, so the peer may run it too.
/// The one change: csched_steal does not remove the stolen vcpu from the peer's queue.
/// Breaks: queued_not_current (properties.md E21) and, in the same state, on_own_processor (the stolen
/// vcpu's processor is already this pcpu while it is still queued on the peer).
model sched_steal_leaves_on_queue

include "../sched.xm"

/// csched_load_balance / csched_runq_steal without __runq_remove.
@ref("xen/common/sched/credit.c:csched_runq_steal")
override proc csched_steal(p: PCpu, prev: VCpu?, lp: int) {
  choose q: PCpu where csched_can_steal(q, p, lp) {
    let w = runq[q][csched_steal_idx(q, p, lp)]
    processor[w] := p
    csched_switch(p, prev, w)
  }
}

// This file includes sched.xm (which includes domain.xm): both declare the instances, so it declares
// its own (the loader treats two included declarations of one instance name as ambiguous).
/// As sched.xm default (the scheduling core with the event stand-in).
instance small { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 2, TICKS_PER_ACCT = 2,
                 DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false }
/// As small.
instance default { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 2, TICKS_PER_ACCT = 2,
                   DOM_REFUSALS = false, SCHED_AFFINITY_OPS = false }
