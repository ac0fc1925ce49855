/// Bug: EVTCHNOP_bind_virq without the virq_to_evtchn test: binding a VIRQ that is already bound on
/// that vcpu goes on to allocate a port instead of failing with -EEXIST (evtchn_bind_virq's
/// `if ( read_atomic(&v->virq_to_evtchn[virq]) ) ... -EEXIST`), so the old port is orphaned or the
/// caller is told something other than Xen's answer.
/// The one change: evtchn_bind_virq_check drops the -EEXIST test.
/// Breaks: evtchn_xen_result (properties.md K41): binding a VIRQ twice returns -ENOSPC, not -EEXIST.
model evtchn_virq_double_bind

include "../evtchn.xm"

/// bind_virq's checks without the already-bound test.
@ref("xen/common/event_channel.c:evtchn_bind_virq")
override proc evtchn_bind_virq_check(d: Dom, q: EvtchnVirq, id: EvtchnVcpuId) {
    if evtchn_virq_on_vcpu0(q) && id != 0 {
        evtchn_result := EVTCHN_EINVAL
    } else if id >= VPD {
        evtchn_result := EVTCHN_ENOENT
    } else if evtchn_virq_is_global(q) && evtchn_virq_handler(q) != d {
        evtchn_result := EVTCHN_EBUSY
    } else {
        evtchn_result := evtchn_alloc_error(d)
    }
}

/// One usable port, VIRQs only.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_VIRQS = true,
                 EVTCHN_MASKING = false, EVTCHN_ADMIN = false, EVTCHN_DEATH = false, EVTCHN_BLOCKING = false,
                 EVTCHN_IPIS = false }
