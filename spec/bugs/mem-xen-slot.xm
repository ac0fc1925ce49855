/// Bug variant: a guest page-table update reaches Xen's reserved slots. Xen refuses updates of L2
/// slots outside is_guest_l2_slot ("Bad L2 update in Xen-private area"); on x86-32 these are the
/// slots from HYPERVISOR_VIRT_START = 0xFC000000 (the top 64 MB, with the read-only M2P table).
/// The one change: mm_update_l2e does not check mm_is_xen_slot, so the guest can remove or replace
/// Xen's entry (the old Xen entry is not reference counted, so it is simply overwritten).
/// Breaks: mm_xen_slots_intact (A3). E.g. populate; pin L2; clear its Xen slot.
model mem_xen_slot

include "../memory.xm"

/// mod_l2_entry without the is_guest_l2_slot check.
@ref("xen/arch/x86/mm.c:mod_l2_entry")
override action mm_update_l2e(d: Dom, t: Mfn, s: MmSlot, present: bool, target: Mfn) {
  require MM_PT && !mm_is_dying(d)
  require present || target == Mfn(0)
  let old = mm_l2e[t][s]
  let nw = MmPte { present: present, rw: present, mfn: target }
  if !mm_owns(d, t) || !mm_live(t, pgt_l2) {
    mm_set_rc(MM_EINVAL)
  } else if nw == old {
    mm_set_rc(MM_OK)
  } else if present && (!mm_can_get_page(target, d) || !mm_can_get_type(target, pgt_l1)) {
    mm_set_rc(MM_EINVAL)
  } else {
    if present {
      mm_get_page(target)
      mm_get_type(target, pgt_l1)
    }
    mm_l2e[t][s] := nw
    if old.present && !mm_is_xen(old.mfn) {
      mm_put_type_l1(old.mfn)
      mm_put_page(old.mfn)
    }
    mm_hook_page_dirty(d, t)
    mm_set_rc(MM_OK)
  }
}
