/// Event channels with the FIFO ABI next to the 2-level one (xen/common/event_fifo.c). A domain starts
/// with the 2-level ABI of spec/evtchn.xm; its first EVTCHNOP_init_control switches it to FIFO
/// (d->evtchn_port_ops). A FIFO port has an event word (PENDING, MASKED, LINKED and the LINK to the
/// next event) in the domain's event array, whose pages the guest adds with EVTCHNOP_expand_array;
/// each vcpu has a control block (per-priority queue heads and the READY bits) that init_control maps.
/// Xen links a newly pending, unmasked, unlinked event at the tail of the queue of its vcpu and
/// priority, and raises the upcall when the queue was empty; the guest consumes events from the head.
/// Everything else (binding, closing, sending, the per-channel locks) is spec/evtchn.xm's, through its
/// port-level hooks, which this file overrides (the 2-level model is unchanged).
///
/// Abstractions (each also said where it is used):
/// - A queue is the sequence of ports its LINK fields chain from the head in the control block; Xen's
///   own record of the tail (q->tail) is kept beside it. "Acyclic" is then "no port twice".
/// - The PENDING and MASKED bits of the event word are the port's `pending` and `masked` fields of
///   spec/evtchn.xm (the 2-level bits while the domain is 2-level; evtchn->pending, the saved state,
///   while the port has no word yet). The BUSY bit and the cmpxchg loop of evtchn_fifo_set_link are
///   one atomic step; so is set_pending with its queue locks (no "too many queue changes" path).
/// - EVTCHN_FIFO_WPP event words per array page instead of 1024; the page's gfn, the control block's
///   offset and map_guest_page's failures are not modelled (no -EINVAL for a bad gfn or offset).
/// - Priorities 0 (highest) .. EVTCHN_FIFO_PRIOS - 1 (the lowest, also the default) instead of 0..15
///   with default 7.
/// - A port's priority is reset to the default when it is freed (Xen: evtchn_fifo_init when it is
///   allocated); set_priority on a FREE port is accepted and changes nothing (the next allocation would
///   reset it), which keeps free ports canonical.
/// - The FIFO hypercalls record no result: a refused call changes nothing (Xen's -errno is named in
///   a comment on its branch). A result variable multiplied the reachable states by 4.5.
/// - Two hypercalls run as two steps under d->event_lock, with the lock-free set_pending between them:
///   init_control (map_control_block writes the queue heads, then publishes the control block:
///   XSA-358) and expand_array (writes the array slot, then raises num_evtchns: XSA-359).
model evtchn_fifo

include "evtchn.xm"

/// Priority queues per vcpu (EVTCHN_FIFO_MAX_QUEUES is 16 in Xen).
const EVTCHN_FIFO_PRIOS: int[1..4] = 2
/// Event words per event-array page (EVTCHN_FIFO_EVENT_WORDS_PER_PAGE, 1024 in Xen).
const EVTCHN_FIFO_WPP: int[1..8] = 2

/// A queue's priority (0 is the highest: EVTCHN_FIFO_PRIORITY_MAX).
@ref("xen/include/public/event_channel.h:EVTCHN_FIFO_PRIORITY_MIN")
type FifoPrio = int[0..EVTCHN_FIFO_PRIOS - 1]
/// Event-array pages (0 .. EVTCHN_FIFO_MAX_EVENT_ARRAY_PAGES: enough for every port).
type FifoPages = int[0..(EVTCHN_NPORTS + EVTCHN_FIFO_WPP - 1) / EVTCHN_FIFO_WPP]

/// A vcpu's control block: not mapped, in the middle of map_control_block (between its two writes:
/// the queue heads, then the control_block pointer), or mapped.
@ref("xen/common/event_fifo.c:map_control_block")
enum FifoCb { CB_NONE, CB_HALF, CB_READY }

/// What d->event_lock covers across steps: nothing, an init_control between its two writes, an
/// expand_array between its two writes.
@ref("xen/common/event_fifo.c:evtchn_fifo_init_control")
enum FifoStep { FS_IDLE, FS_INIT, FS_EXPAND }

