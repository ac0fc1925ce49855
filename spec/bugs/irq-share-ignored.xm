/// Bug: pirq_guest_bind attaches a second guest to a line even though the first binder (or the
/// new one) did not agree to share it (BIND_PIRQ__WILL_SHARE ignored).
/// The one change: irq_guest_bind_check drops the shareable test.
/// Breaks: irq_exclusive_line (properties.md D17); reported first: the step assert evtchn_xen_result
/// (K41), since Xen answers -EBUSY.
model irq_share_ignored

include "../irq.xm"

/// pirq_guest_bind's checks without the sharing test.
@ref("xen/arch/x86/irq.c:pirq_guest_bind")
override proc irq_guest_bind_check(d: Dom, i: Irq, share: bool) {
    if irq_xen_owned(i) {
        evtchn_result := EVTCHN_EBUSY
    } else {
        evtchn_result := EVTCHN_OK
    }
}

// The instances of spec/irq.xm (included instances of two levels are ambiguous to the loader).
/// 2 domains, 1 vcpu, one usable port each; lines irq0 (Xen's) and irq1 (level, shareable); the
/// event-channel features irq does not need are off (VIRQs, IPIs, masking, toolstack ops, blocking,
/// domain death: closing a PIRQ port is explored through EVTCHNOP_close). 47,224 states, 42 s.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 2, EVTCHN_VIRQS = false,
                 EVTCHN_IPIS = false, EVTCHN_MASKING = false, EVTCHN_ADMIN = false, EVTCHN_BLOCKING = false,
                 EVTCHN_DEATH = false }
/// Every feature on, two usable ports per domain, an edge line too (BMC / simulation).
instance default { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 3, NIRQ = 3 }
/// 3 domains and an edge line as well (benchmarks).
instance large { NDOM = 3, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 3, NIRQ = 3 }
