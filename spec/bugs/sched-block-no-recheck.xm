/// Bug variant, modelled on the lost wake-up that vcpu_block's check-after-set prevents (an event that
/// arrives just before _VPF_blocked is set finds the vcpu not blocked, so its kick does nothing; if
/// the block does not re-check for pending events, the vcpu sleeps with an event waiting).
/// The one change: schedop_block does not re-check local_events_need_delivery after setting the flag.
/// Breaks: no_lost_wakeup (properties.md D18).
model sched_block_no_recheck

include "../sched.xm"

/// vcpu_block without the re-check.
@ref("xen/common/sched/core.c:vcpu_block")
override action schedop_block(v: VCpu) {
  require sched_vcpu_executing(v)
  sched_block_enable_events(v)
  vpf_blocked[v] := true
  sched_pending[processor[v]] := true
}

// This file includes sched.xm (which includes domain.xm): both declare the instances, so it declares
// its own (the loader treats two included declarations of one instance name as ambiguous).
/// As sched.xm default (the scheduling core with the event stand-in).
instance small { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 2, TICKS_PER_ACCT = 2,
                 DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false }
/// As small.
instance default { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 2, TICKS_PER_ACCT = 2,
                   DOM_REFUSALS = false, SCHED_AFFINITY_OPS = false }