/// The FIFO part of a port (struct evtchn and its event word): LINKED, the priority, and the queue it
/// was last linked on (evtchn->fifo_lastq: last_vcpu_id, last_priority).
@ref("xen/common/event_fifo.c:evtchn_fifo_lastq")
record FifoPort { linked: bool, prio: FifoPrio, last_vcpu: int[0..VPD - 1], last_prio: FifoPrio }

/// One queue: the events its LINK fields chain from the head, and Xen's tail (0: none).
@ref("xen/common/event_fifo.c:evtchn_fifo_queue")
record FifoQueue { events: seq<EvtchnPort, EVTCHN_NPORTS>, tail: EvtchnPort }

/// The priority a port gets when it is bound (EVTCHN_FIFO_PRIORITY_DEFAULT).
@ref("xen/common/event_fifo.c:evtchn_fifo_init")
def evtchn_fifo_prio_default(): FifoPrio = EVTCHN_FIFO_PRIOS - 1
/// A port's FIFO record at start and after it is freed.
def evtchn_fifo_port_init(): FifoPort = FifoPort { linked: false, prio: evtchn_fifo_prio_default(), last_vcpu: 0,
    last_prio: 0 }
/// The most event-array pages (EVTCHN_FIFO_MAX_EVENT_ARRAY_PAGES).
def evtchn_fifo_max_pages(): int = (EVTCHN_NPORTS + EVTCHN_FIFO_WPP - 1) / EVTCHN_FIFO_WPP

/// Does d use the FIFO ABI (d->evtchn_fifo set and d->evtchn_port_ops switched)?
@ref("xen/common/event_fifo.c:evtchn_fifo_init_control")
var evtchn_fifo_on: Dom -> bool
/// d->event_lock held across the steps of an init_control or expand_array.
@ref("xen/common/event_fifo.c:evtchn_fifo_expand_array")
var evtchn_fifo_step: Dom -> FifoStep
/// Each vcpu's control block.
@ref("xen/common/event_fifo.c:map_control_block")
var evtchn_fifo_cb: VCpu -> FifoCb
/// Event-array slots filled (d->evtchn_fifo->event_array[]).
@ref("xen/common/event_fifo.c:add_page_to_event_array")
var evtchn_fifo_pages: Dom -> FifoPages
/// d->evtchn_fifo->num_evtchns, in pages: the ports below words * WPP have an event word.
@ref("xen/common/event_fifo.c:evtchn_fifo_word_from_port")
var evtchn_fifo_words: Dom -> FifoPages
/// Each port's FIFO record.
var evtchn_fifo_port: Dom -> EvtchnPort -> FifoPort = [d: Dom -> [p: EvtchnPort -> evtchn_fifo_port_init()]]
/// Each vcpu's queues, by priority.
@ref("xen/common/event_fifo.c:evtchn_fifo_vcpu")
var evtchn_fifo_q: VCpu -> FifoPrio -> FifoQueue
/// The READY bits of each vcpu's control block, by priority.
@ref("xen/include/public/event_channel.h:evtchn_fifo_control_block")
var evtchn_fifo_ready: VCpu -> FifoPrio -> bool
/// Ghost (properties.md D51): set_pending on a MASKED port linked it, set a READY bit or an
/// upcall-pending flag (never, in Xen's FIFO ABI).
var evtchn_fifo_raised_masked: bool

// ---------------------------------------------------------------------------------------------
// Helpers

