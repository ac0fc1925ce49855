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
