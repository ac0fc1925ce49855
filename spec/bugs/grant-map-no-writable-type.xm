/// Bug variant modelled on XSA-224 (grant table operations mishandle reference counts): a writable
/// grant mapping could be created without the writable type reference, so the granted frame could
/// be (or later become) a page table while writably mapped.
/// The one change: gnt_map neither checks nor takes the writable type reference for a writable map.
/// Breaks: gnt_rw_map_writable (B7 for grant mappings). E.g. populate; grant; map RW.
model grant_map_no_writable_type

include "../grant.xm"

/// map_grant_ref without get_page_type(PGT_writable_page) for a writable mapping.
@ref("xen/common/grant_table.c:map_grant_ref")
override action gnt_map(d: Dom, g: Dom, r: GntRef, host: bool, rw: bool) {
  require !mm_is_dying(d) && d != g
  let e = gnt_sha[g][r]
  let m = if gnt_pins(g, r) > 0 then gnt_act[g][r].mfn else e.mfn
  if !(exists h: GntHandle :: !gnt_maptrack[d][h].in_use) {
    gnt_set_rc(GNTST_no_device_space)
  } else if e.gtype != gtf_permit_access || e.domid != d || (rw && e.readonly) {
    gnt_set_rc(GNTST_general_error)
  } else if !mm_can_get_page(m, g) {
    gnt_set_rc(GNTST_general_error)
  } else {
    choose h: GntHandle where gnt_lowest_free_handle(d, h) {
      gnt_act[g][r].domid := d
      gnt_act[g][r].mfn := m
      if host && rw {
        gnt_act[g][r].hw := gnt_act[g][r].hw + 1
      } else if host {
        gnt_act[g][r].hr := gnt_act[g][r].hr + 1
      } else if rw {
        gnt_act[g][r].dw := gnt_act[g][r].dw + 1
      } else {
        gnt_act[g][r].dr := gnt_act[g][r].dr + 1
      }
      gnt_sha[g][r].reading := true
      if rw {
        gnt_sha[g][r].writing := true
      }
      mm_get_page(m)
      // BUG: no mm_get_type(m, pgt_writable) for a writable map.
      gnt_maptrack[d][h] := GntMap { in_use: true, granter: g, gref: r, host: host, rw: rw }
      gnt_set_rc(GNTST_okay)
    }
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
