/// Physical interrupts routed to domains as events: per-domain irq capabilities, pirq mapping
/// (map_domain_pirq checks the CALLER's capability and grants it to the target), binding a pirq to
/// an event channel (EVTCHNOP_bind_pirq + pirq_guest_bind), lines Xen keeps for itself, shared
/// versus exclusive lines, delivery to every bound guest, and the EOI protocol of level-triggered
/// lines (masked until every guest has acknowledged, or the 1 ms timer forces it).
///
/// Abstractions:
/// - pirq numbers are identity-mapped to lines (pirq i of any domain is line i), as the toolstack
///   does for a PV guest's GSIs; `irq_mapped[d][i]` says whether d has the mapping.
/// - Lines (NIRQ of them): irq0 is a line whose descriptor Xen has claimed for its own driver (the
///   serial console's UART: dom0 holds the capability, since dom0 gets all GSIs but IRQ 0, yet
///   pirq_guest_bind must refuse it); irq1 is a level-triggered line guests may share; irq2 (if
///   NIRQ = 3) is an edge-triggered line. The timer IRQ 0, the local APIC timer and Xen's IPI
///   vectors have no guest-bindable descriptor and no capability anywhere, so they are left out.
/// - PHYSDEVOP_unmap_pirq and MSI are not modelled; at most 32 guests per line is never reached.
model irq

include "evtchn.xm"

/// Does Xen own the line (an action that is not a guest action: pirq_guest_bind gives -EBUSY)?
@ref("xen/arch/x86/irq.c:pirq_guest_bind")
def irq_xen_owned(i: Irq): bool = ord(i) == 0
/// Is the line level-triggered (ACKTYPE_UNMASK: masked until every guest's EOI)?
@ref("xen/arch/x86/irq.c:pirq_acktype")
def irq_is_level(i: Irq): bool = ord(i) == 1

/// d->irq_caps: the lines d may use. dom0 starts with every line of the model.
@ref("xen/arch/x86/dom0_build.c:dom0_setup_permissions")
var irq_caps: Dom -> Irq -> bool = [d: Dom -> [i: Irq -> is_privileged(d)]]
/// Whether pirq i of domain d is mapped to line i (d's pirq tree, domain_pirq_to_irq).
@ref("xen/arch/x86/irq.c:map_domain_pirq")
var irq_mapped: Dom -> Irq -> bool
/// The guests bound to a line (irq_guest_action_t: guest[] / nr_guests).
@ref("xen/arch/x86/irq.c:pirq_guest_bind")
var irq_guests: Irq -> set<Dom>
/// Whether every binder agreed to share the line (action->shareable; false when unbound).
@ref("xen/arch/x86/irq.c:pirq_guest_bind")
var irq_shareable: Irq -> bool
/// Whether a level line is masked, waiting for guests' EOIs (action->in_flight > 0).
@ref("xen/arch/x86/irq.c:__do_IRQ_guest")
var irq_masked: Irq -> bool
/// The guests that still owe an EOI for the last interrupt on a level line (pirq->masked).
@ref("xen/arch/x86/irq.c:__do_IRQ_guest")
var irq_eoi_pending: Irq -> set<Dom>

/// Ghost (for irq_level_masked_until_all_eoi): the guests that received the last interrupt of a
/// level line and have not yet answered it with their own PHYSDEVOP_eoi (nor unbound). Kept by
/// the guests' actions, apart from Xen's bookkeeping (irq_eoi_pending), so that a slip in that
/// bookkeeping shows; the 1 ms timer's forced EOI clears it.
var irq_owed: Irq -> set<Dom>
/// Ghost: the last interrupt raised on a line came while the line was masked (never, in Xen).
var irq_raised_masked: bool

/// Is the port a PIRQ port for line i?
def irq_port_bound(d: Dom, p: EvtchnPort, i: Irq): bool =
    evtchn_chan[d][p].state == ECS_PIRQ && evtchn_chan[d][p].pirq == i
/// pirq_access_permitted: d has the pirq mapped and holds the capability of its line.
@ref("xen/arch/x86/irq.c:pirq_access_permitted")
def irq_access_permitted(d: Dom, i: Irq): bool = irq_mapped[d][i] && irq_caps[d][i]

