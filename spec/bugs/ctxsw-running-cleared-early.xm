/// Bug variant, modelled on the ordering rule of sched_context_switched (prev->is_running is cleared
/// only after prev's context has been saved): clearing it when schedule() picks next lets another
/// pcpu steal prev and load it while this pcpu is still running on prev's state.
/// The one change: sched_context_switch clears prev's is_running at once.
/// Breaks: current_marked_running (properties.md F27).
model ctxsw_running_cleared_early

include "../context_switch.xm"

/// The hand-over to context_switch that clears is_running too early.
@ref("xen/common/sched/core.c:sched_context_switch")
override proc sched_context_switch(p: PCpu, prev: VCpu?, next: VCpu?) {
  assert cs_phase[p] == CS_NONE, "one switch at a time per pcpu"
  if prev != none {
    is_running[get(prev)] := false
  }
  cs_prev[p] := prev
  cs_phase[p] := CS_SYNC
}

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