/// evtchn_fifo_word_from_port: does port p of d have an event word (below num_evtchns)?
@ref("xen/common/event_fifo.c:evtchn_fifo_word_from_port")
def evtchn_fifo_has_word(d: Dom, p: EvtchnPort): bool = ord(p) < evtchn_fifo_words[d] * EVTCHN_FIFO_WPP
/// Does set_pending see v's control block (v->evtchn_fifo->control_block set)? Only once
/// map_control_block has published it, after the queue heads.
@ref("xen/common/event_fifo.c:evtchn_fifo_set_pending")
def evtchn_fifo_cb_visible(v: VCpu): bool = evtchn_fifo_cb[v] == CB_READY
/// The queue a port was last linked on (old_q).
def evtchn_fifo_last_vcpu(d: Dom, p: EvtchnPort): VCpu = evtchn_vcpu_of(d, evtchn_fifo_port[d][p].last_vcpu)
/// Is some queue of v ready?
def evtchn_fifo_any_ready(v: VCpu): bool = exists r: FifoPrio :: evtchn_fifo_ready[v][r]
/// The highest priority with a READY bit set (the guest consumes it first); 0 if none.
def evtchn_fifo_top(v: VCpu): FifoPrio =
    if evtchn_fifo_any_ready(v) then
        (sum r: FifoPrio where evtchn_fifo_ready[v][r] && (forall s: FifoPrio :: s < r => !evtchn_fifo_ready[v][s]) :: r)
    else 0
/// How many times port p of d is on a queue of d's vcpus.
def evtchn_fifo_occurrences(d: Dom, p: EvtchnPort): int =
    sum v: VCpu where dom_of(v) == d :: (sum r: FifoPrio :: count(evtchn_fifo_q[v][r].events, p))

// ---------------------------------------------------------------------------------------------
// Delivery (FIFO ABI)

/// evtchn_fifo_set_link's effect: the tail's LINK now names port, so port follows the tail on the
/// list the tail ends (in Xen, the tail of q; a stale tail on another queue is what old-queue
/// tracking prevents).
@ref("xen/common/event_fifo.c:evtchn_fifo_set_link")
proc evtchn_fifo_link_after(d: Dom, t: EvtchnPort, p: EvtchnPort) {
    assert exists v: VCpu, r: FifoPrio :: dom_of(v) == d && len(evtchn_fifo_q[v][r].events) > 0
        && last(evtchn_fifo_q[v][r].events) == t,
        "evtchn_fifo_set_link: the linked tail Xen writes is not the last event of a queue"
    choose v: VCpu where dom_of(v) == d {
        choose r: FifoPrio where len(evtchn_fifo_q[v][r].events) > 0 && last(evtchn_fifo_q[v][r].events) == t {
            evtchn_fifo_q[v][r].events := evtchn_fifo_q[v][r].events ++ [p]
        }
    }
}

/// evtchn_fifo_set_pending for port p of d at vcpu v: without an event word only the pending state
/// is saved; else set PENDING; with no control block visible the event is dropped; else, if the
/// port is not MASKED and LINKED was clear: set LINKED, invalidate the old queue's tail if it is this
/// port, record the new queue in lastq, link at q's tail (or make it q's head when q's tail is not
/// linked: the queue is empty), and for a new head set q's READY bit and raise the upcall.
@ref("xen/common/event_fifo.c:evtchn_fifo_set_pending")
proc evtchn_fifo_set_pending(v: VCpu, d: Dom, p: EvtchnPort) {
    if !evtchn_fifo_has_word(d, p) {
        evtchn_chan[d][p].pending := true
    } else {
        evtchn_chan[d][p].pending := true
        let r = evtchn_fifo_port[d][p].prio
        if evtchn_fifo_cb_visible(v) && !evtchn_chan[d][p].masked && !evtchn_fifo_port[d][p].linked {
            evtchn_fifo_port[d][p].linked := true
            evtchn_fifo_link(v, d, p, r)
        }
    }
}

/// The linking part of set_pending (queue locks of q and old_q held): old-queue tracking, then the
/// tail link or the new head.
@ref("xen/common/event_fifo.c:evtchn_fifo_set_pending")
proc evtchn_fifo_link(v: VCpu, d: Dom, p: EvtchnPort, r: FifoPrio) {
    let ov = evtchn_fifo_last_vcpu(d, p)
    let orr = evtchn_fifo_port[d][p].last_prio
    if evtchn_fifo_q[ov][orr].tail == p {
        evtchn_fifo_q[ov][orr].tail := EvtchnPort(0)
    }
    evtchn_fifo_port[d][p].last_vcpu := vcpu_id(v)
    evtchn_fifo_port[d][p].last_prio := r
    let t = evtchn_fifo_q[v][r].tail
    if ord(t) != 0 && evtchn_fifo_port[d][t].linked {
        evtchn_fifo_link_after(d, t, p)
    } else {
        // q is empty here, so its READY bit is clear (D52): Xen's test_and_set always sets it (the
        // guest's clearing of READY, which Xen's test guards against, is atomic with its last consume)
        evtchn_fifo_q[v][r].events := [p]
        evtchn_fifo_ready[v][r] := true
        evtchn_mark_events_pending(v)
    }
    evtchn_fifo_q[v][r].tail := p
}

