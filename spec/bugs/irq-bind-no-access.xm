/// Bug: EVTCHNOP_bind_pirq without pirq_access_permitted: a guest binds a physical interrupt it
/// was never given (no capability, no mapping), so it receives another device's interrupts (the
/// class of bug behind XSA-237-style pirq permission mistakes; UNVERIFIED as a specific XSA).
/// The one change: irq_bind_pirq_check drops the -EPERM test.
/// Breaks: irq_bound_has_access (and the step assert irq_bind_needs_access), properties.md D17;
/// reported first: the step assert evtchn_xen_result (K41), since Xen answers -EPERM.
model irq_bind_no_access

include "../irq.xm"

/// bind_pirq's checks without the access test.
@ref("xen/common/event_channel.c:evtchn_bind_pirq")
override proc irq_bind_pirq_check(d: Dom, i: Irq) {
    if exists p: EvtchnPort :: irq_port_bound(d, p, i) {
        evtchn_result := EVTCHN_EEXIST
    } else {
        evtchn_result := evtchn_alloc_error(d)
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
