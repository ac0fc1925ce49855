/// Bug variant modelled on XSA-255 (grant table v2 -> v1 transition: status frames freed while
/// still mapped by the guest): a frame was released back to the heap although a mapping still
/// referenced it, so the mapper kept access to a frame that could be given to another domain.
/// The one change: when the granter gives up the page (decrease_reservation), the frame is freed
/// outright, ignoring the references that grant mappings still hold on it.
/// Breaks: gnt_mapped_frame_live (C11: a granted frame still mapped is never freed). E.g. populate;
/// grant; map; decrease_reservation.
model grant_free_while_mapped

include "../grant.xm"

/// guest_remove_page freeing the frame regardless of outstanding references.
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
    if mm_frame[m].owner == d {
      // BUG: back to the heap at once, whatever else still references the frame.
      mm_tot_pages[d] := mm_tot_pages[d] - 1
      mm_frame[m] := MmFrame { owner: none, allocated: false, count: 0, type: pgt_none, tcount: 0,
                               validated: false, pinned: false }
      mm_m2p[m] := none
    }
    mm_set_rc(MM_OK)
  }
}

// Instances: the same as spec/grant.xm's (memory.xm and grant.xm both declare instances, so a
// file including grant.xm must say which ones it uses).
/// small: 2 domains, 2 guest frames + 1 Xen frame, 1 pfn, max_pages 1, 1 grant ref, 2 handles, no
/// page tables, results not recorded (with them the space is > 50,000 states: each refusal code
/// copies every state).
instance small { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 1, MM_MAXREF = 3, MM_PT = false, MM_RECORD_RC = false,
                 GNT_NREF = 1, GNT_NHANDLE = 2 }
/// default: as small with max_pages 2 and results recorded (for BMC; not exhaustive in Python).
instance default { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                   MM_MAX_PAGES = 2, MM_MAXREF = 3, MM_PT = false, GNT_NREF = 1, GNT_NHANDLE = 2 }
/// large: page tables on, 3 guest frames, 2 pfns.
instance large { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 4, MM_NPFN = 2, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 2, MM_MAXREF = 4, MM_PT = true, GNT_NREF = 1, GNT_NHANDLE = 2 }
