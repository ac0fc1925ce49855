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
// which then found the 5-step map and unmap only after 195 to 744 test cases (seeds 0 and 1). The
// bodies are domain.xm's, migration.xm's and grant.xm's, unchanged (an override restates the action).

/// XEN_DOMCTL_pausedomain (domain.xm), rare in random runs.
@ref("xen/common/domctl.c:do_domctl")
@ref("xen/common/domain.c:__domain_pause_by_systemcontroller")
@weight(1)
override action domctl_pausedomain(caller: Dom, d: Dom) {
  let xen_rc = dom_xen_rc_pause(caller, d)
  require dom_state[caller] == DOM_ALIVE
  let r = dom_pause_errno(caller, d)
  require DOM_REFUSALS || r == DOM_OK
  dom_result := r
  if r == DOM_OK {
    xsm_granted(XSMOP_DOMCTL, caller, d)
    dom_ctrl_pause_count[d] := dom_ctrl_pause_count[d] + 1
    domain_pause(caller, d)
  }
  assert dom_result == xen_rc, "dom_xen_result: the result is not the one Xen returns in that state"
}

/// XEN_DOMCTL_unpausedomain (domain.xm), rare in random runs.
@ref("xen/common/domain.c:domain_unpause_by_systemcontroller")
@weight(1)
override action domctl_unpausedomain(caller: Dom, d: Dom) {
  let xen_rc = dom_xen_rc_unpause(caller, d)
  require dom_state[caller] == DOM_ALIVE
  let r = dom_unpause_errno(caller, d)
  require DOM_REFUSALS || r == DOM_OK
  dom_result := r
  if r == DOM_OK {
    xsm_granted(XSMOP_DOMCTL, caller, d)
    dom_ctrl_pause_count[d] := dom_ctrl_pause_count[d] - 1
    if dom_ctrl_pause_count[d] == 0 {
      dom_creation_finished[d] := true
    }
    domain_unpause(d)
  }
  assert dom_result == xen_rc, "dom_xen_result: the result is not the one Xen returns in that state"
}

/// migration.xm's backend copy into page p, rare in random runs.
@ref("xen/common/grant_table.c:gnttab_copy_buf")
@weight(1)
override action mig_gnt_copy_in(p: MigPage) {
  require mig_src_alive() && mig_fe_connected
  mig_src_mem[p] := mig_next_val(mig_src_mem[p])
  mig_mark_dirty(p)
}

/// migration.xm's backend map of page p, rare in random runs.
@ref("xen/common/grant_table.c:map_grant_ref")
@weight(1)
override action mig_gnt_map(p: MigPage) {
  require mig_src_alive() && mig_fe_connected && !mig_gnt_mapped[p]
  mig_gnt_mapped[p] := true
}

/// migration.xm's backend unmap of page p, rare in random runs.
@ref("xen/common/grant_table.c:unmap_common")
@weight(1)
override action mig_gnt_unmap(p: MigPage) {
  require mig_gnt_mapped[p]
  mig_gnt_mapped[p] := false
  mig_mark_dirty(p)
}

/// migration.xm's backend write through its mapping of page p, rare in random runs.
@ref("xen/common/grant_table.c:map_grant_ref")
@weight(1)
override action mig_gnt_write(p: MigPage) {
  require mig_gnt_mapped[p]
  mig_src_mem[p] := mig_next_val(mig_src_mem[p])
}

/// grant.xm's accept-transfer entry, rare in random runs.
@ref("xen/include/public/grant_table.h:grant_entry_v1")
@weight(1)
override action gnt_accept_transfer(d: Dom, r: GntRef, from: Dom, pfn: Pfn) {
  require !mm_is_dying(d) && from != d
  require gnt_sha[d][r].gtype == gtf_invalid && mm_p2m[d][pfn] == none
  gnt_sha[d][r] := GntEntry { gtype: gtf_accept_transfer, domid: from, mfn: Mfn(0), pfn: pfn,
                              readonly: false, reading: false, writing: false, completed: false }
  gnt_set_rc(GNTST_okay)
}

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
