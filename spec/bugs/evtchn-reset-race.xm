/// Bug: XSA-343. EVTCHNOP_reset is preemptible; ports opened below its cursor while it runs (by
/// the guest's other vcpus, or by the toolstack's alloc_unbound for the guest) survived, yet the
/// reset reported success. The fix re-checks at the end and returns -EAGAIN.
/// The one change: evtchn_reset_finish always reports success.
/// Breaks: the step property evtchn_reset_complete (an assert in evtchn_reset / evtchn_reset_continue).
model evtchn_reset_race

include "../evtchn.xm"

/// The end of a reset without the "ports left" check.
@ref("xen/common/event_channel.c:evtchn_reset")
override proc evtchn_reset_finish(d: Dom) {
    evtchn_reset_next[d] := 0
    evtchn_result := EVTCHN_OK
}

/// One usable port, the toolstack operations on, nothing else.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_VIRQS = false,
                 EVTCHN_MASKING = false, EVTCHN_DEATH = false, EVTCHN_BLOCKING = false, EVTCHN_IPIS = false }
