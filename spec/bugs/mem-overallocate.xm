/// Bug variant: an off-by-one in assign_pages' reservation check (tot_pages > max_pages instead of
/// tot_pages + 1 > max_pages), the kind of check the "Harden assign_pages()" change and XSA-212's
/// range checks are about: a guest may populate one page beyond its max_pages.
/// The one change: mm_populate compares tot_pages (not tot_pages + 1) with max_pages.
/// Breaks: mm_tot_pages_exact (A4: tot_pages <= max_pages). Instances use max_pages 1 and 2 pfns:
/// populate; populate.
model mem_overallocate

include "../memory.xm"

/// populate_physmap / assign_pages with the off-by-one reservation check.
@ref("xen/common/page_alloc.c:assign_pages")
override action mm_populate(d: Dom, pfn: Pfn) {
  require !mm_is_dying(d)
  require mm_p2m[d][pfn] == none
  if !(exists m: Mfn :: mm_is_free(m)) {
    mm_set_rc(MM_ENOMEM)
  } else if mm_tot_pages[d] > mm_max_pages[d] {
    mm_set_rc(MM_E2BIG)
  } else {
    choose m: Mfn where mm_lowest_free(m) {
      mm_flush_tlbs_holding(m)
      mm_frame[m] := MmFrame { owner: d, allocated: true, count: 1, type: pgt_none, tcount: 0,
                               validated: false, pinned: false }
      mm_tot_pages[d] := mm_tot_pages[d] + 1
      mm_p2m[d][pfn] := m
      mm_m2p[m] := pfn
      mm_set_rc(MM_OK)
    }
  }
}

/// small/default: max_pages 1 so that one extra page already breaks the bound.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 3, MM_NPFN = 2, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 1, MM_MAXREF = 3 }
instance default { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 4, MM_NPFN = 2, MM_NSLOT = 3, MM_NL1E = 1,
                   MM_MAX_PAGES = 1, MM_MAXREF = 4 }
