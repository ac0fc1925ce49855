/// Bug variant: the 2-level set_pending raises the selector and the upcall without looking at the
/// port's mask bit (the class of a delivery path that ignores the guest's mask: the guest is
/// interrupted for a port it has masked, e.g. while it is reconfiguring that channel).
/// The one change: evtchn_2l_set_pending no longer tests the mask bit.
/// Breaks: evtchn_masked_never_raises (properties.md D17).
/// Expected shortest trace: 4 steps (dom0 allocates an unbound port for dom1, dom1 binds it, dom0
/// masks its end, dom1 sends), in an instance with masking on.
model evtchn_masked_port_raises

include "../evtchn.xm"

/// evtchn_2l_set_pending without the mask test.
@ref("xen/common/event_2l.c:evtchn_2l_set_pending")
override proc evtchn_2l_set_pending(d: Dom, p: EvtchnPort) {
    let v = evtchn_vcpu_of(d, evtchn_chan[d][p].notify)
    if !evtchn_chan[d][p].pending {
        evtchn_chan[d][p].pending := true
        if !evtchn_vcpu[v].sel {
            evtchn_vcpu[v].sel := true
            evtchn_mark_events_pending(v)
        }
    }
}

/// Masking on, the rest of `small`'s switches off.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_ADMIN = false,
                 EVTCHN_MASKING = true, EVTCHN_VIRQS = false, EVTCHN_IPIS = false, EVTCHN_DEATH = false,
                 EVTCHN_BLOCKING = false }
