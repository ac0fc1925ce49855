/// Bug variant modelled on the frontend grant races (XSA-396, gnttab_end_foreign_access_ref used
/// without checking its result): the granter ends access to an entry that is still in use, so the
/// frame may be reused while the peer still maps it.
/// The one change: gnt_end_access clears the entry even while GTF_reading / GTF_writing is set.
/// Breaks: gnt_in_use_not_revoked (C11), gnt_pinned_entry_valid (C9) and gnt_flags_match_pins (C10:
/// the cleared entry has no GTF_reading while the mapping still pins it). E.g. populate; grant; map;
/// end access.
model grant_revoke_in_use

include "../grant.xm"

/// gnttab_end_foreign_access_ref without the in-use check.
@ref("xen/include/public/grant_table.h:grant_entry_v1")
override action gnt_end_access(d: Dom, r: GntRef) {
  require !mm_is_dying(d)
  require gnt_sha[d][r].gtype != gtf_invalid
  gnt_sha[d][r] := gnt_invalid_entry()
  gnt_set_rc(GNTST_okay)
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
