/// Bug variant of the class XSA-226 names (grant table v2 handling; not XSA-226's own bug): under
/// grant table v2 GTF_reading / GTF_writing live in the status array (_set_status_v2), not in the
/// shared entry; a path that writes them with
/// v1's layout whatever the table's version leaves the status array saying "not in use" while the
/// grant is mapped, so the granter may revoke (and reuse) a page another domain still maps.
/// The one change: the flags are always written into the shared entry (v1's array).
/// Breaks: gnt_status_current_array (C55) and gnt_flags_match_pins (C10), in the same state.
/// Expected shortest trace: 4 steps (dom1 populates a page, switches to v2, grants the page to
/// dom0; dom0 maps it).
model grant_v2_status_wrong_array

include "../grant.xm"

/// _set_status_v1's layout under either version.
@ref("xen/common/grant_table.c:_set_status_v1")
override proc gnt_set_flags(g: Dom, r: GntRef, reading: bool, writing: bool) {
  gnt_sha[g][r].reading := reading
  gnt_sha[g][r].writing := writing
}

/// Grant table v2 on; 2 domains, 1 guest frame, 1 grant reference, 1 maptrack handle.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 2, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 1, MM_MAXREF = 3, MM_PT = false, MM_RECORD_RC = false,
                 GNT_NREF = 1, GNT_NHANDLE = 1, GNT_V2 = true }
