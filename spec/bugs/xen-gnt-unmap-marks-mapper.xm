/// Bug variant (composed model only): unmapping a writable grant mapping marks the mapper's frame
/// dirty instead of the granter's, a cross-domain slip of one argument. Xen's unmap_common marks
/// with rd, the granting domain ("If just unmapped a writable mapping, mark as dirtied":
/// gnttab_mark_dirty(rd, op->mfn)); the mark came with Xen commit d2781af07b ("Grant tables:
/// substantially more robust", 2005), before which an unmap marked nothing and a backend's writes
/// into a migrating guest's granted page were lost. Marking ld, the mapper (here dom0, which is not
/// migrating), marks nothing of the guest's.
/// The one change: gnt_do_unmap passes the mapper d to the dirty mark instead of the granter g.
/// Breaks: xen_mig_writes_marked (properties.md H56). Shortest trace: 5 steps (the migrating guest
/// dom1 populates a page and grants it writable to dom0, dom0 maps it, the save starts, dom0
/// unmaps it).
model xen_gnt_unmap_marks_mapper

include "../xen.xm"

/// unmap_common_complete with the dirty mark for the wrong domain (the bug).
@ref("xen/common/grant_table.c:unmap_common")
override proc gnt_do_unmap(d: Dom, h: GntHandle) {
  let mt = gnt_maptrack[d][h]
  let g = mt.granter
  let r = mt.gref
  let m = gnt_act[g][r].mfn
  if mt.host && mt.rw {
    gnt_act[g][r].hw := gnt_act[g][r].hw - 1
  } else if mt.host {
    gnt_act[g][r].hr := gnt_act[g][r].hr - 1
  } else if mt.rw {
    gnt_act[g][r].dw := gnt_act[g][r].dw - 1
  } else {
    gnt_act[g][r].dr := gnt_act[g][r].dr - 1
  }
  if mt.rw {
    mm_hook_frame_written(g, m)
    mm_hook_page_dirty(d, m)
    mm_put_type(m)
  }
  mm_put_page(m)
  gnt_clear_flags(g, r)
  gnt_maptrack[d][h] := gnt_free_map()
}

// ---- @weight(1) for the Hypothesis machine only (random runs; the exhaustive engines ignore weights):
// the controller's pause/unpause ping-pong, migration's stand-in backend (mig_gnt_*) and transfer
// entries, enabled in nearly every state, took about 60% of the steps of HYP_BUDGET's runs (measured),
// which then found the 5-step map and unmap only after 195 to 744 test cases (seeds 0 and 1).
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

/// Two domains (dom1 the migrating guest) on one pcpu, one page each, the atomic unmap, everything
/// the trace does not need switched off.
instance small { NDOM = 2, VPD = 1, NPCPU = 1,
                 CTRL_PAUSE_MAX = 1, DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false,
                 CREDIT_MAX = 1, TICKS_PER_ACCT = 2, SCHED_EVENT_STANDIN = false,
                 SCHED_AFFINITY_OPS = false,
                 EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_MASKING = false, EVTCHN_ADMIN = false,
                 EVTCHN_VIRQS = false, EVTCHN_IPIS = false, EVTCHN_BLOCKING = false,
                 MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1, MM_MAX_PAGES = 1, MM_MAXREF = 3,
                 MM_STANDALONE_KILL = false, MM_PT = false, MM_RECORD_RC = false, GNT_NREF = 1, GNT_NHANDLE = 1,
                 MIG_NPAGE = 1, MIG_MAXVAL = 1, MIG_NVCPU = 1, MIG_MAX_ROUNDS = 1, MIG_DIRTY_THRESHOLD = 1 }
