/// Bug variant (Xen's L4 slots): mod_l4_entry without its first test, is_guest_l4_slot ("L4 update in
/// Xen-private area", -EINVAL). Slots 256..271 of every 64-bit PV guest's L4 are Xen's
/// (ROOT_PAGETABLE_FIRST_XEN_SLOT..ROOT_PAGETABLE_LAST_XEN_SLOT, written by init_xen_l4_slots): a guest
/// that changes one removes or replaces Xen's own mappings (its linear and per-domain areas, the M2P,
/// Xen's text) in the address space it runs on; cf. XSA-148 and the PAE L3 slot-3 checks, the same
/// class on the other layouts.
/// The one change: pt_mod_pde does not test pt_xen_pos (Xen's entry holds no reference, so the old
/// entry is simply overwritten).
/// (The override is the whole buggy function, so its result is its own: pt_mod_pde's pt_xen_result
/// assert, which states today's Xen, goes with it.)
/// Breaks: pt_xen_l4_slots_intact (A44). E.g. pin an L4; clear its Xen slot. Also pt_counts_exact
/// (B8): the guest's entry written into Xen's slot takes a reference that no count of Xen's slots sees.
model pt64_l4_xen_slot

include "../pt64.xm"

/// The write of the variant: Xen's old entry holds no reference (it is overwritten), a guest entry's
/// references are dropped as before.
proc pt_write_slot(t: Mfn, i: PtIdx, nw: PtPte) {
  if pt_ent[t][i].present && pt_is_xen(pt_ent[t][i].mfn) {
    pt_ent[t][i] := nw
    pt_set_rc(PT_OK)
  } else {
    pt_write(t, i, nw)
  }
}

/// mod_l4_entry without is_guest_l4_slot.
@ref("xen/arch/x86/mm.c:mod_l4_entry")
override proc pt_mod_pde(d: Dom, t: Mfn, i: PtIdx, nw: PtPte) {
  if nw.present && nw.pse {
    pt_set_rc(PT_EINVAL)
  } else if nw.present && nw == pt_ent[t][i] {
    pt_set_rc(PT_OK)
  } else if nw.present && pt_pde_normal_ok(d, t, nw) {
    pt_get_page(nw.mfn)
    pt_get_type(nw.mfn, pt_child(pt_frame[t].type))
    pt_write_slot(t, i, nw)
  } else if nw.present && pt_pde_linear_ok(d, t, nw) {
    if nw.mfn != t {
      pt_get_page(nw.mfn)
      pt_get_type(nw.mfn, pt_frame[t].type)
    }
    pt_write_slot(t, i, nw)
  } else if nw.present {
    pt_set_rc(PT_EINVAL)
  } else {
    pt_write_slot(t, i, nw)
  }
}
