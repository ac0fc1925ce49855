/// Bug variant, bug class: a grant unmap that releases the mapping before the TLB flush. Xen's
/// GNTTABOP_unmap_grant_ref takes the mapping out of the mapper's page tables (unmap_common), flushes
/// the mapper's dirty pcpus (gnttab_flush_tlb) and only then drops the page references and clears
/// GTF_reading / GTF_writing (unmap_common_complete), as the public interface promises ("after
/// executing a batch of unmaps, it is guaranteed that no stale mappings will remain in the device or
/// host TLBs", xen/include/public/grant_table.h). The class is XSA-218's (its first bug: the granter
/// was told the page had no more mappings while one still existed; the fix moved the flag clearing
/// into unmap_common_complete, after the flush). Released first, the granter sees the grant unused,
/// revokes it and reuses the frame while a pcpu still holds the grantee's writable translation.
/// The one change: the atomic unmap releases the mapping without flushing first (in one step,
/// "release, then flush" leaves the translation through the call: the flush comes after the window).
/// Breaks: gnt_tlb_mapped (properties.md A57), and gnt_tlb_ro_not_writable (B58) for a writable map.
/// Expected shortest trace: 5 steps (dom0 populates a page and grants it to dom1, dom1 maps it as a
/// host mapping, the pcpu caches dom1's translation, dom1 unmaps: the failing state; B58 alone: the
/// same with a writable grant and mapping).
model grant_unmap_release_before_flush

include "../grant.xm"

/// GNTTABOP_unmap_grant_ref whose unmap_common_complete runs before gnttab_flush_tlb.
@ref("xen/common/grant_table.c:gnttab_unmap_grant_ref")
@ref("xen/common/grant_table.c:unmap_common_complete")
override action gnt_unmap(d: Dom, h: GntHandle) {
  let xen_rc = gnt_xen_rc_unmap(d, h)
  require !GNT_RACES && !mm_is_dying(d)
  if !gnt_maptrack[d][h].in_use {
    gnt_set_rc(GNTST_bad_handle)
  } else {
    gnt_unmap_release(d, h)
    gnt_set_rc(GNTST_okay)
  }
  assert !MM_RECORD_RC || gnt_rc == xen_rc, "gnt_xen_result: the result is not the one Xen returns in that state"
}

// Instances: memory.xm and grant.xm both declare instances, so a file including grant.xm must say
// which ones it uses.
/// small: 2 domains, 1 guest frame + 1 Xen frame, 1 grant reference, 1 handle, one pcpu, no page
/// tables, results not recorded, the standalone kill off (its release steps add nothing here), the
/// grant translations on.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 2, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 1, MM_MAXREF = 3, MM_PT = false, MM_RECORD_RC = false,
                 MM_STANDALONE_KILL = false, GNT_NREF = 1, GNT_NHANDLE = 1, GNT_TLB = true }
