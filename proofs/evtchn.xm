/// Lemmas that make the event-channel invariants (spec/evtchn.xm) inductive: each one closes a
/// gap an induction step would otherwise fall into (a state that satisfies the invariants but is
/// not reachable). Status: see docs/model.md.
model evtchn_proofs

include "../spec/evtchn.xm"

/// A blocked vcpu has event delivery enabled: SCHEDOP_block clears the upcall mask and only a
/// running vcpu can set it again. Needed for evtchn_no_lost_wakeup: set_pending on a blocked vcpu
/// whose upcall_pending is already set does not kick, which is only safe if that cannot happen.
lemma evtchn_blocked_unmasked: forall v: VCpu :: evtchn_is_blocked(v) => !evtchn_vcpu[v].upcall_mask

/// Hence a blocked vcpu has no upcall pending at all. Needed for evtchn_no_lost_wakeup (same step).
lemma evtchn_blocked_no_upcall: forall v: VCpu :: evtchn_is_blocked(v) => !evtchn_vcpu[v].upcall_pending

/// An INTERDOMAIN end never points at port 0. Needed for evtchn_port0_reserved when a close
/// writes the peer (the peer must not be the reserved port).
lemma evtchn_peer_not_port0: forall d: Dom, p: EvtchnPort ::
    evtchn_chan[d][p].state == ECS_INTERDOMAIN => ord(evtchn_chan[d][p].remote_port) != 0

/// An INTERDOMAIN port is never its own peer: bind_interdomain allocates the local port fresh, so it
/// differs from the (already UNBOUND) remote port even when a domain binds to itself. Without this,
/// induction starts from an unreachable self-loop and close trips evtchn_close_peer_unbound.
lemma evtchn_not_own_peer: forall d: Dom, p: EvtchnPort ::
    evtchn_chan[d][p].state == ECS_INTERDOMAIN =>
      !(evtchn_chan[d][p].remote_dom == d && evtchn_chan[d][p].remote_port == p)

/// Fields outside a port's state are canonical: UNBOUND keeps remote_port 0 and no virq/pirq;
/// only VIRQ ports carry a virq, only PIRQ ports a pirq. Needed so that evtchn_free_is_clear and
/// the virq table invariants are preserved by state changes that write a single field.
lemma evtchn_canonical_fields: forall d: Dom, p: EvtchnPort ::
    (evtchn_chan[d][p].state != ECS_VIRQ => evtchn_chan[d][p].virq == VIRQ_TIMER)
    && (evtchn_chan[d][p].state != ECS_PIRQ => ord(evtchn_chan[d][p].pirq) == 0)
    && (evtchn_chan[d][p].state != ECS_INTERDOMAIN => ord(evtchn_chan[d][p].remote_port) == 0)

/// Port 0 is never pending or masked (nothing can signal it). Needed for
/// evtchn_pending_reaches_upcall and evtchn_port0_reserved under the guest actions.
lemma evtchn_port0_quiet: forall d: Dom ::
    !evtchn_chan[d][EvtchnPort(0)].pending && !evtchn_chan[d][EvtchnPort(0)].masked
    && evtchn_chan[d][EvtchnPort(0)].notify == 0

/// A per-vcpu VIRQ port is never rebound to another vcpu (bind_vcpu refuses it), and the virq
/// table has no entries for global / per-domain VIRQs on vcpus other than 0. Needed for
/// evtchn_virq_table_agrees under evtchn_bind_vcpu.
lemma evtchn_virq_entries_on_vcpu0: forall v: VCpu, q: EvtchnVirq ::
    (evtchn_virq_on_vcpu0(q) && vcpu_id(v) != 0) => ord(evtchn_virq_port[v][q]) == 0

/// A reset in progress never points past the table. Needed for evtchn_reset_step's EvtchnPort(i)
/// to stay in range. (A reset may be started on a dying domain; it then never continues.)
lemma evtchn_reset_cursor: forall d: Dom :: evtchn_reset_next[d] <= EVTCHN_NPORTS

/// A send in flight (EVTCHN_RACES) holds a sendable channel's lock, and its target is what the
/// state says: the channel itself for IPI, the canonical none for UNBOUND. Needed for
/// evtchn_free_is_clear and evtchn_port0_quiet at send_deliver (the pending bit set is on an open port).
lemma evtchn_inflight_send_target: forall p: PCpu :: evtchn_call[p].step == EV_SEND_LOCKED =>
    (evtchn_call[p].kind == ECS_INTERDOMAIN || evtchn_call[p].kind == ECS_IPI || evtchn_call[p].kind == ECS_UNBOUND) &&
    (evtchn_call[p].kind == ECS_IPI => evtchn_call[p].td == evtchn_call[p].d && evtchn_call[p].tp == evtchn_call[p].port) &&
    (evtchn_call[p].kind == ECS_UNBOUND => ord(evtchn_call[p].td) == 0 && ord(evtchn_call[p].tp) == 0)
