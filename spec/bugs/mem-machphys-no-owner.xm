/// Bug variant: MMU_MACHPHYS_UPDATE without the ownership check. Xen looks the frame up with
/// get_page_from_mfn(mfn, pg_owner) and refuses (-EINVAL) a frame the caller does not own, because
/// the M2P is Xen's table and every domain's P2M/M2P agreement depends on it.
/// The one change: mm_machphys_update accepts any guest frame.
/// Breaks: mm_p2m_m2p_agree (A5). E.g. dom0 populates a frame; dom1 claims it in its physmap.
model mem_machphys_no_owner

include "../memory.xm"

/// do_mmu_update's MMU_MACHPHYS_UPDATE without get_page_from_mfn's owner check.
@ref("xen/arch/x86/mm.c:do_mmu_update")
override action mm_machphys_update(d: Dom, m: Mfn, pfn: Pfn) {
  require !mm_is_dying(d)
  require mm_p2m[d][pfn] == none
  if mm_is_xen(m) || mm_frame[m].owner == none {
    mm_set_rc(MM_EINVAL)
  } else {
    require mm_frame[m].allocated
    foreach q: Pfn where mm_p2m[d][q] == m {
      mm_p2m[d][q] := none
    }
    mm_p2m[d][pfn] := m
    mm_m2p[m] := pfn
    mm_hook_page_dirty(d, m)
    mm_set_rc(MM_OK)
  }
}
