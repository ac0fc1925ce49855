/// Lemmas that make the physical-interrupt invariants (spec/irq.xm) and the event-channel ones
/// inductive for the composed irq model. Status: see docs/model.md.
model irq_proofs

include "../spec/irq.xm"

/// The lemmas of proofs/evtchn.xm, restated (a file cannot include both spec/irq.xm's instances
/// and proofs/evtchn.xm's without ambiguity, and they are short).
lemma evtchn_blocked_unmasked: forall v: VCpu :: evtchn_is_blocked(v) => !evtchn_vcpu[v].upcall_mask
/// See proofs/evtchn.xm.
lemma evtchn_blocked_no_upcall: forall v: VCpu :: evtchn_is_blocked(v) => !evtchn_vcpu[v].upcall_pending
/// See proofs/evtchn.xm: an INTERDOMAIN port is never its own peer.
lemma evtchn_not_own_peer: forall d: Dom, p: EvtchnPort ::
    evtchn_chan[d][p].state == ECS_INTERDOMAIN =>
      !(evtchn_chan[d][p].remote_dom == d && evtchn_chan[d][p].remote_port == p)
/// See proofs/evtchn.xm.
lemma evtchn_peer_not_port0: forall d: Dom, p: EvtchnPort ::
    evtchn_chan[d][p].state == ECS_INTERDOMAIN => ord(evtchn_chan[d][p].remote_port) != 0

/// A PIRQ port is never on a Xen-owned line. Needed for irq_xen_owned_never_bound together with
/// irq_guests_agree (the port table side).
lemma irq_pirq_not_xen: forall d: Dom, p: EvtchnPort ::
    evtchn_chan[d][p].state == ECS_PIRQ => !irq_xen_owned(evtchn_chan[d][p].pirq)

/// A line with no guests is in its reset state: not shareable, not masked, no EOI owed. Needed
/// for irq_exclusive_line and irq_masked_until_eoi when the first guest binds.
lemma irq_unbound_line_clean: forall i: Irq ::
    irq_guests[i] == {} => (!irq_shareable[i] && !irq_masked[i] && irq_eoi_pending[i] == {})

/// A bound PIRQ port's domain holds the mapping (the port-table side of irq_bound_has_access),
/// and a guest of a line has it mapped. Needed for irq_bound_has_access under irq_do_irq.
lemma irq_guest_mapped: forall d: Dom, i: Irq :: d in irq_guests[i] => irq_mapped[d][i]

// The instances of spec/irq.xm (included instances of two levels are ambiguous to the loader).
/// See spec/irq.xm.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 2, EVTCHN_VIRQS = false,
                 EVTCHN_IPIS = false, EVTCHN_MASKING = false, EVTCHN_ADMIN = false, EVTCHN_BLOCKING = false,
                 EVTCHN_DEATH = false }
/// See spec/irq.xm.
instance default { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 3, NIRQ = 3 }
/// See spec/irq.xm.
instance large { NDOM = 3, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 3, NIRQ = 3 }
