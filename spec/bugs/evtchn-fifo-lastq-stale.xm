/// Bug variant (old-queue tracking, the class of XSA-358/XSA-359's queue corruption; no XSA of its own:
/// the FIFO ABI fixes of November 2013, before its release, added evtchn->last_vcpu_id and
/// last_priority for it): set_pending links an event on a queue other than the one it was last on
/// (after a set_priority or a bind_vcpu) without recording the new queue, so the next set_pending
/// locks and invalidates the tail of the wrong queue, and a later link may corrupt the queue the event
/// is really on.
/// The one change: the link does not write fifo_lastq when the event moves to another queue.
/// Breaks: evtchn_fifo_queue_own_linked (properties.md D50: every event on a queue is recorded as
/// being on that queue).
/// Expected shortest trace: 6 steps (dom0 allocates a port for dom1, dom1 binds it, which leaves its
/// end pending, initialises its control block and adds an event-array page, two steps each: the
/// page's re-raise links the port on the default-priority queue, not the one lastq starts with), in
/// `prio`.
model evtchn_fifo_lastq_stale

include "../evtchn_fifo.xm"

/// The linking part of set_pending without the lastq update.
@ref("xen/common/event_fifo.c:evtchn_fifo_set_pending")
override proc evtchn_fifo_link(v: VCpu, d: Dom, p: EvtchnPort, r: FifoPrio) {
    let ov = evtchn_fifo_last_vcpu(d, p)
    let orr = evtchn_fifo_port[d][p].last_prio
    if evtchn_fifo_q[ov][orr].tail == p {
        evtchn_fifo_q[ov][orr].tail := EvtchnPort(0)
    }
    let t = evtchn_fifo_q[v][r].tail
    if ord(t) != 0 && evtchn_fifo_port[d][t].linked {
        evtchn_fifo_link_after(d, t, p)
    } else {
        evtchn_fifo_q[v][r].events := [p]
        evtchn_fifo_ready[v][r] := true
        evtchn_mark_events_pending(v)
    }
    evtchn_fifo_q[v][r].tail := p
}

/// Two priorities (the `prio` instance).
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_FIFO_PRIOS = 2,
                 EVTCHN_FIFO_WPP = 2, EVTCHN_VIRQS = false, EVTCHN_ADMIN = false, EVTCHN_BLOCKING = false,
                 EVTCHN_DEATH = false, EVTCHN_MASKING = false, EVTCHN_IPIS = false }
