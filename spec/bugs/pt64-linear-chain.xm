/// Bug variant modelled on XSA-240 ("x86: Unlimited recursion in linear pagetable de-typing"): before
/// the fix, get_l*_linear_pagetable let a table with linear entries be the target of another's, so
/// linear tables chained (and looped): tearing one down recursed through _put_page_type once per table
/// of the chain (unbounded: a host crash), and a loop of type references kept tables typed for ever.
/// The fix counts both sides in linear_pt_count (inc_linear_entries on the table holding the entry,
/// inc_linear_uses on its target) and refuses the second role.
/// The one change: pt_pde_linear_ok drops the two linear_pt_count tests.
/// Breaks: pt_linear_rule (B46). E.g. pin two L4s A and B; A maps B read-only; B maps A read-only.
model pt64_linear_chain

include "../pt64.xm"

/// define_get_linear_pagetable as before XSA-240: no inc_linear_entries / inc_linear_uses.
@ref("xen/arch/x86/mm.c:define_get_linear_pagetable")
override def pt_pde_linear_ok(d: Dom, t: Mfn, nw: PtPte): bool =
  !nw.pse && !nw.rw &&
  (nw.mfn == t ||
   (pt_owns(d, t) && pt_can_get_page(nw.mfn, d) &&
    pt_frame[nw.mfn].type == pt_frame[t].type && pt_frame[nw.mfn].validated &&
    pt_frame[nw.mfn].tcount > 0 && pt_frame[nw.mfn].tcount < PT_MAXREF))
