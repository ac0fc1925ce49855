/// Lemmas that make the physical-interrupt invariants (spec/irq.xm) and the event-channel ones
/// inductive for the composed irq model. Status: see docs/model.md.
model irq_proofs

include "../spec/irq.xm"
include "evtchn.xm"

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

/// The guests' view of a level line's outstanding EOIs (the ghost irq_owed) is Xen's bookkeeping
/// (irq_eoi_pending): both are set at the interrupt and lose a guest at its EOI or unbind, and the
/// timer clears both. Needed for irq_level_masked_until_all_eoi (masked exactly while EOIs are owed).
lemma irq_owed_is_pending: forall i: Irq :: irq_owed[i] == irq_eoi_pending[i]
