/// Bug variant: MMUEXT_UNPIN_TABLE without the owner check. do_mmuext_op takes the frame with
/// get_page_from_mfn(mfn, pg_owner), which fails (-EINVAL) for a frame of another domain, before
/// it clears PGT_pinned; the class of a page-table operation that trusts a guest-supplied mfn without
/// checking whose it is. Without the check a guest unpins another domain's page table: the state stays
/// consistent (the pin's references are dropped exactly once), so only Xen's result observes it.
/// The one change: mm_unpin tests only that the frame is pinned, not that it is the caller's.
/// Breaks: mm_xen_result (properties.md K42): Xen says -EINVAL.
/// Expected shortest trace: 2 steps (dom0 populates a frame, pins it), then the failing step
/// (dom1 unpins it).
model mem_unpin_foreign

include "../memory.xm"

/// MMUEXT_UNPIN_TABLE, without get_page_from_mfn's owner check.
@ref("xen/arch/x86/mm.c:do_mmuext_op")
override action mm_unpin(d: Dom, m: Mfn) {
  let xen_rc = mm_xen_rc_unpin(d, m)
  require MM_PT && !mm_is_dying(d)
  if mm_is_xen(m) || !mm_frame[m].pinned {
    mm_set_rc(MM_EINVAL)
  } else {
    mm_do_unpin(m)
    mm_set_rc(MM_OK)
  }
  assert !MM_RECORD_RC || mm_rc == xen_rc, "mm_xen_result: the result is not the one Xen returns in that state"
}