/// XEN_DOMCTL_irq_permission: the control domain grants or revokes d's capability for line i; it
/// must hold the capability itself (-EPERM). Revoking does not unbind an existing binding.
@ref("xen/common/domctl.c:do_domctl")
action irq_permission(caller: Dom, d: Dom, i: Irq, allow: bool) {
    require evtchn_dom_active(caller) && caller != d && irq_caps[d][i] != allow
    let xen_rc = irq_xen_rc_permission(caller, i)
    // do_domctl's xsm_domctl (XSM_PRIV), then irq_access_permitted(current->domain) and
    // xsm_irq_permission (XSM_HOOK: every caller passes).
    if !xsm_allows(XSMOP_DOMCTL, caller, d) || !irq_caps[caller][i] {
        evtchn_result := EVTCHN_EPERM
    } else {
        xsm_granted(XSMOP_DOMCTL, caller, d)
        irq_caps[d][i] := allow
        evtchn_result := EVTCHN_OK
    }
    assert evtchn_result == xen_rc, "evtchn_xen_result: the result is not the one Xen returns in that state"
}

/// The checks of PHYSDEVOP_map_pirq for d: xsm_map_domain_pirq (XSM_DM_PRIV: the control domain or
/// d's device model), then map_domain_pirq's irq_access_permitted: the caller must hold the line's
/// capability itself (-EPERM).
@ref("xen/arch/x86/physdev.c:physdev_map_pirq")
@ref("xen/arch/x86/irq.c:map_domain_pirq")
proc irq_map_check(caller: Dom, d: Dom, i: Irq) {
    if !xsm_allows(XSMOP_MAP_DOMAIN_PIRQ, caller, d) || !irq_caps[caller][i] {
        evtchn_result := EVTCHN_EPERM
    } else {
        evtchn_result := EVTCHN_OK
    }
}

/// PHYSDEVOP_map_pirq: map pirq i of d to line i and grant d the capability (irq_permit_access).
@ref("xen/arch/x86/physdev.c:physdev_map_pirq")
action irq_map_pirq(caller: Dom, d: Dom, i: Irq) {
    require evtchn_dom_active(caller) && !irq_mapped[d][i]
    let xen_rc = irq_xen_rc_permission(caller, i)
    irq_map_check(caller, d, i)
    if evtchn_result == EVTCHN_OK {
        xsm_granted(XSMOP_MAP_DOMAIN_PIRQ, caller, d)
        irq_caps[d][i] := true
        irq_mapped[d][i] := true
    }
    assert evtchn_result == xen_rc, "evtchn_xen_result: the result is not the one Xen returns in that state"
}

/// The checks of EVTCHNOP_bind_pirq before pirq_guest_bind: access to the pirq (-EPERM), not yet
/// bound in this domain (-EEXIST), a free port (-EINVAL dying, -ENOSPC).
@ref("xen/common/event_channel.c:evtchn_bind_pirq")
proc irq_bind_pirq_check(d: Dom, i: Irq) {
    if !irq_access_permitted(d, i) {
        evtchn_result := EVTCHN_EPERM
    } else if exists p: EvtchnPort :: irq_port_bound(d, p, i) {
        evtchn_result := EVTCHN_EEXIST
    } else {
        evtchn_result := evtchn_alloc_error(d)
    }
}

/// The checks of pirq_guest_bind: a line Xen owns cannot be bound (-EBUSY); a line with guests
/// can be joined only if it is shareable and the new binder agrees to share (-EBUSY).
@ref("xen/arch/x86/irq.c:pirq_guest_bind")
proc irq_guest_bind_check(d: Dom, i: Irq, share: bool) {
    if irq_xen_owned(i) {
        evtchn_result := EVTCHN_EBUSY
    } else if irq_guests[i] != {} && (!irq_shareable[i] || !share) {
        evtchn_result := EVTCHN_EBUSY
    } else {
        evtchn_result := EVTCHN_OK
    }
}

/// EVTCHNOP_bind_pirq: bind pirq i of d to a new PIRQ port (notify vcpu 0) and add d to the line's
/// guests (BIND_PIRQ__WILL_SHARE = share). Step property (D17): success only with access.
@ref("xen/common/event_channel.c:evtchn_bind_pirq")
action evtchn_bind_pirq(d: Dom, i: Irq, share: bool) {
    require evtchn_dom_active(d)
    let access = irq_access_permitted(d, i)
    let xen_rc = irq_xen_rc_bind_pirq(d, i, share)
    irq_bind_pirq_check(d, i)
    if evtchn_result == EVTCHN_OK {
        irq_guest_bind_check(d, i, share)
    }
    if evtchn_result == EVTCHN_OK {
        assert access, "irq_bind_needs_access: a pirq was bound without the capability and mapping"
        choose p: EvtchnPort where evtchn_lowest_free(d, p) {
            evtchn_chan[d][p].state := ECS_PIRQ
            evtchn_chan[d][p].pirq := i
            if irq_guests[i] == {} {
                irq_shareable[i] := share
            }
            irq_guests[i] := irq_guests[i] + {d}
        }
    }
    assert evtchn_result == xen_rc, "evtchn_xen_result: the result is not the one Xen returns in that state"
}