/// The port ops of d's ABI (evtchn_port_set_pending). Around the FIFO set_pending it keeps the ghost
/// of properties.md D51: the call on a MASKED port must link nothing and leave every READY bit and
/// upcall-pending flag as they were.
@ref("xen/common/event_channel.c:evtchn_port_set_pending")
override proc evtchn_port_ops_set_pending(d: Dom, p: EvtchnPort) {
    if evtchn_fifo_on[d] {
        let was_masked = evtchn_chan[d][p].masked
        let linked = evtchn_fifo_port[d][p].linked
        let ready = [v: VCpu -> [r: FifoPrio -> evtchn_fifo_ready[v][r]]]
        let upc = [v: VCpu -> evtchn_vcpu[v].upcall_pending]
        evtchn_fifo_set_pending(evtchn_vcpu_of(d, evtchn_chan[d][p].notify), d, p)
        evtchn_fifo_raised_masked := evtchn_fifo_raised_masked || (was_masked &&
            (evtchn_fifo_port[d][p].linked != linked
             || (exists v: VCpu :: evtchn_vcpu[v].upcall_pending != upc[v]
                 || (exists r: FifoPrio :: evtchn_fifo_ready[v][r] != ready[v][r]))))
    } else {
        evtchn_2l_set_pending(d, p)
    }
}

/// evtchn_fifo_unmask: without an event word nothing; else clear MASKED and relink if PENDING.
@ref("xen/common/event_fifo.c:evtchn_fifo_unmask")
override proc evtchn_port_ops_unmask(d: Dom, p: EvtchnPort) {
    if !evtchn_fifo_on[d] {
        evtchn_unmask_port(d, p)
    } else if evtchn_fifo_has_word(d, p) {
        evtchn_chan[d][p].masked := false
        if evtchn_chan[d][p].pending {
            evtchn_fifo_set_pending(evtchn_vcpu_of(d, evtchn_chan[d][p].notify), d, p)
        }
    }
}

/// Freeing a port (evtchn_fifo_clear_pending has cleared PENDING with the channel): LINKED stays
/// (the guest unlinks it and ignores it, not pending), so does lastq; the priority goes back to the
/// default (Xen: evtchn_fifo_init at the next allocation).
@ref("xen/common/event_fifo.c:evtchn_fifo_clear_pending")
@ref("xen/common/event_fifo.c:evtchn_fifo_init")
override proc evtchn_port_freed(d: Dom, p: EvtchnPort) {
    evtchn_fifo_port[d][p].prio := evtchn_fifo_prio_default()
}

/// The guest's upcall handler on a FIFO domain (Linux's evtchn_fifo_handle_events, one event per
/// step): take the head of the highest-priority READY queue, clear its LINKED bit (the head moves to
/// its LINK), clear PENDING if it is pending and not MASKED (the event is handled), clear the READY
/// bit of a queue left empty; once no queue is READY the handler returns (upcall-pending cleared).
@ref("xen/include/public/event_channel.h:evtchn_fifo_control_block")
override proc evtchn_guest_handle_events(v: VCpu) {
    if !evtchn_fifo_on[dom_of(v)] {
        evtchn_vcpu[v].upcall_pending := false
        evtchn_vcpu[v].sel := false
        foreach p: EvtchnPort where evtchn_chan[dom_of(v)][p].pending && !evtchn_chan[dom_of(v)][p].masked {
            evtchn_chan[dom_of(v)][p].pending := false
        }
    } else {
        if evtchn_fifo_any_ready(v) {
            evtchn_fifo_consume(v, evtchn_fifo_top(v))
        }
        if !evtchn_fifo_any_ready(v) {
            evtchn_vcpu[v].upcall_pending := false
            evtchn_vcpu[v].sel := false
        }
    }
}

