/// Bug variant modelled on XSA-379 (grant table v2 status pages may remain accessible after
/// de-allocation): a translated guest has its status frame in its physmap (XENMAPSPACE_grant_table
/// with XENMAPIDX_grant_table_status); before the fix, switching back to v1 freed the frame but left
/// the physmap entry, so the guest could still read and write a page Xen had freed and may reuse.
/// The one change: gnttab_unpopulate_status_frames does not remove the frame from the physmap
/// (no guest_physmap_remove_page at the recorded gfn).
/// Breaks: gnt_status_frames_owned (C54). Expected shortest trace: 3 steps (set_version v2;
/// add_to_physmap of the status frame; set_version v1).
model grant_v2_status_p2m_left

include "../grant.xm"

/// gnttab_unpopulate_status_frames without the physmap removal.
@ref("xen/common/grant_table.c:gnttab_unpopulate_status_frames")
override proc gnt_unpopulate_status(d: Dom) {
  if gnt_stf[d].maps == 0 {
    gnt_stf[d].shared := false
  }
}

/// Grant table v2 on; 2 domains, 1 guest frame, 1 grant reference, 1 maptrack handle.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 2, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 1, MM_MAXREF = 3, MM_PT = false, MM_RECORD_RC = false,
                 GNT_NREF = 1, GNT_NHANDLE = 1, GNT_V2 = true }
