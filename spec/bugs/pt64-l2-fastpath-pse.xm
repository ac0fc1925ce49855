/// Bug variant modelled on XSA-148 ("x86: Uncontrolled creation of large page mappings by PV guests"):
/// with superpages allowed for PV guests (the allowsuperpage option of Xen 4.5 and before: PSE not in
/// L2_DISALLOW_MASK, get_page_from_l2e validating a superpage as data pages), mod_l2_entry's fast path
/// compared only the frame and _PAGE_PRESENT (l2e_has_changed(ol2e, nl2e, _PAGE_PRESENT)), so an entry
/// pointing to an L1 table could be turned into a writable 2 MB mapping of that table without
/// validation. The fix added _PAGE_PSE | _PAGE_RW to the fast path's test; today's Xen refuses PSE in
/// PV L2 entries altogether (as spec/pt64.xm does).
/// The one change: pt_mod_pde accepts PSE in an L2 entry (validated as a leaf: the frame's page, and
/// the writable type if RW) and takes the fast path whenever the old and new entries are present with
/// the same frame. (A superpage maps the one target frame in the model.)
/// (The override is the whole buggy function, so its result is its own: pt_mod_pde's pt_xen_result
/// assert, which states today's Xen, goes with it.)
/// Breaks: pt_entries_typed (B45). E.g. pin an L2; point its entry at a frame (now an L1 table); set
/// PSE and RW on that entry.
model pt64_l2_fastpath_pse

include "../pt64.xm"

/// mod_l2_entry with allowsuperpage on and the fast path of XSA-148.
@ref("xen/arch/x86/mm.c:mod_l2_entry")
@ref("xen/arch/x86/mm.c:get_page_from_l2e")
override proc pt_mod_pde(d: Dom, t: Mfn, i: PtIdx, nw: PtPte) {
  if pt_xen_pos(t, i) {
    pt_set_rc(PT_EINVAL)
  } else if nw.present && nw.pse && pt_frame[t].type != pgt_l2 {
    pt_set_rc(PT_EINVAL)
  } else if nw.present && pt_ent[t][i].present && nw.mfn == pt_ent[t][i].mfn {
    pt_ent[t][i] := nw
    pt_set_rc(PT_OK)
  } else if nw.present && nw.pse {
    if !pt_can_get_page(nw.mfn, d) || (nw.rw && !pt_can_get_type(nw.mfn, pgt_writable)) {
      pt_set_rc(PT_EINVAL)
    } else {
      pt_get_page(nw.mfn)
      if nw.rw {
        pt_get_type(nw.mfn, pgt_writable)
      }
      pt_write(t, i, nw)
    }
  } else if nw.present && pt_pde_normal_ok(d, t, nw) {
    pt_get_page(nw.mfn)
    pt_get_type(nw.mfn, pt_child(pt_frame[t].type))
    pt_write(t, i, nw)
  } else if nw.present && pt_pde_linear_ok(d, t, nw) {
    if nw.mfn != t {
      pt_get_page(nw.mfn)
      pt_get_type(nw.mfn, pt_frame[t].type)
    }
    pt_write(t, i, nw)
  } else if nw.present {
    pt_set_rc(PT_EINVAL)
  } else {
    pt_write(t, i, nw)
  }
}
