/// Bug: EVTCHNOP_bind_virq lets any domain bind a global VIRQ (no get_global_virq_handler check),
/// so a guest can take VIRQ_DOM_EXC or VIRQ_CONSOLE-style events meant for the handler domain.
/// The one change: evtchn_bind_virq_check drops the -EBUSY test.
/// Breaks: evtchn_global_virq_owner (properties.md D16); reported first: the step assert evtchn_xen_result
/// (K41), since Xen answers -EBUSY.
model evtchn_global_virq_any_domain

include "../evtchn.xm"

/// bind_virq's checks without the handler-domain test.
@ref("xen/common/event_channel.c:evtchn_bind_virq")
override proc evtchn_bind_virq_check(d: Dom, q: EvtchnVirq, id: EvtchnVcpuId) {
    if evtchn_virq_on_vcpu0(q) && id != 0 {
        evtchn_result := EVTCHN_EINVAL
    } else if id >= VPD {
        evtchn_result := EVTCHN_ENOENT
    } else if ord(evtchn_virq_port[evtchn_vcpu_of(d, id)][q]) != 0 {
        evtchn_result := EVTCHN_EEXIST
    } else {
        evtchn_result := evtchn_alloc_error(d)
    }
}

/// One usable port, VIRQs only.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_VIRQS = true,
                 EVTCHN_MASKING = false, EVTCHN_ADMIN = false, EVTCHN_DEATH = false, EVTCHN_BLOCKING = false,
                 EVTCHN_IPIS = false }
