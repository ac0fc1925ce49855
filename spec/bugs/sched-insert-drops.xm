/// Bug variant, modelled on a list-insertion slip in __runq_insert (inserting at the head of a
/// non-empty queue by replacing the head instead of linking in front of it): the old head is lost,
/// a runnable vcpu that is on no queue and never runs again.
/// The one change: runq_insert at position 0 of a non-empty queue overwrites the head.
/// Breaks: runnable_is_scheduled (properties.md E22).
model sched_insert_drops

include "../sched.xm"

/// __runq_insert that overwrites the head.
@ref("xen/common/sched/credit.c:__runq_insert")
override proc runq_insert(p: PCpu, v: VCpu) {
  runq_behind[v] := [w: VCpu -> w in runq[p]]
  if runq_pos(p, v) == 0 && len(runq[p]) > 0 {
    runq[p] := [v] ++ tail(runq[p])
  } else {
    runq[p] := insert(runq[p], runq_pos(p, v), v)
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
