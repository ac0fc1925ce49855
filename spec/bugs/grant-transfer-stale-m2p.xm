/// Bug variant: after GNTTABOP_transfer the receiver's physmap gains the page but the M2P is left
/// stale (guest_physmap_add_page's set_gpfn_from_mfn skipped), so M2P[mfn] no longer names the pfn
/// the receiver maps it at.
/// The one change: gnt_transfer_physmap_add sets the receiver's P2M entry only.
/// Breaks: mm_p2m_m2p_agree (A5). E.g. populate; accept_transfer; transfer.
model grant_transfer_stale_m2p

include "../grant.xm"

/// guest_physmap_add_page without the M2P update.
@ref("xen/arch/x86/mm/p2m.c:guest_physmap_add_page")
override proc gnt_transfer_physmap_add(e: Dom, pfn: Pfn, m: Mfn) {
  mm_p2m[e][pfn] := m
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
