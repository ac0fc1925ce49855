/// Bug variant of the class XSA-226 names (grant table v2 and transitive-grant handling, mitigated by
/// `gnttab=max-ver:1`; not XSA-226's own bug, which was in the transitive copy path): GNTTABOP_set_version must refuse (-EBUSY) while any entry of the table is pinned,
/// because the switch clears the shared entries and moves GTF_reading / GTF_writing to the other
/// version's array: a grant mapped under one version would then be unmapped under the other, with
/// its status read from (and cleared in) the wrong array.
/// The one change: gnttab_set_version skips the loop over the active entries' pins.
/// Breaks: the assert gnt_version_switch_idle (C53) at the switch. Expected shortest trace: 3
/// steps (dom1 populates a page, grants it to dom0, dom0 maps it), then the failing step (dom1
/// switches to v2).
model grant_set_version_while_pinned

include "../grant.xm"

/// gnttab_set_version without the -EBUSY check on pinned entries.
@ref("xen/common/grant_table.c:gnttab_set_version")
override action gnt_set_version(d: Dom, v: GntVer) {
  require GNT_V2 && !mm_is_dying(d)
  if gnt_ver[d] == v {
    gnt_set_rc(GNTST_okay)
  } else if v == gnt_v2 {
    gnt_stf[d] := GntStFrame { shared: true, maps: 0, p2m: 0, gfn_rec: false }
    gnt_switch(d, v)
  } else {
    gnt_unpopulate_status(d)
    if gnt_stf[d].shared {
      gnt_set_rc(GNT_EBUSY)
    } else {
      gnt_switch(d, v)
    }
  }
}

/// Grant table v2 on; 2 domains, 1 guest frame, 1 grant reference, 1 maptrack handle.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 2, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 1, MM_MAXREF = 3, MM_PT = false, MM_RECORD_RC = false,
                 GNT_NREF = 1, GNT_NHANDLE = 1, GNT_V2 = true }
