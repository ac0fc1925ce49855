/// Bug variant (the XSA-240 class: the rules of linear page tables): get_l4_linear_pagetable (and its
/// l2 / l3 siblings, define_get_linear_pagetable) without the test "Attempt to create linear p.t. with
/// write perms". A linear entry with RW lets the hardware walk reach a page table as a leaf with every
/// RW bit set on the way: the guest writes its own page-table entries and Xen's validation is void.
/// The one change: pt_pde_linear_ok accepts an entry with RW.
/// Breaks: pt_no_writable_table (B45; also pt_linear_rule, B46). E.g. pin an L4; map it RW in itself:
/// the walk through that slot four times reaches the L4 with RW.
model pt64_linear_rw

include "../pt64.xm"

/// define_get_linear_pagetable without the _PAGE_RW test.
@ref("xen/arch/x86/mm.c:define_get_linear_pagetable")
override def pt_pde_linear_ok(d: Dom, t: Mfn, nw: PtPte): bool =
  !nw.pse &&
  (nw.mfn == t ||
   (pt_owns(d, t) && pt_can_get_page(nw.mfn, d) && !pt_lin_used(t) && !pt_has_lin_entries(nw.mfn) &&
    pt_frame[nw.mfn].type == pt_frame[t].type && pt_frame[nw.mfn].validated &&
    pt_frame[nw.mfn].tcount > 0 && pt_frame[nw.mfn].tcount < PT_MAXREF))
