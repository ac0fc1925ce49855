/// Bug variant, modelled on the hard-affinity test in csched_runq_steal (a unit is stolen only if the
/// stealing pcpu is in its hard affinity; getting this wrong runs vcpus on pcpus they are pinned away
/// from, e.g. outside a cpupool or on an isolated cpu).
/// The one change: csched_stealable does not look at the hard affinity.
/// Breaks: hard_affinity_respected (properties.md E23).
model sched_steal_ignores_affinity

include "../sched.xm"

/// The steal test without the affinity check.
@ref("xen/common/sched/credit.c:csched_runq_steal")
override def csched_stealable(w: VCpu, p: PCpu, lp: int): bool = pri[w] > lp && !is_running[w]

// This file includes sched.xm (which includes domain.xm): both declare the instances, so it declares
// its own. Affinity changes are on: the bug needs a vcpu whose hard affinity excludes a pcpu.
/// As sched.xm small, with affinity changes.
instance small { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 2, TICKS_PER_ACCT = 2,
                 DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false }
/// As small.
instance default { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 2, TICKS_PER_ACCT = 2,
                   DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false }
