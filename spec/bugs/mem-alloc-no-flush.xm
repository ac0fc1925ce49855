/// Bug variant: a frame goes back to a domain without the TLB flush its reuse needs. Xen records
/// when a frame's last use ended (page->tlbflush_timestamp, set as it is freed) and alloc_heap_pages
/// flushes every pcpu that has not flushed since (the TLB-flush clock, filtered_flush_tlb_mask);
/// without that flush a pcpu keeps a writable translation a vcpu of the previous owner cached, and
/// that guest writes into a frame now another domain's (the class of a missing TLB flush before a
/// frame is reused).
/// The one change: mm_populate hands out the lowest free frame without flushing the pcpus that
/// may still hold it.
/// Breaks: mm_tlb_owner (properties.md A47).
/// Expected shortest trace: 8 steps (dom0 populates two pages, pins the first as an L1 table and
/// maps the second writable in it, gives the second back (the mapping keeps it alive), a pcpu caches
/// the translation, dom0 unpins the table, whose entries go and so free the page; dom1 populates and
/// gets that frame: the failing state).
model mem_alloc_no_flush

include "../memory.xm"

/// XENMEM_populate_physmap whose allocation skips alloc_heap_pages' flush.
@ref("xen/common/page_alloc.c:alloc_heap_pages")
override action mm_populate(d: Dom, pfn: Pfn) {
  let xen_rc = mm_xen_rc_populate(d)
  require !mm_is_dying(d)
  require mm_p2m[d][pfn] == none
  if !(exists m: Mfn :: mm_is_free(m)) {
    mm_set_rc(MM_ENOMEM)
  } else if mm_tot_pages[d] + 1 > mm_max_pages[d] {
    mm_set_rc(MM_E2BIG)
  } else {
    choose m: Mfn where mm_lowest_free(m) {
      mm_frame[m] := MmFrame { owner: d, allocated: true, count: 1, type: pgt_none, tcount: 0,
                               validated: false, pinned: false }
      mm_tot_pages[d] := mm_tot_pages[d] + 1
      mm_p2m[d][pfn] := m
      mm_m2p[m] := pfn
      mm_set_rc(MM_OK)
    }
  }
  assert !MM_RECORD_RC || mm_rc == xen_rc, "mm_xen_result: the result is not the one Xen returns in that state"
}

/// Two pfns per domain (an L1 table and a frame it maps writable), L1 tables only (MM_L2 = false: the
/// trace takes no L2 table and no base; fewer transitions per BMC step), one pcpu, results not recorded.
/// The explicit engine's shortest trace is the 8 steps above (406 states searched).
instance small { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 3, MM_NPFN = 2, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 2, MM_MAXREF = 2, MM_RECORD_RC = false,
                 MM_STANDALONE_KILL = false, MM_L2 = false }
