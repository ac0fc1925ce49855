/// Bug variant: the first guest's EOI on a shared level-triggered line drops every guest's
/// outstanding EOI (the class of Xen's shared-line EOI bookkeeping, desc_guest_eoi /
/// pirq_guest_eoi: the in-flight count and each guest's pirq->masked must be dropped one guest at
/// a time), so the line is unmasked while another guest still handles the interrupt.
/// The one change: irq_eoi empties irq_eoi_pending instead of removing d. Xen's own bookkeeping
/// stays consistent (irq_masked_until_eoi holds); the guests' view does not.
/// Breaks: irq_level_masked_until_all_eoi (D17). Shortest trace: both domains map and bind the
/// shared line, it fires, dom0 sends its EOI (6 steps).
model irq_eoi_clears_all

include "../irq.xm"

/// Every outstanding EOI dropped at once (the bug).
@ref("xen/arch/x86/irq.c:desc_guest_eoi")
override proc irq_eoi(d: Dom, i: Irq) {
    irq_eoi_pending[i] := {}
    irq_masked[i] := false
}
