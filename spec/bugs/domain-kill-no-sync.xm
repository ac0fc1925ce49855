/// Bug variant, modelled on domain_kill's use of domain_pause, which waits (vcpu_sleep_sync) until no
/// vcpu of the domain runs before its resources are released: without the wait, a vcpu still runs
/// (and can touch memory) while the domain is torn down and declared dead.
/// The one change: domain_kill_continue does not wait for the domain's vcpus to stop running.
/// It includes sched.xm (not just domain.xm) because "running" is scheduler state.
/// Breaks: dead_domain_quiescent (properties.md I37).
/// Expected shortest trace: about 8 steps (create, setvcpucontext, unpause, the guest vcpu is scheduled,
/// destroy, three continuation steps).
model domain_kill_no_sync

include "../sched.xm"

/// domain_kill's continuation without the vcpu_sleep_sync wait.
@ref("xen/common/domain.c:domain_kill")
override action domain_kill_continue(d: Dom) {
  require dom_state[d] == DOM_DYING
  let s = dom_teardown[d]
  if !hook_teardown_done(d, s) {
    hook_teardown_step(d, s)
  } else if s == TD_GRANTS {
    dom_teardown[d] := TD_EVTCHN
  } else if s == TD_EVTCHN {
    dom_teardown[d] := TD_MEMORY
  } else {
    dom_state[d] := DOM_DEAD
  }
}

// This file includes sched.xm (which includes domain.xm): both declare the instances, so it declares
// its own, with the lifecycle operations on.
/// As sched.xm default.
instance small { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 2,
                 DOM_REFUSALS = false, SCHED_AFFINITY_OPS = false }
/// As small.
instance default { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 2,
                   DOM_REFUSALS = false, SCHED_AFFINITY_OPS = false }
