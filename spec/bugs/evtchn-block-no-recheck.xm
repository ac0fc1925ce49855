/// Bug: the lost wake-up. vcpu_block sets _VPF_blocked and must then look for pending events
/// again ("Check for events /after/ blocking: avoids wakeup waiting race"); without the re-check
/// an event that arrived just before the flag was set (its kick found the vcpu not blocked) leaves
/// the vcpu blocked with an upcall pending and nobody to wake it.
/// The one change: evtchn_block_recheck does nothing.
/// Breaks: evtchn_no_lost_wakeup (properties.md D18).
model evtchn_block_no_recheck

include "../evtchn.xm"

/// vcpu_block without the re-check.
@ref("xen/common/sched/core.c:vcpu_block")
override proc evtchn_block_recheck(v: VCpu) { }
