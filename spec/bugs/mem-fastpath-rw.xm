/// Bug variant modelled on XSA-182 (and the XSA-148 class): mod_l1_entry's fast path ("only the
/// access bits changed, the frame is the same, skip re-validation") also accepted a change of the
/// RW bit, so a read-only mapping of a page table could be turned writable without taking a
/// writable type reference.
/// The one change: mm_update_l1e writes the new entry without validation whenever old and new
/// entries are both present with the same frame (the correct model takes the fast path only when
/// nothing changes).
/// Breaks: mm_rw_maps_writable (B7), e.g. populate; pin L1; map the L1 read-only in itself; set RW.
model mem_fastpath_rw

include "../memory.xm"

/// mod_l1_entry with the pre-XSA-182 fast path: same frame => write without re-validation.
@ref("xen/arch/x86/mm.c:mod_l1_entry")
override action mm_update_l1e(d: Dom, t: Mfn, i: MmL1Idx, present: bool, rw: bool, target: Mfn) {
  require MM_PT && !mm_is_dying(d)
  require present || (!rw && target == Mfn(0))
  let old = mm_l1e[t][i]
  let nw = MmPte { present: present, rw: rw, mfn: target }
  if !mm_owns(d, t) || !mm_live(t, pgt_l1) {
    mm_set_rc(MM_EINVAL)
  } else if nw == old || (old.present && present && old.mfn == target) {
    // BUG: the fast path keeps the old references although RW may have changed.
    mm_l1e[t][i] := nw
    mm_set_rc(MM_OK)
  } else if present && (!mm_can_get_page(target, d) || (rw && !mm_can_get_type(target, pgt_writable))) {
    mm_set_rc(MM_EINVAL)
  } else {
    if present {
      mm_get_page(target)
      if rw {
        mm_get_type(target, pgt_writable)
      }
    }
    mm_l1e[t][i] := nw
    if old.present {
      if old.rw {
        mm_put_type_leaf(old.mfn)
      }
      mm_put_page(old.mfn)
    }
    mm_hook_page_dirty(d, t)
    mm_set_rc(MM_OK)
  }
}
