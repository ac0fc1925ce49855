/// Bug variant modelled on the frontend grant races (XSA-396, gnttab_end_foreign_access_ref used
/// without checking its result): the granter ends access to an entry that is still in use, so the
/// frame may be reused while the peer still maps it.
/// The one change: gnt_end_access clears the entry even while GTF_reading / GTF_writing is set.
/// Breaks: gnt_in_use_not_revoked (C11) and gnt_pinned_entry_valid (C9). E.g. populate; grant; map;
/// end access.
model grant_revoke_in_use

include "../grant.xm"

/// gnttab_end_foreign_access_ref without the in-use check.
@ref("xen/include/public/grant_table.h:grant_entry_v1")
override action gnt_end_access(d: Dom, r: GntRef) {
  require !mm_is_dying(d)
  require gnt_sha[d][r].gtype != gtf_invalid
  gnt_sha[d][r] := gnt_invalid_entry()
  gnt_rc := GNTST_okay
}
