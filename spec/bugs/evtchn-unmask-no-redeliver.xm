/// Bug: EVTCHNOP_unmask clears the mask bit but does not re-raise an event that arrived while the
/// port was masked (evtchn_2l_unmask's "if pending, set the selector bit and mark events
/// pending"), so the event sits pending and unmasked with nothing telling the guest.
/// The one change: evtchn_unmask_port only clears the mask bit.
/// Breaks: evtchn_pending_reaches_upcall.
model evtchn_unmask_no_redeliver

include "../evtchn.xm"

/// Unmask without re-delivery.
@ref("xen/common/event_2l.c:evtchn_2l_unmask")
override proc evtchn_unmask_port(d: Dom, p: EvtchnPort) {
    evtchn_chan[d][p].masked := false
}

/// One usable port, masking on, nothing else.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_VIRQS = false,
                 EVTCHN_ADMIN = false, EVTCHN_DEATH = false, EVTCHN_BLOCKING = false }
