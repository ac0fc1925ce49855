/// Bug variant: EVTCHNOP_reset asks the policy for the wrong class, XSM_HOOK ("guests can normally
/// do this") instead of xsm_evtchn_reset's XSM_TARGET: any guest closes every event channel of any
/// other domain the toolstack keeps paused. A privilege check that asks the wrong question is the
/// class of XSA-76 (hypercalls exposed to privilege rings 1 and 2 of HVM guests); the hook's class is
/// what dummy.h's XSM_ASSERT_ACTION pins.
/// The one change: evtchn_reset checks xsm_default_action(XSM_HOOK, ...).
/// Breaks: the step property xsm_policy (properties.md K43); evtchn_xen_result (K41) at the end of
/// the same step. Expected shortest trace: 0 steps (dom1 resets dom0).
model xsm_evtchn_reset_hook

include "../evtchn.xm"

/// EVTCHNOP_reset's first call with XSM_HOOK as the policy class.
@ref("xen/common/event_channel.c:evtchn_reset")
override action evtchn_reset(caller: Dom, d: Dom) {
    require EVTCHN_ADMIN
    require evtchn_dom_active(caller)
    let xen_rc = evtchn_xen_rc_reset(caller, d)
    if !xsm_default_action(XSM_HOOK, caller, d) {
        evtchn_result := EVTCHN_EPERM
    } else if caller != d && !evtchn_ctrl_paused(d) {
        evtchn_result := EVTCHN_EINVAL
    } else if evtchn_reset_next[d] != 0 {
        evtchn_result := EVTCHN_EBUSY
    } else {
        xsm_granted(XSMOP_EVTCHN_RESET, caller, d)
        evtchn_reset_next[d] := 1
        evtchn_reset_step(d)
        assert evtchn_result != EVTCHN_OK || !(exists p: EvtchnPort :: evtchn_open(d, p)),
            "evtchn_reset_complete: reset reported success with ports still open"
    }
    assert evtchn_result == xen_rc, "evtchn_xen_result: the result is not the one Xen returns in that state"
}

/// The toolstack operations on, the rest off: one usable port per domain.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_ADMIN = true,
                 EVTCHN_MASKING = false, EVTCHN_VIRQS = false, EVTCHN_IPIS = false, EVTCHN_DEATH = false,
                 EVTCHN_BLOCKING = false }
