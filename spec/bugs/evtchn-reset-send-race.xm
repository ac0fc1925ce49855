/// Bug variant modelled on XSA-343 (races with evtchn_reset()) as a race: EVTCHNOP_reset tears a
/// domain's ports down while another domain's EVTCHNOP_send on a peer channel is under way on another
/// pcpu. The sender holds its channel's lock between reading the binding and setting the target
/// pending; a reset that closes ports without taking the per-channel locks (relying on
/// d->event_lock, which the sender does not hold) frees the target under the sender's feet, and the
/// event lands on a freed port.
/// The one change: evtchn_reset's per-port step closes the port without double_evtchn_lock.
/// Breaks: evtchn_locked_binding_stable (the sender's locked channel changed under it); then
/// evtchn_free_is_clear (a pending bit on a FREE port). E.g. alloc_unbound; bind_interdomain;
/// send_lock on pcpu0; the peer's reset; send_deliver.
model evtchn_reset_send_race

include "../evtchn.xm"

/// evtchn_reset's step with evtchn_close called without the channel locks.
@ref("xen/common/event_channel.c:evtchn_reset")
override proc evtchn_reset_step(d: Dom) {
    let i = evtchn_reset_next[d]
    if i < EVTCHN_NPORTS {
        if evtchn_open(d, EvtchnPort(i)) {
            evtchn_close_locked(d, EvtchnPort(i))
        }
        evtchn_reset_next[d] := i + 1
        evtchn_result := EVTCHN_ERESTART
    } else {
        evtchn_reset_finish(d)
    }
}

/// evtchn.xm's races instance: two pcpus, one usable port per domain, the toolstack operations on.
instance small { NDOM = 2, VPD = 2, NPCPU = 2, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_VIRQS = false,
                 EVTCHN_MASKING = false, EVTCHN_BLOCKING = false, EVTCHN_IPIS = false, EVTCHN_RACES = true }
