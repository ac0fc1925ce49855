/// Bug variant modelled on XSA-387 (grant table v2 status pages may remain accessible after
/// de-allocation, take two): Xen records one gfn per status frame, but racing
/// XENMEM_add_to_physmap requests could each insert a mapping of the frame, so it ended up mapped at
/// several gfns while only one was tracked; the switch back to v1 removed the tracked one and freed
/// the page, which the guest still reached through the others.
/// The one change: gnttab_map_frame adds the new mapping without removing the frame from the place
/// it was already mapped (the racing insertions).
/// Breaks: gnt_status_frames_owned (C54). Expected shortest trace: 4 steps (set_version v2;
/// add_to_physmap twice; set_version v1).
model grant_v2_status_gfn_untracked

include "../grant.xm"

/// gnttab_map_frame losing the race: a second mapping of the frame, one gfn recorded (the model's
/// guest has two gfns to map it at, so at most two mappings).
@ref("xen/common/grant_table.c:gnttab_map_frame")
override proc gnt_stf_physmap_add(d: Dom) {
  gnt_stf[d].p2m := min(gnt_stf[d].p2m + 1, 2)
  gnt_stf[d].gfn_rec := true
}

/// Grant table v2 on; 2 domains, 1 guest frame, 1 grant reference, 1 maptrack handle.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 2, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 1, MM_MAXREF = 3, MM_PT = false, MM_RECORD_RC = false,
                 GNT_NREF = 1, GNT_NHANDLE = 1, GNT_V2 = true }
