/// Lemmas for spec/evtchn_fifo.xm.
model evtchn_fifo_proofs

include "../spec/evtchn_fifo.xm"
include "evtchn.xm"

/// Port 0 is never linked.
lemma evtchn_fifo_port0_unlinked: forall d: Dom :: !evtchn_fifo_port[d][EvtchnPort(0)].linked

/// Xen's tail of a queue names a port whose lastq is that queue.
lemma evtchn_fifo_tail_lastq: forall v: VCpu, r: FifoPrio :: ord(evtchn_fifo_q[v][r].tail) != 0 =>
    evtchn_fifo_port[dom_of(v)][evtchn_fifo_q[v][r].tail].last_vcpu == vcpu_id(v)
    && evtchn_fifo_port[dom_of(v)][evtchn_fifo_q[v][r].tail].last_prio == r

/// An empty queue's tail is none or unlinked.
lemma evtchn_fifo_empty_tail_unlinked: forall v: VCpu, r: FifoPrio :: len(evtchn_fifo_q[v][r].events) == 0 =>
    (ord(evtchn_fifo_q[v][r].tail) == 0 || !evtchn_fifo_port[dom_of(v)][evtchn_fifo_q[v][r].tail].linked)

/// The expand step: num_evtchns lags the slots by one exactly during an expand_array.
lemma evtchn_fifo_expand_step: forall d: Dom ::
    (evtchn_fifo_step[d] == FS_EXPAND => evtchn_fifo_words[d] + 1 == evtchn_fifo_pages[d])
    && (evtchn_fifo_step[d] != FS_EXPAND => evtchn_fifo_words[d] == evtchn_fifo_pages[d])
