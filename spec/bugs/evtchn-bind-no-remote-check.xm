/// Bug: EVTCHNOP_bind_interdomain does not check that the remote UNBOUND port was reserved for the
/// caller (u.unbound.remote_domid), so any domain can connect to a port offered to another one.
/// The one change: evtchn_bind_interdomain_check drops the remote_domid test.
/// Breaks: the step property evtchn_bind_reserved (properties.md D13), an assert in
/// evtchn_bind_interdomain.
model evtchn_bind_no_remote_check

include "../evtchn.xm"

/// The checks of bind_interdomain without `remote_domid == caller`.
@ref("xen/common/event_channel.c:evtchn_bind_interdomain")
override proc evtchn_bind_interdomain_check(ld: Dom, rd: Dom, rp: EvtchnPort) {
    if evtchn_alloc_error(ld) != EVTCHN_OK {
        evtchn_result := evtchn_alloc_error(ld)
    } else if !evtchn_port_is_valid(rd, rp) {
        evtchn_result := EVTCHN_EINVAL
    } else if evtchn_chan[rd][rp].state != ECS_UNBOUND {
        evtchn_result := EVTCHN_EINVAL
    } else {
        evtchn_result := EVTCHN_OK
    }
}

/// One usable port, interdomain channels only.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_VIRQS = false,
                 EVTCHN_MASKING = false, EVTCHN_ADMIN = false, EVTCHN_DEATH = false, EVTCHN_BLOCKING = false,
                 EVTCHN_IPIS = false }
