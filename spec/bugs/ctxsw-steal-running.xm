/// Bug variant, modelled on the is_running test in csched_runq_steal: a unit that is back on its run
/// queue while its pcpu is still switching away from it must not be stolen (its state is not saved
/// yet). Without the test another pcpu picks it while it is still marked running.
/// The one change: csched_stealable does not test is_running.
/// Breaks: the step assert "switch_to_idle_vcpu: next is not running elsewhere" in csched_switch
/// (properties.md E20/F27).
model ctxsw_steal_running

include "../context_switch.xm"

/// The steal test without the is_running check.
@ref("xen/common/sched/credit.c:csched_runq_steal")
override def csched_stealable(w: VCpu, p: PCpu, lp: int): bool = pri[w] > lp && hard_aff[w][p]

// This file includes context_switch.xm (and through it sched.xm and domain.xm, which declare the
// same instance names), so it declares its own.
/// As context_switch.xm small.
instance small { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 1,
                 DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false,
                 SCHED_EVENT_STANDIN = false }
/// As small.
instance default { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 1,
                   DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false,
                 SCHED_EVENT_STANDIN = false }
