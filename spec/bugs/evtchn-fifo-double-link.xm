/// Bug variant (the class of XSA-107's and XSA-358's queue corruption, written as the missing
/// test-and-set): the FIFO set_pending sets LINKED without testing it, so an event that is already
/// on a queue is linked a second time at the tail: its LINK now points back into the queue (a cycle
/// the guest follows for ever) and an event is on the queue twice.
/// The one change: evtchn_fifo_set_pending links an unmasked event whether or not it is LINKED.
/// Breaks: evtchn_fifo_linked_once (properties.md D50: a LINKED port is on exactly one queue, once).
/// Expected shortest trace: 8 steps (dom0 binds a loopback interdomain channel, ports 1 and 2, which
/// leaves port 2 pending, sends on port 2 so that port 1 is pending too, initialises its control block
/// and adds an event-array page, two steps each: the page's re-raise links both; then a send on port 2
/// links port 1 again), with two usable ports.
model evtchn_fifo_double_link

include "../evtchn_fifo.xm"

/// evtchn_fifo_set_pending without the LINKED test.
@ref("xen/common/event_fifo.c:evtchn_fifo_set_pending")
override proc evtchn_fifo_set_pending(v: VCpu, d: Dom, p: EvtchnPort) {
    if !evtchn_fifo_has_word(d, p) {
        evtchn_chan[d][p].pending := true
    } else {
        evtchn_chan[d][p].pending := true
        let r = evtchn_fifo_port[d][p].prio
        if evtchn_fifo_cb_visible(v) && !evtchn_chan[d][p].masked {
            evtchn_fifo_port[d][p].linked := true
            evtchn_fifo_link(v, d, p, r)
        }
    }
}

/// `small` with two usable ports in one event-array page.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 3, NIRQ = 1, EVTCHN_FIFO_PRIOS = 1,
                 EVTCHN_FIFO_WPP = 4, EVTCHN_VIRQS = false, EVTCHN_ADMIN = false, EVTCHN_BLOCKING = false,
                 EVTCHN_DEATH = false, EVTCHN_MASKING = false, EVTCHN_IPIS = false }
