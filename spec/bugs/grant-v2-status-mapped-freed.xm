/// Bug variant modelled on XSA-255 (grant table v2 -> v1 transition may crash Xen): before the fix
/// gnttab_unpopulate_status_frames freed the status frames on a switch back to v1 without looking at
/// the references the guest still held on them (a PV guest maps its status frame through its page
/// tables), so the guest kept a mapping of a freed Xen heap page (and Xen hit a BUG_ON when the
/// mapping was dropped).
/// The one change: gnttab_unpopulate_status_frames frees the frame whatever references remain (no
/// -EBUSY).
/// Breaks: gnt_status_frames_owned (C54). Expected shortest trace: 3 steps (set_version v2; the
/// guest maps its status frame; set_version v1).
model grant_v2_status_mapped_freed

include "../grant.xm"

/// gnttab_unpopulate_status_frames without the count_info check.
@ref("xen/common/grant_table.c:gnttab_unpopulate_status_frames")
override proc gnt_unpopulate_status(d: Dom) {
  if gnt_stf[d].gfn_rec {
    gnt_stf[d].p2m := gnt_stf[d].p2m - 1
    gnt_stf[d].gfn_rec := false
  }
  gnt_stf[d].shared := false
}

/// Grant table v2 on; 2 domains, 1 guest frame, 1 grant reference, 1 maptrack handle.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 2, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 1, MM_MAXREF = 3, MM_PT = false, MM_RECORD_RC = false,
                 GNT_NREF = 1, GNT_NHANDLE = 1, GNT_V2 = true }
