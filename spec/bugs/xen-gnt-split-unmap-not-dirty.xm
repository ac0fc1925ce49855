/// Bug variant (composed model only): the split grant unmap (GNT_RACES, section 10 of
/// docs/model.md) takes a writable mapping off the maptrack entry without marking the granter's
/// frame dirty. Xen's unmap_common ends with "If just unmapped a writable mapping, mark as
/// dirtied" (gnttab_mark_dirty(rd, op->mfn)); the XSA-218 and XSA-224 fixes reworked this path
/// (unmap_common / unmap_common_complete, the maptrack flags cleared under the lock), and a rework
/// that drops the mark loses a backend's writes into a migrating guest's granted page. The atomic
/// unmap (gnt_do_unmap) still marks, and migration.xm alone has no grant.xm, so only the composition
/// with the split form on sees it.
/// The one change: gnt_unmap_common takes the mapping off without mm_hook_page_dirty.
/// Breaks: xen_mig_writes_marked (properties.md H56). Shortest trace: 7 steps (the migrating guest
/// dom1 populates a page and grants it writable to dom0, dom0 maps it, dom0's unmap reads the
/// maptrack entry and takes the active entry's lock, the save starts, the unmap takes the mapping
/// off).
model xen_gnt_split_unmap_not_dirty

include "../xen.xm"

/// unmap_common's critical section without the dirty mark (the bug).
@ref("xen/common/grant_table.c:unmap_common")
override action gnt_unmap_common(p: PCpu) {
  require gnt_call[p].step == GU_LOCKED
  let c = gnt_call[p]
  if !gnt_unmap_recheck(p) {
    gnt_call[p] := gnt_idle_call()
    gnt_set_rc(GNTST_bad_handle)
  } else {
    let mt = gnt_maptrack[c.d][c.h]
    gnt_maptrack[c.d][c.h] := gnt_free_map()
    gnt_call[p].host := mt.host
    gnt_call[p].rw := mt.rw
    gnt_call[p].step := GU_COMPLETE
    if mt.rw {
      mm_hook_frame_written(c.g, gnt_act[c.g][c.r].mfn)
    }
  }
}

// ---- @weight(1) for the Hypothesis machine only (random runs; the exhaustive engines ignore weights):
// the controller's pause/unpause ping-pong, migration's stand-in backend (mig_gnt_*) and transfer
// entries, enabled in nearly every state, took about 60% of the steps of HYP_BUDGET's runs (measured),
// which then missed the 7-step split unmap in 2,573 test cases.
// A bodyless `override action` keeps the included action and changes only its @weight.
@weight(1)
override action domctl_pausedomain
@weight(1)
override action domctl_unpausedomain
@weight(1)
override action mig_gnt_copy_in
@weight(1)
override action mig_gnt_map
@weight(1)
override action mig_gnt_unmap
@weight(1)
override action mig_gnt_write
@weight(1)
override action gnt_accept_transfer

/// Two domains (dom1 the migrating guest) on one pcpu, one page each, the split hypercalls on,
/// everything the trace does not need switched off.
instance small { NDOM = 2, VPD = 1, NPCPU = 1,
                 CTRL_PAUSE_MAX = 1, DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false,
                 CREDIT_MAX = 1, TICKS_PER_ACCT = 2, SCHED_EVENT_STANDIN = false,
                 SCHED_AFFINITY_OPS = false,
                 EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_MASKING = false, EVTCHN_ADMIN = false,
                 EVTCHN_VIRQS = false, EVTCHN_IPIS = false, EVTCHN_BLOCKING = false,
                 MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1, MM_MAX_PAGES = 1, MM_MAXREF = 3,
                 MM_STANDALONE_KILL = false, MM_PT = false, MM_RECORD_RC = false, GNT_NREF = 1, GNT_NHANDLE = 1, GNT_RACES = true,
                 MIG_NPAGE = 1, MIG_MAXVAL = 1, MIG_NVCPU = 1, MIG_MAX_ROUNDS = 1, MIG_DIRTY_THRESHOLD = 1 }
