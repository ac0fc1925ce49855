/// Bug variant: the split EVTCHNOP_send takes the channel's lock and goes on to deliver for a port
/// in any open state. evtchn_send switches on the state it read under the lock: INTERDOMAIN and IPI
/// deliver, UNBOUND drops the event, and every other state (VIRQ, PIRQ, ...) is -EINVAL (the
/// switch's default); the class of a state test missing from a hypercall's fast path, which lets a
/// guest "send" on a port Xen alone may raise.
/// The one change: evtchn_send_lock treats every open port as sendable.
/// Breaks: evtchn_xen_result (properties.md K41): Xen says -EINVAL for a VIRQ port.
/// Expected shortest trace: 1 step (dom0 binds a VIRQ), then the failing step (it sends on that port).
model evtchn_send_any_state

include "../evtchn.xm"

/// Send, step 1, without the state test.
@ref("xen/common/event_channel.c:evtchn_send")
override action evtchn_send_lock(cpu: PCpu, d: Dom, p: EvtchnPort) {
    let xen_rc = evtchn_xen_rc_send(d, p)
    require EVTCHN_RACES && evtchn_dom_active(d) && evtchn_call[cpu].step == EV_IDLE
    if !evtchn_port_is_valid(d, p) || !evtchn_open(d, p) {
        evtchn_result := EVTCHN_EINVAL
    } else {
        require evtchn_lock_free(d, p)
        let c = evtchn_chan[d][p]
        evtchn_call[cpu] := EvtchnCall { step: EV_SEND_LOCKED, d: d, port: p, kind: c.state,
            td: if c.state == ECS_INTERDOMAIN then c.remote_dom else if c.state == ECS_IPI then d else Dom(0),
            tp: if c.state == ECS_INTERDOMAIN then c.remote_port else if c.state == ECS_IPI then p else EvtchnPort(0) }
    }
    assert if evtchn_call[cpu].step == EV_SEND_LOCKED then xen_rc == EVTCHN_OK else evtchn_result == xen_rc,
        "evtchn_xen_result: the result is not the one Xen returns in that state"
}

/// Split senders with VIRQs on, one pcpu.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_VIRQS = true,
                 EVTCHN_MASKING = false, EVTCHN_BLOCKING = false, EVTCHN_IPIS = false, EVTCHN_ADMIN = false,
                 EVTCHN_DEATH = false, EVTCHN_RACES = true }
