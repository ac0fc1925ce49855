/// Bug: EVTCHNOP_alloc_unbound asks XSM_TARGET before it allocates the port: Xen's order is
/// rcu_lock_domain_by_any_id (-ESRCH), then get_free_port / evtchn_get_port (-EINVAL for a dying
/// domain, -ENOSPC), then xsm_evtchn_unbound (-EPERM); checked the other way round, a guest asking
/// for a port in a full table of another domain gets -EPERM where Xen says -ENOSPC (the order the
/// model itself had before issue 21).
/// The one change: evtchn_alloc_unbound tests XSM_TARGET before the free port.
/// Breaks: evtchn_xen_result (properties.md K41).
model evtchn_alloc_unbound_xsm_first

include "../evtchn.xm"

/// alloc_unbound with the XSM test first.
@ref("xen/common/event_channel.c:evtchn_alloc_unbound")
override action evtchn_alloc_unbound(caller: Dom, dom: Dom?, remote: Dom) {
    require evtchn_dom_active(caller)
    let xen_rc = evtchn_xen_rc_alloc_unbound(caller, dom)
    if dom == none {
        evtchn_result := EVTCHN_ESRCH
    } else if !evtchn_xsm_target(caller, get(dom)) {
        evtchn_result := EVTCHN_EPERM
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
