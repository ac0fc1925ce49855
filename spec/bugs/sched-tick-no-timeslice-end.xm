/// Bug variant, modelled on the end of a timeslice: schedule() arms the pcpu's slice timer (s_timer)
/// for the timeslice csched_schedule returns, and its expiry raises SCHEDULE_SOFTIRQ so that the current
/// vcpu goes back behind the waiting ones of its priority (the model folds the slice end into the tick,
/// one tick being one timeslice). If the slice never ends (a timer that is not armed, an "infinite"
/// slice for a vcpu that should have a finite one), a vcpu that never blocks keeps its pcpu for ever:
/// the accounting still lowers its priority, but nothing reschedules the pcpu, and an idle pcpu is
/// tickled only when a vcpu wakes. No safety property notices: the queues stay sorted, every runnable
/// vcpu stays queued.
/// The one change: csched_tick does not raise the schedule softirq.
/// Breaks: runnable_eventually_runs (properties.md G30), as a lasso: the current vcpu's pcpu ticks
/// forever while the other vcpu waits on its queue.
model sched_tick_no_timeslice_end

include "../sched.xm"

/// The tick without the end of the timeslice (the bug).
@ref("xen/common/sched/credit.c:csched_tick")
@ref("xen/common/sched/core.c:s_timer_fn")
override action csched_tick(p: PCpu) {
  require cur[p] != none && sched_irq_enabled(p) && !sched_pending[p]
  sched_irq_enter(p)
  let v = get(cur[p])
  credit[v] := max(credit[v] - 1, -CREDIT_MAX)
  if pri[v] == CSCHED_PRI_TS_BOOST {
    pri[v] := CSCHED_PRI_TS_UNDER
  }
  if acct_ticks + 1 >= TICKS_PER_ACCT {
    acct_ticks := 0
    csched_acct()
  } else {
    acct_ticks := acct_ticks + 1
  }
}

// This file includes sched.xm (which includes domain.xm): both declare the instances, so it declares
// its own (the loader treats two included declarations of one instance name as ambiguous).
/// As sched.xm small (the scheduling core).
instance small { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 2, TICKS_PER_ACCT = 2,
                 DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false,
                 SCHED_EVENT_STANDIN = false }
/// As small.
instance default { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 2, TICKS_PER_ACCT = 2,
                   DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false,
                   SCHED_EVENT_STANDIN = false }