/// Consume the head of v's queue r (Linux's consume_one_event).
@ref("xen/include/public/event_channel.h:EVTCHN_FIFO_LINKED")
proc evtchn_fifo_consume(v: VCpu, r: FifoPrio) {
    let d = dom_of(v)
    let p = head(evtchn_fifo_q[v][r].events)
    evtchn_fifo_q[v][r].events := tail(evtchn_fifo_q[v][r].events)
    evtchn_fifo_port[d][p].linked := false
    if evtchn_chan[d][p].pending && !evtchn_chan[d][p].masked {
        evtchn_chan[d][p].pending := false
    }
    if len(evtchn_fifo_q[v][r].events) == 0 {
        evtchn_fifo_ready[v][r] := false
    }
}

// ---------------------------------------------------------------------------------------------
// Hypercalls (EVTCHNOP_init_control, expand_array, set_priority)

/// EVTCHNOP_init_control, step 1 (under d->event_lock): no such vcpu is -ENOENT; a control block
/// already mapped is -EINVAL (map_control_block); else setup_control_block for every vcpu of d on the
/// first call (their queues are empty already) and map the page: write the queue heads.
@ref("xen/common/event_fifo.c:evtchn_fifo_init_control")
action evtchn_fifo_init_control(d: Dom, id: EvtchnVcpuId) {
    require evtchn_dom_active(d) && evtchn_fifo_step[d] == FS_IDLE
    if id >= VPD {
        // -ENOENT: nothing changes
    } else if evtchn_fifo_cb[evtchn_vcpu_of(d, id)] != CB_NONE {
        // -EINVAL: nothing changes
    } else {
        evtchn_fifo_cb_first_write(evtchn_vcpu_of(d, id))
        evtchn_fifo_step[d] := FS_INIT
    }
}

/// map_control_block's first write: the queue heads (they point into the page; set_pending does not
/// see the control block yet).
@ref("xen/common/event_fifo.c:map_control_block")
proc evtchn_fifo_cb_first_write(v: VCpu) {
    evtchn_fifo_cb[v] := CB_HALF
}

/// EVTCHNOP_init_control, step 2: publish the control block (after the heads, XSA-358's order); on the
/// first call, switch the domain to the FIFO port ops (setup_ports keeps each bound port's pending
/// state and gives it the default priority, which every port has under the 2-level ABI); unlock.
@ref("xen/common/event_fifo.c:evtchn_fifo_init_control")
@ref("xen/common/event_fifo.c:setup_ports")
action evtchn_fifo_init_control_done(v: VCpu) {
    require evtchn_fifo_step[dom_of(v)] == FS_INIT && evtchn_fifo_cb[v] == CB_HALF
    evtchn_fifo_cb[v] := CB_READY
    evtchn_fifo_on[dom_of(v)] := true
    evtchn_fifo_step[dom_of(v)] := FS_IDLE
}

/// EVTCHNOP_expand_array, step 1: -EOPNOTSUPP on a 2-level domain; -ENOSPC with every slot filled;
/// else take d->event_lock and map the guest's page into the next slot.
@ref("xen/common/event_fifo.c:evtchn_fifo_expand_array")
@ref("xen/common/event_fifo.c:add_page_to_event_array")
action evtchn_fifo_expand_array(d: Dom) {
    require evtchn_dom_active(d) && evtchn_fifo_step[d] == FS_IDLE
    if !evtchn_fifo_on[d] {
        // -EOPNOTSUPP: nothing changes
    } else if evtchn_fifo_pages[d] >= evtchn_fifo_max_pages() {
        // -ENOSPC: nothing changes
    } else {
        evtchn_fifo_array_first_write(d)
        evtchn_fifo_step[d] := FS_EXPAND
    }
}

