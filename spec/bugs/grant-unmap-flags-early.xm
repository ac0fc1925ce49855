/// Bug variant modelled on XSA-218 (races in the grant table unmap code): GTF_reading / GTF_writing
/// were cleared apart from the pin change, so the granter could see its grant as released (and end
/// it) while another mapping of the same reference still existed.
/// The one change: gnt_clear_flags clears both flags on every unmap, as if the mapping just removed
/// were the last one, instead of looking at the remaining pins.
/// Breaks: gnt_flags_match_pins (C10). E.g. populate; grant; map twice; unmap one.
model grant_unmap_flags_early

include "../grant.xm"

/// unmap_common_complete with the flags cleared regardless of the remaining pins.
@ref("xen/common/grant_table.c:unmap_common_complete")
override proc gnt_clear_flags(g: Dom, r: GntRef) {
  gnt_sha[g][r].writing := false
  gnt_sha[g][r].reading := false
  if gnt_pins(g, r) == 0 {
    gnt_act[g][r] := gnt_idle_active()
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
