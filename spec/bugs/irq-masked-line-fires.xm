/// Bug variant: a level-triggered line raises its interrupt again while it is masked, waiting for
/// the guests' EOIs (the class of a lost IO-APIC mask: the handler's ack for ACKTYPE_UNMASK lines
/// in __do_IRQ_guest leaves the pin unmasked, so the device's still-asserted line re-fires).
/// The one change: irq_do_irq no longer requires the line to be unmasked.
/// Breaks: irq_masked_never_raises (D17). Shortest trace: dom0 maps and binds the level line, it
/// fires, it fires again while masked (4 steps).
model irq_masked_line_fires

include "../irq.xm"

/// An interrupt on a masked line (the bug).
@ref("xen/arch/x86/irq.c:__do_IRQ_guest")
override action irq_do_irq(i: Irq) {
    require !irq_xen_owned(i) && irq_guests[i] != {}
    irq_raised_masked := irq_masked[i]
    foreach d: Dom where d in irq_guests[i] {
        foreach p: EvtchnPort where irq_port_bound(d, p, i) {
            evtchn_set_pending(d, p)
        }
    }
    if irq_is_level(i) {
        irq_masked[i] := true
        irq_eoi_pending[i] := irq_guests[i]
        irq_owed[i] := irq_guests[i]
    }
}
