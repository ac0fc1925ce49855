/// Bug variant, modelled on credit1's boost rule (only an UNDER unit is boosted on wake; boosting an
/// OVER unit lets a vcpu that has used up its credit jump ahead of every fair one by blocking and
/// waking, the classic credit-scheduler starvation trick).
/// The one change: csched_unit_wake boosts every waking vcpu, whatever its priority.
/// Breaks: the step assert "boost_only_under" in vcpu_wake (properties.md G30/G32, fairness).
model sched_boost_every_wake

include "../sched.xm"

/// csched_unit_wake with an unconditional boost.
@ref("xen/common/sched/credit.c:csched_unit_wake")
override proc csched_unit_wake(v: VCpu) {
  let p = processor[v]
  if cur[p] != v && !(v in runq[p]) {
    pri[v] := CSCHED_PRI_TS_BOOST
    runq_insert(p, v)
    csched_tickle(v)
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
