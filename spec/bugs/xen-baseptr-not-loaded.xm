/// Bug variant (composed model): MMUEXT_NEW_BASEPTR installs the vcpu's new base and drops the old
/// one's references without loading the new base (new_guest_cr3 without its write_ptbase(curr)),
/// so the pcpu keeps running on the old top-level table after its root-table type reference is
/// gone: the frame may be retyped, given back and reused while it is still the pcpu's CR3 (the
/// class of a page table used after its reference is dropped). Memory's own invariants see only
/// the vcpu's base (v->arch.guest_table), which is right; only what the pcpu has loaded is wrong.
/// The one change: mm_hook_ptbase_changed does not write CR3 on the vcpu's pcpu.
/// Breaks: xen_ptbase_owned (properties.md F29, the composed per-vcpu form).
/// Expected shortest trace: 6 steps (dom0's vcpu is scheduled and switched in: four steps; dom0
/// populates a page; the vcpu sets that page as its base: the failing state, where the pcpu's CR3
/// still holds the idle page tables' none).
model xen_baseptr_not_loaded

include "../xen.xm"

/// new_guest_cr3 without write_ptbase(curr): the pcpu's CR3 keeps the old base.
@ref("xen/arch/x86/mm.c:new_guest_cr3")
override proc mm_hook_ptbase_changed(v: VCpu) {
  require dom_vcpu_executing(v)
}

// ---- @weight(1) for the Hypothesis machine only (random runs; the exhaustive engines ignore weights):
// the controller's pause/unpause ping-pong, migration's stand-in backend (mig_gnt_*) and transfer
// entries, enabled in nearly every state, took about 60% of the steps of HYP_BUDGET's runs (measured),
// which then found the 6-step switch-in, populate and base change only after 263 to 647 test cases
// (seeds 1 and 0). The bodies are domain.xm's, migration.xm's and grant.xm's, unchanged (an override
// restates the action).

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

/// Two domains (dom1 is the migrating guest), one pcpu, one guest frame, everything the trace does not
/// need switched off.
instance small { NDOM = 2, VPD = 1, NPCPU = 1,
                 CTRL_PAUSE_MAX = 1, DOM_REFUSALS = false,
                 CREDIT_MAX = 1, TICKS_PER_ACCT = 2, SCHED_EVENT_STANDIN = false,
                 SCHED_AFFINITY_OPS = false,
                 EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_MASKING = false, EVTCHN_ADMIN = false,
                 EVTCHN_VIRQS = false, EVTCHN_IPIS = false, EVTCHN_BLOCKING = false,
                 MM_NMFN = 2, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1, MM_MAX_PAGES = 1, MM_MAXREF = 3,
                 MM_STANDALONE_KILL = false, MM_RECORD_RC = false, MM_TLB = false, GNT_NREF = 1, GNT_NHANDLE = 1,
                 MIG_NPAGE = 1, MIG_MAXVAL = 1, MIG_NVCPU = 1, MIG_MAX_ROUNDS = 1, MIG_DIRTY_THRESHOLD = 1 }
