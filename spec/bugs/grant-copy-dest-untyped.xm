/// Bug variant: GNTTABOP_copy writes the destination frame without taking its writable type.
/// gnttab_copy_claim_buf takes get_page_type(PGT_writable_page) on a local destination and fails
/// with GNTST_general_error when the frame is a live page table; without it a guest has Xen copy
/// arbitrary bytes into its own L1 table, the class of a write through Xen that bypasses the page
/// type rules (a guest-writable page table breaks PV isolation). The write itself is checked where
/// it lands (mm_raw_write: no write outside validation into a live page table), and Xen's result
/// differs too.
/// The one change: gnt_copy drops the destination's writable-type test.
/// Breaks: mm_pt_written_validated (properties.md B49), then gnt_xen_result (K42): Xen says
/// GNTST_general_error.
/// Expected shortest trace: 4 steps (both populate a page, dom0 pins its page as an L1, dom1 grants
/// its page to dom0), then the failing step (dom0 copies into its pinned table).
model grant_copy_dest_untyped

include "../grant.xm"

/// GNTTABOP_copy without the destination's get_page_type(PGT_writable_page).
@ref("xen/common/grant_table.c:gnttab_copy_claim_buf")
override action gnt_copy(d: Dom, g: Dom, r: GntRef, pfn: Pfn) {
  let xen_rc = gnt_xen_rc_copy(d, g, r, pfn)
  require !mm_is_dying(d) && hook_dom_executes(d) && d != g
  require gnt_act_free(g, r)
  let e = gnt_sha[g][r]
  let m = if gnt_pins(g, r) > 0 then gnt_act[g][r].mfn else e.mfn
  if e.gtype != gtf_permit_access || e.domid != d {
    gnt_set_rc(GNTST_general_error)
  } else if !mm_can_get_page(m, g) || mm_p2m[d][pfn] == none {
    gnt_set_rc(GNTST_bad_page)
  } else {
    mm_raw_write(get(mm_p2m[d][pfn]))
    mm_hook_page_dirty(d, get(mm_p2m[d][pfn]))
    gnt_set_rc(GNTST_okay)
  }
  assert !MM_RECORD_RC || gnt_rc == xen_rc, "gnt_xen_result: the result is not the one Xen returns in that state"
}

/// Page tables on (a destination can be a live L1) and results recorded.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 1, MM_MAXREF = 3, MM_PT = true, MM_RECORD_RC = true,
                 GNT_NREF = 1, GNT_NHANDLE = 1 }