/// pirq_guest_unbind (closing a PIRQ port): d leaves the line's guests; an EOI d still owed is
/// dropped, unmasking the line if d was the last; a line with no guests left is reset.
@ref("xen/arch/x86/irq.c:pirq_guest_unbind")
override proc evtchn_pirq_unbind(d: Dom, i: Irq) {
    irq_guests[i] := irq_guests[i] - {d}
    irq_owed[i] := irq_owed[i] - {d}
    irq_eoi_pending[i] := irq_eoi_pending[i] - {d}
    if irq_eoi_pending[i] == {} {
        irq_masked[i] := false
    }
    if irq_guests[i] == {} {
        irq_shareable[i] := false
    }
}

/// A physical interrupt on a guest line (do_IRQ -> __do_IRQ_guest): send the event to every bound
/// guest's PIRQ port; a level line is masked until every guest has sent its EOI. A masked line
/// does not fire.
@ref("xen/arch/x86/irq.c:__do_IRQ_guest")
action irq_do_irq(i: Irq) {
    require !irq_xen_owned(i) && irq_guests[i] != {} && !irq_masked[i]
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

/// Drop d's outstanding EOI on line i; the last EOI unmasks the line.
@ref("xen/arch/x86/irq.c:desc_guest_eoi")
proc irq_eoi(d: Dom, i: Irq) {
    irq_eoi_pending[i] := irq_eoi_pending[i] - {d}
    if irq_eoi_pending[i] == {} {
        irq_masked[i] := false
    }
}

/// PHYSDEVOP_eoi from a guest that owes an EOI on line i.
@ref("xen/arch/x86/irq.c:pirq_guest_eoi")
action irq_guest_eoi(d: Dom, i: Irq) {
    require evtchn_dom_active(d) && d in irq_eoi_pending[i]
    irq_owed[i] := irq_owed[i] - {d}
    irq_eoi(d, i)
    evtchn_result := EVTCHN_OK
}

/// The 1 ms timer of a masked level line expires: Xen forces the EOI of every late guest.
@ref("xen/arch/x86/irq.c:irq_guest_eoi_timer_fn")
action irq_eoi_timeout(i: Irq) {
    require irq_masked[i]
    irq_owed[i] := {}
    irq_eoi_pending[i] := {}
    irq_masked[i] := false
}

// ---------------------------------------------------------------------------------------------
// Xen's results (properties.md K41, as in spec/evtchn.xm): what each call returns in Xen for the
// state it is called in, in Xen's order of checks, independently of the checks above.

/// XEN_DOMCTL_irq_permission and PHYSDEVOP_map_pirq: the caller must be the control domain (the
/// domctl's XSM check; map_domain_pirq's XSM_DM_PRIV) and hold the line's capability itself
/// (irq_access_permitted(current->domain, pirq)): -EPERM.
@ref("xen/common/domctl.c:do_domctl")
@ref("xen/arch/x86/irq.c:map_domain_pirq")
def irq_xen_rc_permission(caller: Dom, i: Irq): EvtchnResult =
    if !is_privileged(caller) || !irq_caps[caller][i] then EVTCHN_EPERM else EVTCHN_OK

/// EVTCHNOP_bind_pirq: pirq_access_permitted (-EPERM), the pirq already bound to a port of d
/// (pirq_to_evtchn: -EEXIST), get_free_port, then pirq_guest_bind: a line Xen uses (-EBUSY), a line
/// with guests that is not shared by all of them (-EBUSY).
@ref("xen/common/event_channel.c:evtchn_bind_pirq")
@ref("xen/arch/x86/irq.c:pirq_guest_bind")
def irq_xen_rc_bind_pirq(d: Dom, i: Irq, share: bool): EvtchnResult =
    if !(irq_mapped[d][i] && irq_caps[d][i]) then EVTCHN_EPERM
    else if (exists p: EvtchnPort :: evtchn_chan[d][p].state == ECS_PIRQ && evtchn_chan[d][p].pirq == i)
        then EVTCHN_EEXIST
    else if evtchn_alloc_error(d) != EVTCHN_OK then evtchn_alloc_error(d)
    else if irq_xen_owned(i) then EVTCHN_EBUSY
    else if irq_guests[i] != {} && !(irq_shareable[i] && share) then EVTCHN_EBUSY
    else EVTCHN_OK

// ---------------------------------------------------------------------------------------------
// Invariants (properties.md D17)

/// D17: a line Xen owns is never bound by a guest (no guest, no PIRQ port on it).
@ref("xen/arch/x86/irq.c:pirq_guest_bind")
invariant irq_xen_owned_never_bound: forall i: Irq :: irq_xen_owned(i) =>
    (irq_guests[i] == {} && (forall d: Dom, p: EvtchnPort :: !irq_port_bound(d, p, i)))

/// D17: a pirq is bound to at most one port per domain.
@ref("xen/common/event_channel.c:evtchn_bind_pirq")
invariant irq_pirq_one_port: forall d: Dom, i: Irq :: (count p: EvtchnPort :: irq_port_bound(d, p, i)) <= 1

/// The line's guest list agrees with the port tables.
@ref("xen/arch/x86/irq.c:pirq_guest_bind")
invariant irq_guests_agree: forall d: Dom, i: Irq ::
    (d in irq_guests[i]) == (exists p: EvtchnPort :: irq_port_bound(d, p, i))

/// D17: a bound pirq is mapped for its domain (binding needed the mapping and the capability; a
/// later revocation of the capability does not unbind, as in Xen).
@ref("xen/arch/x86/irq.c:pirq_access_permitted")
invariant irq_bound_has_access: forall d: Dom, p: EvtchnPort ::
    evtchn_chan[d][p].state == ECS_PIRQ => irq_mapped[d][evtchn_chan[d][p].pirq]

/// D17: a line that is not shareable has at most one guest.
@ref("xen/arch/x86/irq.c:pirq_guest_bind")
invariant irq_exclusive_line: forall i: Irq :: !irq_shareable[i] => size(irq_guests[i]) <= 1

/// EOI protocol: a line is masked exactly while some bound guest owes an EOI; edge lines are never
/// masked.
@ref("xen/arch/x86/irq.c:__do_IRQ_guest")
invariant irq_masked_until_eoi: forall i: Irq ::
    irq_masked[i] == (irq_eoi_pending[i] != {}) && irq_eoi_pending[i] - irq_guests[i] == {}
    && (!irq_is_level(i) => !irq_masked[i])

/// D17: a level-triggered line stays masked until every guest that received its interrupt has sent
/// its EOI (or unbound, or the 1 ms timer forced the EOI).
@ref("xen/arch/x86/irq.c:desc_guest_eoi")
invariant irq_level_masked_until_all_eoi: forall i: Irq ::
    irq_is_level(i) && irq_owed[i] != {} => irq_masked[i]

/// D17: a masked line never raises an interrupt (the IO-APIC pin is masked until the last EOI).
@ref("xen/arch/x86/irq.c:__do_IRQ_guest")
invariant irq_masked_never_raises: !irq_raised_masked

// ---------------------------------------------------------------------------------------------
// Instances (state counts and times: docs/model.md and tests/test_spec.py)

/// 2 domains, 1 vcpu, one usable port each; lines irq0 (Xen's) and irq1 (level, shareable); the
/// event-channel features irq does not need are off (VIRQs, IPIs, masking, toolstack ops, blocking,
/// domain death: closing a PIRQ port is explored through EVTCHNOP_close). 47,224 states, 2.5 s (explicit engine).
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 2, EVTCHN_VIRQS = false,
                 EVTCHN_IPIS = false, EVTCHN_MASKING = false, EVTCHN_ADMIN = false, EVTCHN_BLOCKING = false,
                 EVTCHN_DEATH = false }
/// Every feature on, two usable ports per domain, an edge line too (BMC / simulation).
instance default { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 3, NIRQ = 3 }
/// 3 domains and an edge line as well (benchmarks).
instance large { NDOM = 3, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 3, NIRQ = 3 }
/// Coverage (tests/test_spec_coverage.py): with `small`, these reach every action and branch of this file.
/// Domain death (a dying domain's calls refused).
instance cover_death { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 2, EVTCHN_VIRQS = false,
                       EVTCHN_IPIS = false, EVTCHN_MASKING = false, EVTCHN_ADMIN = false, EVTCHN_BLOCKING = false }
/// An edge line next to the Xen-owned and the level one.
instance cover_edge { NDOM = 1, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 3, EVTCHN_VIRQS = false,
                      EVTCHN_IPIS = false, EVTCHN_MASKING = false, EVTCHN_ADMIN = false, EVTCHN_BLOCKING = false,
                      EVTCHN_DEATH = false }