/// add_page_to_event_array's first write: event_array[slot] (then smp_wmb).
@ref("xen/common/event_fifo.c:add_page_to_event_array")
proc evtchn_fifo_array_first_write(d: Dom) {
    evtchn_fifo_pages[d] := evtchn_fifo_pages[d] + 1
}

/// add_page_to_event_array's second write: num_evtchns covers the new page.
@ref("xen/common/event_fifo.c:add_page_to_event_array")
proc evtchn_fifo_array_second_write(d: Dom) {
    evtchn_fifo_words[d] := evtchn_fifo_words[d] + 1
}

/// EVTCHNOP_expand_array, step 2: raise num_evtchns, re-raise the events that were pending while the
/// page was missing (at each port's notify vcpu), unlock.
@ref("xen/common/event_fifo.c:add_page_to_event_array")
action evtchn_fifo_expand_array_done(d: Dom) {
    require evtchn_fifo_step[d] == FS_EXPAND
    let first = evtchn_fifo_words[d] * EVTCHN_FIFO_WPP
    evtchn_fifo_array_second_write(d)
    foreach p: EvtchnPort where ord(p) >= first && ord(p) < first + EVTCHN_FIFO_WPP && evtchn_chan[d][p].pending {
        evtchn_port_ops_set_pending(d, p)
    }
    evtchn_fifo_step[d] := FS_IDLE
}

