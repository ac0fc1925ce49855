/// Bug variant (D17's class for the FIFO ABI: a delivery path that ignores the guest's mask): the FIFO
/// set_pending links a MASKED event and raises the upcall for it, so the guest is interrupted for a
/// port it has masked.
/// The one change: evtchn_fifo_set_pending no longer tests MASKED.
/// Breaks: evtchn_fifo_masked_never_raises (properties.md D51).
/// Expected shortest trace: 7 steps (dom0 allocates a port for dom1, dom1 binds it, which leaves its
/// end pending, and masks it, initialises its control block and adds an event-array page, two steps
/// each: the page's re-raise links the masked port), in `mask`.
model evtchn_fifo_masked_links

include "../evtchn_fifo.xm"

/// evtchn_fifo_set_pending without the MASKED test.
@ref("xen/common/event_fifo.c:evtchn_fifo_set_pending")
override proc evtchn_fifo_set_pending(v: VCpu, d: Dom, p: EvtchnPort) {
    if !evtchn_fifo_has_word(d, p) {
        evtchn_chan[d][p].pending := true
    } else {
        evtchn_chan[d][p].pending := true
        let r = evtchn_fifo_port[d][p].prio
        if evtchn_fifo_cb_visible(v) && !evtchn_fifo_port[d][p].linked {
            evtchn_fifo_port[d][p].linked := true
            evtchn_fifo_link(v, d, p, r)
        }
    }
}

/// Masking on (the `mask` instance).
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_FIFO_PRIOS = 1,
                 EVTCHN_FIFO_WPP = 2, EVTCHN_VIRQS = false, EVTCHN_ADMIN = false, EVTCHN_BLOCKING = false,
                 EVTCHN_DEATH = false, EVTCHN_MASKING = true, EVTCHN_IPIS = false }
