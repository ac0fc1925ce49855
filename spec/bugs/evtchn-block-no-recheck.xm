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

/// One usable port, interdomain channels, VIRQs and blocking (the VIRQ actions keep a state where
/// every vcpu is blocked from being a deadlock).
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_VIRQS = true,
                 EVTCHN_MASKING = false, EVTCHN_ADMIN = false, EVTCHN_DEATH = false, EVTCHN_BLOCKING = true,
                 EVTCHN_IPIS = false }
