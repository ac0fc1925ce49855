/// Lemmas for spec/evtchn_fifo.xm (the FIFO event-channel ABI over spec/evtchn.xm). The 2-level
/// ABI's lemmas come from proofs/evtchn.xm; the three below are about the queues' tails and the event
/// array. `xenmodel prove spec/evtchn_fifo.xm --lemmas proofs/evtchn_fifo.xm` holds at `default`.
model evtchn_fifo_proofs

include "../spec/evtchn_fifo.xm"
include "evtchn.xm"

/// Port 0 is never LINKED: no event is ever raised on the reserved port (evtchn_port_set_pending runs
/// only on bound ports). Needed for evtchn_fifo_linked_once under every set_pending path (send,
/// bind_interdomain, unmask, the VIRQs, expand_array_done): q->tail == 0 means "no tail", so with port 0
/// the last event of a queue, set_pending would take the queue for empty, make the new port its head
/// and drop port 0 from the queue while it stays LINKED.
@ref("xen/common/event_fifo.c:evtchn_fifo_set_pending")
lemma evtchn_fifo_port0_unlinked: forall d: Dom :: !evtchn_fifo_port[d][EvtchnPort(0)].linked

/// A queue's tail, when set, is a port whose lastq names that queue: set_pending records the queue in
/// the port's lastq as it makes the port the tail, and clears the old queue's tail when it moves the
/// port elsewhere ("if ( old_q->tail == port ) old_q->tail = 0"). With the invariants (a LINKED port is
/// on its lastq's queue, once) it makes the tail of an empty queue none or an unlinked port ("If the
/// tail is unlinked the queue is empty"). Needed for evtchn_fifo_queue_well_formed under every
/// set_pending path (the CTI of evtchn_send_vcpu_virq: an empty queue whose tail is a port LINKED on
/// another queue, so set_pending links the new port there and leaves this queue empty with its tail
/// and no READY bit) and for evtchn_fifo_link_after's assert (the tail Xen links after is the last
/// event of a queue).
@ref("xen/common/event_fifo.c:evtchn_fifo_set_pending")
lemma evtchn_fifo_tail_lastq: forall v: VCpu, r: FifoPrio :: ord(evtchn_fifo_q[v][r].tail) != 0 =>
    evtchn_fifo_port[dom_of(v)][evtchn_fifo_q[v][r].tail].last_vcpu == vcpu_id(v)
    && evtchn_fifo_port[dom_of(v)][evtchn_fifo_q[v][r].tail].last_prio == r

/// num_evtchns lags the filled slots by one page exactly while an expand_array holds d->event_lock
/// between its two writes, and equals them otherwise. Needed for evtchn_fifo_words_mapped under
/// evtchn_fifo_expand_array_done (its second write raises num_evtchns by a page).
@ref("xen/common/event_fifo.c:add_page_to_event_array")
lemma evtchn_fifo_expand_step: forall d: Dom ::
    (evtchn_fifo_step[d] == FS_EXPAND => evtchn_fifo_words[d] + 1 == evtchn_fifo_pages[d])
    && (evtchn_fifo_step[d] != FS_EXPAND => evtchn_fifo_words[d] == evtchn_fifo_pages[d])
