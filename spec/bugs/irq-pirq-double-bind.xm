/// Bug: EVTCHNOP_bind_pirq without the pirq_to_evtchn test: binding a pirq that already has a port in
/// this domain goes on to take another port (or fails for another reason) instead of -EEXIST
/// (evtchn_bind_pirq's `if ( pirq_to_evtchn(d, pirq) != 0 ) ERROR_EXIT(-EEXIST)`).
/// The one change: irq_bind_pirq_check drops the -EEXIST test.
/// Breaks: evtchn_xen_result (properties.md K41): binding a pirq twice returns something else than -EEXIST.
model irq_pirq_double_bind

include "../irq.xm"

/// bind_pirq's checks without the already-bound test.
@ref("xen/common/event_channel.c:evtchn_bind_pirq")
override proc irq_bind_pirq_check(d: Dom, i: Irq) {
    if !irq_access_permitted(d, i) {
        evtchn_result := EVTCHN_EPERM
    } else {
        evtchn_result := evtchn_alloc_error(d)
    }
}

/// One usable port, two lines (irq.xm's small).
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 2, EVTCHN_VIRQS = false,
                 EVTCHN_IPIS = false, EVTCHN_MASKING = false, EVTCHN_ADMIN = false, EVTCHN_BLOCKING = false,
                 EVTCHN_DEATH = false }
