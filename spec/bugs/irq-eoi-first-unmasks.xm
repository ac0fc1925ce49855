/// Bug: a shared level-triggered line is unmasked at the first guest's EOI instead of the last
/// (in_flight not counted), so the line fires again while another guest is still handling it.
/// The one change: irq_eoi unmasks the line at every EOI.
/// Breaks: irq_masked_until_eoi.
model irq_eoi_first_unmasks

include "../irq.xm"

/// EOI that unmasks regardless of the other guests.
@ref("xen/arch/x86/irq.c:desc_guest_eoi")
override proc irq_eoi(d: Dom, i: Irq) {
    irq_eoi_pending[i] := irq_eoi_pending[i] - {d}
    irq_masked[i] := false
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