/// EVTCHNOP_set_priority (under the channel's lock): -ENOSYS on a 2-level domain (no set_priority
/// op), -EINVAL above EVTCHN_FIFO_PRIORITY_MIN (pr = EVTCHN_FIFO_PRIOS stands for any such value);
/// else the port's priority: only future events go to the new queue (a linked event stays where it
/// is). A FREE port keeps the default (see the header). Every port of the model is valid.
@ref("xen/common/event_channel.c:evtchn_set_priority")
@ref("xen/common/event_fifo.c:evtchn_fifo_set_priority")
action evtchn_fifo_set_priority(d: Dom, p: EvtchnPort, pr: int[0..EVTCHN_FIFO_PRIOS]) {
    require evtchn_dom_active(d) && evtchn_lock_free(d, p)
    if !evtchn_fifo_on[d] {
        // -ENOSYS: nothing changes
    } else if pr >= EVTCHN_FIFO_PRIOS {
        // -EINVAL: nothing changes
    } else {
        if evtchn_chan[d][p].state != ECS_FREE {
            evtchn_fifo_port[d][p].prio := pr
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Invariants (properties.md D50-D52)

/// D50 (isolation): a queue of a vcpu of d holds only ports of d's event array that are LINKED and
/// whose lastq names that queue (so Xen's old-queue tracking finds it): a guest's queue never links
/// another domain's port, nor one Xen thinks is elsewhere.
@ref("xen/common/event_fifo.c:evtchn_fifo_set_pending")
invariant evtchn_fifo_queue_own_linked: forall v: VCpu, r: FifoPrio, p: EvtchnPort ::
    p in evtchn_fifo_q[v][r].events =>
        (evtchn_fifo_port[dom_of(v)][p].linked && evtchn_fifo_port[dom_of(v)][p].last_vcpu == vcpu_id(v)
         && evtchn_fifo_port[dom_of(v)][p].last_prio == r)

/// D50: a LINKED port is on exactly one queue of its domain, once (so no queue is cyclic); an
/// unlinked port is on none.
@ref("xen/common/event_fifo.c:evtchn_fifo_set_pending")
invariant evtchn_fifo_linked_once: forall d: Dom, p: EvtchnPort ::
    evtchn_fifo_occurrences(d, p) == (if evtchn_fifo_port[d][p].linked then 1 else 0)

/// D51 (D17 for FIFO): a MASKED port never raises the upcall: setting it pending links nothing, sets
/// no READY bit and no upcall-pending flag; only the unmask relinks it.
@ref("xen/common/event_fifo.c:evtchn_fifo_set_pending")
invariant evtchn_fifo_masked_never_raises: !evtchn_fifo_raised_masked

/// D52: each queue is well formed: a non-empty queue ends at Xen's tail; its READY bit is set exactly
/// when it is non-empty, and a READY bit comes with upcall-pending; only a vcpu whose control block is
/// mapped (heads set, pointer published) has a non-empty queue.
@ref("xen/common/event_fifo.c:evtchn_fifo_set_pending")
@ref("xen/common/event_fifo.c:map_control_block")
invariant evtchn_fifo_queue_well_formed: forall v: VCpu, r: FifoPrio ::
    (len(evtchn_fifo_q[v][r].events) > 0 => (last(evtchn_fifo_q[v][r].events) == evtchn_fifo_q[v][r].tail
                                             && evtchn_fifo_cb[v] == CB_READY))
    && (evtchn_fifo_ready[v][r] == (len(evtchn_fifo_q[v][r].events) > 0))
    && (evtchn_fifo_ready[v][r] => evtchn_vcpu[v].upcall_pending)

/// D52: every port below num_evtchns has its event-array page (evtchn_fifo_word_from_port never
/// reads an empty slot: XSA-359).
@ref("xen/common/event_fifo.c:evtchn_fifo_word_from_port")
invariant evtchn_fifo_words_mapped: forall d: Dom :: evtchn_fifo_words[d] <= evtchn_fifo_pages[d]

/// D52: a 2-level domain has no FIFO state: no control block mapped (one may be half-way), no array
/// page, nothing linked.
@ref("xen/common/event_fifo.c:evtchn_fifo_init_control")
invariant evtchn_fifo_off_is_clear: forall d: Dom :: !evtchn_fifo_on[d] =>
    (evtchn_fifo_pages[d] == 0 && (forall p: EvtchnPort :: !evtchn_fifo_port[d][p].linked)
     && (forall v: VCpu :: dom_of(v) == d => evtchn_fifo_cb[v] != CB_READY))

/// D19's safety half, for 2-level domains only (a FIFO domain has no selector: D52 states its queues).
@ref("xen/common/event_2l.c:evtchn_2l_unmask")
override invariant evtchn_pending_reaches_upcall: forall d: Dom, p: EvtchnPort ::
    (!evtchn_fifo_on[d] && evtchn_chan[d][p].pending && !evtchn_chan[d][p].masked) =>
        (exists v: VCpu :: dom_of(v) == d && evtchn_vcpu[v].sel)

/// D19 for both ABIs: a 2-level event as in spec/evtchn.xm; a FIFO event linked on a queue of the
/// highest priority (0) of a vcpu with events enabled, pending and unmasked. Lower priorities may
/// wait for ever while higher-priority events keep coming: the FIFO ABI's design, not a bug.
override def evtchn_deliverable(d: Dom, p: EvtchnPort): bool =
    evtchn_chan[d][p].pending && !evtchn_chan[d][p].masked && !evtchn_is_dying(d)
    && (if evtchn_fifo_on[d]
        then (exists v: VCpu :: dom_of(v) == d && p in evtchn_fifo_q[v][0].events && !evtchn_vcpu[v].upcall_mask)
        else !(exists v: VCpu :: dom_of(v) == d && evtchn_vcpu[v].sel && evtchn_vcpu[v].upcall_mask))

// ---------------------------------------------------------------------------------------------
// Instances (state counts and times: docs/model.md, section "Event channels: the FIFO ABI")

/// Exhaustive core: 2 domains with 1 vcpu each, one usable port per domain (port 1), one event-array
/// page, one priority; interdomain channels, no IPIs, no masking, no VIRQs, no toolstack operations,
/// no blocking, no domain death. Holds: 10,590 states, depth 18, 3 s.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_FIFO_PRIOS = 1,
                 EVTCHN_FIFO_WPP = 2, EVTCHN_VIRQS = false, EVTCHN_ADMIN = false, EVTCHN_BLOCKING = false,
                 EVTCHN_DEATH = false, EVTCHN_MASKING = false, EVTCHN_IPIS = false }
/// `small` with two priorities (set_priority moves a port between queues: old-queue tracking).
/// Holds: 135,448 states, depth 24, 43 s.
instance prio { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_FIFO_PRIOS = 2,
                EVTCHN_FIFO_WPP = 2, EVTCHN_VIRQS = false, EVTCHN_ADMIN = false, EVTCHN_BLOCKING = false,
                EVTCHN_DEATH = false, EVTCHN_MASKING = false, EVTCHN_IPIS = false }
/// `small` with masking (MASKED ports, EVTCHNOP_unmask, the upcall mask; D51).
/// Holds: 183,156 states, depth 22, 64 s.
instance mask { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_FIFO_PRIOS = 1,
                EVTCHN_FIFO_WPP = 2, EVTCHN_VIRQS = false, EVTCHN_ADMIN = false, EVTCHN_BLOCKING = false,
                EVTCHN_DEATH = false, EVTCHN_MASKING = true, EVTCHN_IPIS = false }
/// `small` with two usable ports in one page: two events on one queue (the tail link, a consume
/// that leaves the queue non-empty). Holds: 993,840 states, depth 25, 212 s.
instance two_ports { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 3, NIRQ = 1, EVTCHN_FIFO_PRIOS = 1,
                     EVTCHN_FIFO_WPP = 4, EVTCHN_VIRQS = false, EVTCHN_ADMIN = false, EVTCHN_BLOCKING = false,
                     EVTCHN_DEATH = false, EVTCHN_MASKING = false, EVTCHN_IPIS = false }
/// Two vcpus per domain and IPIs (a port on a vcpu without a control block: XSA-107, XSA-358).
instance vcpus { NDOM = 2, VPD = 2, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_FIFO_PRIOS = 1,
                 EVTCHN_FIFO_WPP = 2, EVTCHN_VIRQS = false, EVTCHN_ADMIN = false, EVTCHN_BLOCKING = false,
                 EVTCHN_DEATH = false, EVTCHN_MASKING = false, EVTCHN_IPIS = true }
/// Everything on: 2 vcpus per domain, two usable ports, two array pages, two priorities (BMC,
/// simulation).
instance default { NDOM = 2, VPD = 2, NPCPU = 1, EVTCHN_NPORTS = 3, NIRQ = 1, EVTCHN_FIFO_PRIOS = 2,
                   EVTCHN_FIFO_WPP = 2 }
/// 3 domains with 2 vcpus each, three usable ports, two pages, three priorities (benchmarks).
instance large { NDOM = 3, VPD = 2, NPCPU = 1, EVTCHN_NPORTS = 4, NIRQ = 1, EVTCHN_FIFO_PRIOS = 3,
                 EVTCHN_FIFO_WPP = 2 }
/// Coverage (tests/test_spec_coverage.py): one domain whose channels loop back to itself, three ports
/// in one page, masking on: the tail link, a consume that leaves a queue non-empty, the FIFO unmask.
/// Holds: 5,652 states, depth 16.
instance cover_mask { NDOM = 1, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 3, NIRQ = 1, EVTCHN_FIFO_PRIOS = 1,
                      EVTCHN_FIFO_WPP = 4, EVTCHN_VIRQS = false, EVTCHN_ADMIN = false,
                      EVTCHN_BLOCKING = false, EVTCHN_DEATH = false, EVTCHN_MASKING = true,
                      EVTCHN_IPIS = false }
/// Coverage: the same domain on two pcpus with the split send (EVTCHN_RACES) and two priorities, so
/// that set_priority finds the channel's lock taken. Holds: 49,416 states, depth 21.
instance cover_races { NDOM = 1, VPD = 1, NPCPU = 2, EVTCHN_NPORTS = 3, NIRQ = 1, EVTCHN_FIFO_PRIOS = 2,
                       EVTCHN_FIFO_WPP = 4, EVTCHN_VIRQS = false, EVTCHN_ADMIN = false,
                       EVTCHN_BLOCKING = false, EVTCHN_DEATH = false, EVTCHN_MASKING = false,
                       EVTCHN_IPIS = false, EVTCHN_RACES = true }
