/// Bug variant modelled on XSA-182 ("x86: Privilege escalation in PV guests"): mod_l3_entry and
/// mod_l4_entry took their fast path ("only flags that need no re-validation changed") whenever the
/// frame and _PAGE_PRESENT were unchanged (l4e_has_changed(ol4e, nl4e, _PAGE_PRESENT)), so RW could be
/// set on an existing entry without get_page_from_l4e. The published exploit: a read-only linear
/// (self-map) L4 entry, made writable through the fast path, gives write access to every page table.
/// The fix takes the fast path only when the changed flags are in FASTPATH_FLAG_WHITELIST (never RW).
/// The one change: pt_mod_pde's fast path compares only presence and frame.
/// (The override is the whole buggy function, so its result is its own: pt_mod_pde's pt_xen_result
/// assert, which states today's Xen, goes with it.)
/// Breaks: pt_no_writable_table (B45; also pt_linear_rule, B46). E.g. pin an L4; map it read-only in
/// itself (a valid linear entry); set RW on that entry.
model pt64_l4_fastpath_rw

include "../pt64.xm"

/// mod_l2/l3/l4_entry with the pre-XSA-182 fast path.
@ref("xen/arch/x86/mm.c:mod_l4_entry")
override proc pt_mod_pde(d: Dom, t: Mfn, i: PtIdx, nw: PtPte) {
  if pt_xen_pos(t, i) {
    pt_set_rc(PT_EINVAL)
  } else if nw.present && nw.pse {
    pt_set_rc(PT_EINVAL)
  } else if nw.present && pt_ent[t][i].present && nw.mfn == pt_ent[t][i].mfn {
    pt_ent[t][i] := nw
    pt_set_rc(PT_OK)
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
