/// Bug: EVTCHNOP_alloc_unbound without XSM_TARGET (xsm_evtchn_unbound): any guest allocates ports in
/// any other domain's table, naming who may bind them, and so fills the table or plants channels.
/// The one change: evtchn_alloc_unbound drops the -EPERM test.
/// Breaks: evtchn_xen_result (properties.md K41): allocating a port for another domain needs privilege.
model evtchn_alloc_unbound_no_xsm

include "../evtchn.xm"

/// alloc_unbound without the XSM_TARGET test.
@ref("xen/common/event_channel.c:evtchn_alloc_unbound")
override action evtchn_alloc_unbound(caller: Dom, dom: Dom?, remote: Dom) {
    require evtchn_dom_active(caller)
    let xen_rc = evtchn_xen_rc_alloc_unbound(caller, dom)
    if dom == none {
        evtchn_result := EVTCHN_ESRCH
    } else if evtchn_alloc_error(get(dom)) != EVTCHN_OK {
        evtchn_result := evtchn_alloc_error(get(dom))
    } else {
        let d = get(dom)
        choose p: EvtchnPort where evtchn_lowest_free(d, p) {
            evtchn_chan[d][p].state := ECS_UNBOUND
            evtchn_chan[d][p].remote_dom := remote
            evtchn_result := EVTCHN_OK
        }
    }
    assert evtchn_result == xen_rc, "evtchn_xen_result: the result is not the one Xen returns in that state"
}

/// One usable port, nothing but interdomain channels.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_VIRQS = false,
                 EVTCHN_MASKING = false, EVTCHN_ADMIN = false, EVTCHN_DEATH = false, EVTCHN_BLOCKING = false,
                 EVTCHN_IPIS = false }
