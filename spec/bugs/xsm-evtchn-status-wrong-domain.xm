/// Bug variant: EVTCHNOP_status asks the policy about the wrong domain: xsm_evtchn_status's XSM_TARGET
/// test is made with the caller as its own target, so it always passes and any guest reads the state
/// of any other domain's ports (whom they are bound to, which VIRQ or pirq). The class the dummy.h
/// hooks guard against by taking the target domain as an argument; no specific XSA is claimed.
/// The one change: evtchn_status checks xsm_allows(XSMOP_EVTCHN_STATUS, caller, caller).
/// Breaks: the step property xsm_policy (properties.md K43); evtchn_xen_result (K41) at the end of
/// the same step. Expected shortest trace: 0 steps (dom1 reads the status of a port of dom0).
model xsm_evtchn_status_wrong_domain

include "../evtchn.xm"

/// EVTCHNOP_status with the XSM test made on the caller instead of the port's domain.
@ref("xen/common/event_channel.c:evtchn_status")
override action evtchn_status(caller: Dom, dom: Dom?, p: EvtchnPort) {
    require EVTCHN_ADMIN
    require evtchn_dom_active(caller)
    let xen_rc = evtchn_xen_rc_status(caller, dom, p)
    if dom == none {
        evtchn_result := EVTCHN_ESRCH
    } else if !evtchn_port_is_valid(get(dom), p) {
        evtchn_result := EVTCHN_EINVAL
    } else if !xsm_allows(XSMOP_EVTCHN_STATUS, caller, caller) {
        evtchn_result := EVTCHN_EPERM
    } else {
        xsm_granted(XSMOP_EVTCHN_STATUS, caller, get(dom))
        evtchn_result := EVTCHN_OK
    }
    assert evtchn_result == xen_rc, "evtchn_xen_result: the result is not the one Xen returns in that state"
}

/// The toolstack operations on, the rest off: one usable port per domain.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_ADMIN = true,
                 EVTCHN_MASKING = false, EVTCHN_VIRQS = false, EVTCHN_IPIS = false, EVTCHN_DEATH = false,
                 EVTCHN_BLOCKING = false }
