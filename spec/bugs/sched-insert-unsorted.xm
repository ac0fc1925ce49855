/// Bug variant, modelled on a run queue kept in arrival order only (ignoring the priority in
/// __runq_insert): a boosted or UNDER vcpu waits behind OVER ones, and schedule()'s "head is the best
/// local candidate" reasoning (and the steal rule built on it) breaks.
/// The one change: runq_insert appends at the tail.
/// Breaks: runq_sorted (properties.md E21).
model sched_insert_unsorted

include "../sched.xm"

/// __runq_insert that appends.
@ref("xen/common/sched/credit.c:__runq_insert")
override proc runq_insert(p: PCpu, v: VCpu) {
  runq_behind[v] := [w: VCpu -> w in runq[p]]
  runq[p] := runq[p] ++ [v]
}

// This file includes sched.xm (which includes domain.xm): both declare the instances, so it declares
// its own (the loader treats two included declarations of one instance name as ambiguous).
/// As sched.xm default (the scheduling core with the event stand-in).
instance small { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 2, TICKS_PER_ACCT = 2,
                 DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false }
/// As small.
instance default { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 2, TICKS_PER_ACCT = 2,
                   DOM_REFUSALS = false, SCHED_AFFINITY_OPS = false }
