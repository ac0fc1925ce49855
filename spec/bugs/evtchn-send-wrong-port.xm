/// Bug: EVTCHNOP_send on an interdomain port signals the peer domain's port with the sender's own
/// port number instead of u.interdomain.remote_port (a local/remote mix-up), setting pending
/// state on a port the sender is not bound to.
/// The one change: evtchn_do_send uses (remote_dom, p) instead of (remote_dom, remote_port).
/// Breaks: the step property evtchn_send_only_peer (properties.md D14), an assert in evtchn_send.
model evtchn_send_wrong_port

include "../evtchn.xm"

/// evtchn_send with the local port number used at the peer.
@ref("xen/common/event_channel.c:evtchn_send")
override proc evtchn_do_send(d: Dom, p: EvtchnPort) {
    let c = evtchn_chan[d][p]
    if !evtchn_port_is_valid(d, p) {
        evtchn_result := EVTCHN_EINVAL
    } else if c.state == ECS_INTERDOMAIN {
        evtchn_set_pending(c.remote_dom, p)
        evtchn_result := EVTCHN_OK
    } else if c.state == ECS_IPI {
        evtchn_set_pending(d, p)
        evtchn_result := EVTCHN_OK
    } else if c.state == ECS_UNBOUND {
        evtchn_result := EVTCHN_OK
    } else {
        evtchn_result := EVTCHN_EINVAL
    }
}

/// Two usable ports per domain (the two port numbers must be able to differ); core only.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 3, NIRQ = 1, EVTCHN_VIRQS = false,
                 EVTCHN_MASKING = false, EVTCHN_ADMIN = false, EVTCHN_DEATH = false, EVTCHN_BLOCKING = false }
