/// Bug variant modelled on XSA-287 (x86: steal_page violates page_info access discipline): a racy
/// update of count_info could leave a page with a reference count of 0 while PGC_allocated was
/// still set; the fix added the invariants "refcount > 0 => owner" and "PGC_allocated =>
/// refcount > 0".
/// The one change: guest_remove_page drops the allocation reference with a plain decrement of the
/// count, without clearing PGC_allocated (and so without the put_page that would free the frame).
/// Breaks: mm_refcount_sane (B8). E.g. populate; decrease_reservation.
model mem_refcount_allocated

include "../memory.xm"

/// guest_remove_page with the racy count update.
@ref("xen/common/memory.c:guest_remove_page")
override action mm_decrease_reservation(d: Dom, pfn: Pfn) {
  require !mm_is_dying(d)
  if mm_p2m[d][pfn] == none {
    mm_set_rc(MM_EINVAL)
  } else {
    let m = get(mm_p2m[d][pfn])
    mm_physmap_remove(d, pfn)
    if mm_frame[m].pinned {
      mm_do_unpin(m)
    }
    if mm_frame[m].allocated {
      // BUG: the count drops, PGC_allocated stays set, the frame is not freed.
      mm_frame[m].count := mm_frame[m].count - 1
    }
    mm_set_rc(MM_OK)
  }
}
