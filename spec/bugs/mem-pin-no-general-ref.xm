/// Bug variant, bug class: a type reference taken without the general reference that must come with
/// it. Xen's MMUEXT_PIN_L1_TABLE / MMUEXT_PIN_L2_TABLE take both with get_page_and_type_from_mfn
/// (get_page, then get_page_type) and drop both at the unpin (put_page_and_type): every type
/// reference is backed by a general one, so the count reaches 0, and free_domheap_pages gives the
/// frame back to the heap, only after the last type reference is gone. A path that takes the type
/// alone lets the count reach 0 while the frame is still typed, pinned or allocated: the frame is
/// freed (A1: a free frame has no references, no allocation, no type and no pin) while the guest
/// still uses it as a page table.
/// The one change: the pin takes the type reference (get_page_type) without get_page.
/// Breaks: the assert "freeing a frame still in use" in mm_free_frame (properties.md A1). Expected
/// shortest trace: 2 steps (the guest populates a frame and pins it as an L1; giving the frame back
/// drops the pin's put_page_and_type and the allocation reference, and the count reaches 0 while
/// PGC_allocated is still set: the failing step).
model mem_pin_no_general_ref

include "../memory.xm"

/// MMUEXT_PIN_*_TABLE with get_page_type alone.
@ref("xen/arch/x86/mm.c:do_mmuext_op")
@ref("xen/arch/x86/mm.c:get_page_and_type_from_mfn")
override action mm_pin(d: Dom, m: Mfn, l2: bool) {
  let xen_rc = mm_xen_rc_pin(d, m, if l2 then pgt_l2 else pgt_l1)
  require MM_PT && !MM_RACES && !mm_is_dying(d) && (MM_L2 || !l2)
  let t = if l2 then pgt_l2 else pgt_l1
  if !mm_can_get_page(m, d) || !mm_can_get_type(m, t) || mm_frame[m].pinned {
    mm_set_rc(MM_EINVAL)
  } else {
    mm_get_type(m, t)
    mm_frame[m].pinned := true
    mm_set_rc(MM_OK)
  }
  assert !MM_RECORD_RC || mm_rc == xen_rc, "mm_xen_result: the result is not the one Xen returns in that state"
}
