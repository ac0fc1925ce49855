/// The whole Xen model: every subsystem file, with the cross-subsystem hooks wired to the real
/// implementations (spec/hooks.xm; docs/model.md, "How the subsystems compose"). Each subsystem's stand-ins for the others are
/// switched off here (by constants in the instances, or by overriding the stand-in action with
/// `require false`).
///
/// The migrating guest of migration.xm is a domain of domain.xm (the last one, mig_guest()): one
/// lifecycle, one pause count; migration suspends it through domain.xm's domain_shutdown, resumes
/// it with domain_resume and destroys it with domain_kill and the teardown steps of every subsystem.
/// memory.xm's per-vcpu page-table bases (mm_cr3) and context_switch.xm's loaded page tables (ptbase,
/// a domain) meet in xen_loaded_cr3, the frame each pcpu has in CR3, which write_ptbase sets from
/// the vcpu it loads; the invariant xen_ptbase_owned relates them.
model xen

include "common.xm"
include "hooks.xm"
include "domain.xm"
include "sched.xm"
include "context_switch.xm"
include "evtchn.xm"
include "irq.xm"
include "memory.xm"
include "grant.xm"
include "migration.xm"

// ---------------------------------------------------------------------------------------------
// Domain lifecycle, as the other subsystems see it
// ---------------------------------------------------------------------------------------------

/// A domain is alive for the other subsystems while domain.xm says DOM_ALIVE.
@ref("xen/include/xen/sched.h:domain")
override def hook_dom_alive(d: Dom): bool = dom_state[d] == DOM_ALIVE

/// d->is_dying != DOMDYING_alive: domain_kill has started (dying or dead).
@ref("xen/common/domain.c:domain_kill")
override def hook_dom_dying(d: Dom): bool = dom_state[d] == DOM_DYING || dom_state[d] == DOM_DEAD

/// domain_relinquish_resources: grant mappings, then event channels, then memory, one bounded step
/// per continuation.
@ref("xen/common/domain.c:domain_relinquish_resources")
override proc hook_teardown_step(d: Dom, s: TeardownStep) {
  if s == TD_GRANTS {
    gnt_release_one(d)
  } else if s == TD_EVTCHN {
    evtchn_destroy_one(d)
  } else if exists q: PCpu :: xen_holds_lazily(q, d) {
    // domain_kill's domain_pause -> vcpu_sleep_sync -> sync_vcpu_execstate: a pcpu still holding a
    // vcpu of d lazily (under its idle vcpu) switches to the idle page tables before the vcpus'
    // bases are dropped. (Xen does it when the pause starts; the model at the first memory step.)
    require forall q: PCpu :: xen_holds_lazily(q, d) => cs_phase[q] != CS_SWITCH
    foreach q: PCpu where xen_holds_lazily(q, d) {
      cs_sync_local_execstate(q)
    }
  } else if d == mig_guest() && (exists p: MigPage :: mig_src_owned[p]) {
    // the migrating guest's pages (migration.xm's view of its memory) go first
    choose p: MigPage where mig_src_owned[p] && (forall k: MigPage :: ord(k) < ord(p) => !mig_src_owned[k]) {
      mig_relinquish_page(p)
    }
  } else {
    mm_relinquish_one(d)
  }
}

/// Pcpu q has the state of a vcpu of d loaded (q runs its idle vcpu on it, d being paused).
@ref("xen/arch/x86/domain.c:sync_vcpu_execstate")
def xen_holds_lazily(q: PCpu, d: Dom): bool = curr_vcpu[q] != none && dom_of(get(curr_vcpu[q])) == d

/// Each kind of resource is released when its subsystem says so.
@ref("xen/common/domain.c:domain_relinquish_resources")
override def hook_teardown_done(d: Dom, s: TeardownStep): bool =
  if s == TD_GRANTS then gnt_release_done(d)
  else if s == TD_EVTCHN then evtchn_all_closed(d)
  else mm_relinquish_done(d) && (forall q: PCpu :: !xen_holds_lazily(q, d))
       && (d != mig_guest() || (forall p: MigPage :: !mig_src_owned[p]))

/// A completed shutdown raises VIRQ_DOM_EXC at the control domain. For the migrating guest shut
/// down for a suspend, migration's ghost records the state the destination must reproduce.
@ref("xen/common/domain.c:domain_shutdown")
override proc hook_domain_shutdown_done(d: Dom) {
  evtchn_send_global_virq(VIRQ_DOM_EXC)
  if d == mig_guest() && dom_shutdown_code[d] == SHUTDOWN_SUSPEND {
    mig_snapshot()
  }
}

/// domain_kill marked d dying: for the migrating guest, its paging state (log-dirty) goes with it
/// (paging_teardown; the save's cleanup turns log-dirty off too).
@ref("xen/common/domain.c:domain_kill")
override proc hook_domain_dying(d: Dom) {
  if d == mig_guest() {
    mig_paging_teardown()
  }
}

/// The event channels' "toolstack paused" test reads domain.xm's controller pause count.
@ref("xen/common/event_channel.c:evtchn_reset")
override def evtchn_ctrl_paused(d: Dom): bool = dom_ctrl_pause_count[d] > 0

/// evtchn's stand-in for domain_kill is replaced by domain.xm's.
@ref("xen/common/domain.c:domain_kill")
override action evtchn_standin_domain_kill(d: Dom) { require false }

/// evtchn's standalone teardown driver is replaced by domain_kill_continue.
@ref("xen/common/event_channel.c:evtchn_destroy")
override action evtchn_destroy_step(d: Dom) { require false }

// ---------------------------------------------------------------------------------------------
// Events and the scheduler
// ---------------------------------------------------------------------------------------------

/// Event delivery kicks the vcpu: vcpu_unblock and vcpu_wake in the scheduler.
@ref("xen/common/sched/core.c:vcpu_unblock")
override proc hook_vcpu_kick(v: VCpu) { vcpu_kick(v) }

/// vcpu_block's re-check reads the event-channel upcall state.
@ref("xen/include/xen/event.h:local_events_need_delivery")
override def hook_local_events_need_delivery(v: VCpu): bool = evtchn_local_events_need_delivery(v)

/// SCHEDOP_block enables event delivery first (local_event_delivery_enable).
@ref("xen/common/sched/core.c:vcpu_block_enable_events")
override proc sched_block_enable_events(v: VCpu) { evtchn_vcpu[v].upcall_mask := false }

/// The event channels see the scheduler's _VPF_blocked.
@ref("xen/include/xen/sched.h:_VPF_blocked")
override def evtchn_is_blocked(v: VCpu): bool = vpf_blocked[v]

/// A vcpu executes guest code (upcalls, hypercalls) only when the scheduler runs it.
override def evtchn_vcpu_runs(v: VCpu): bool = sched_vcpu_executing(v)

/// evtchn's stand-in for SCHEDOP_block is replaced by sched.xm's schedop_block.
@ref("xen/common/sched/core.c:vcpu_block")
override action evtchn_vcpu_block(v: VCpu) { require false }

// ---------------------------------------------------------------------------------------------
// Memory and migration
// ---------------------------------------------------------------------------------------------

/// A write into a frame of the migrating guest marks its page dirty in the log-dirty bitmap.
@ref("xen/arch/x86/mm/paging.c:paging_mark_dirty")
override proc mm_hook_page_dirty(d: Dom, m: Mfn) {
  if xen_is_mig_frame(d, m) {
    mig_mark_dirty(xen_mig_page(m))
    xen_mig_unmarked[xen_mig_page(m)] := false
  }
}

// ---------------------------------------------------------------------------------------------
// Migration: every write into the migrating guest's frames marks its page dirty (H56)
// ---------------------------------------------------------------------------------------------

/// Frame m of domain d is the migrating guest's and its M2P entry names one of migration's pages.
def xen_is_mig_frame(d: Dom, m: Mfn): bool =
  d == mig_guest() && mm_m2p[m] != none && ord(get(mm_m2p[m])) < MIG_NPAGE
/// Migration's page behind such a frame.
def xen_mig_page(m: Mfn): MigPage = MigPage(ord(get(mm_m2p[m])))

/// Ghost of H56: the pages of the migrating guest that a step wrote while log-dirty mode was on and
/// left out of the bitmap (a write of a page already marked leaves nothing to record).
var xen_mig_unmarked: MigPage -> bool

/// A memory or grant path writes frame m of domain d (a page-table entry, the M2P entry behind it, a
/// grant copy's destination, a writable grant mapping given back). The write names the frame's owner
/// (for a grant, the granter); a mark that names another domain is a missing mark.
@ref("xen/arch/x86/mm/paging.c:paging_mark_dirty")
override proc mm_hook_frame_written(d: Dom, m: Mfn) {
  if xen_is_mig_frame(d, m) && mig_logdirty && !mig_dirty[xen_mig_page(m)] {
    xen_mig_unmarked[xen_mig_page(m)] := true
  }
}

/// Memory and grant operations of the migrating guest are its own hypercalls: it issues them only
/// while one of its vcpus executes (the scheduler runs it). Once it is shut down for the suspend
/// every vcpu is paused for shutdown (domain_shutdown: vcpu_pause_nosync), no longer runnable and
/// descheduled, so after the final clean it dirties none of its pages itself.
@ref("xen/common/domain.c:domain_shutdown")
@ref("xen/include/xen/sched.h:vcpu_runnable")
override def hook_dom_executes(d: Dom): bool = d != mig_guest() || mig_src_executing()

/// The frame each pcpu has loaded in CR3: the base of the vcpu whose state is loaded there, as
/// write_ptbase read it (none: the idle page tables, or a vcpu without a base).
@ref("xen/arch/x86/domain.c:write_ptbase")
var xen_loaded_cr3: PCpu -> Mfn?

/// write_ptbase(n) in __context_switch: CR3 := n's base (v->arch.cr3 from v->arch.guest_table);
/// the CR3 write flushes p's TLB (non-global entries: all guest translations).
@ref("xen/arch/x86/domain.c:write_ptbase")
@ref("xen/arch/x86/flushtlb.c:switch_cr3_cr4")
override proc cs_hook_ptbase_loaded(p: PCpu, n: VCpu?) {
  xen_loaded_cr3[p] := if n == none then none else mm_cr3[get(n)]
  mm_flush_pcpu(p)
}

/// MMUEXT_NEW_BASEPTR is issued by vcpu v on itself, so v executes on some pcpu p; new_guest_cr3
/// loads the new base there at once (write_ptbase(curr)) before the old base's references go.
/// context_switch.xm's ptbase names the domain whose tables are loaded, which stays v's.
@ref("xen/arch/x86/mm.c:new_guest_cr3")
override proc mm_hook_ptbase_changed(v: VCpu) {
  require dom_vcpu_executing(v)
  choose p: PCpu where cur[p] == v {
    xen_loaded_cr3[p] := mm_cr3[v]
    mm_flush_pcpu(p)
  }
}

/// A pcpu's TLB caches translations only for the vcpu the scheduler runs there.
@ref("xen/common/sched/core.c:schedule")
override def mm_hook_runs_on(d: Dom, p: PCpu): bool =
  cur[p] != none && dom_of(get(cur[p])) == d && dom_vcpu_executing(get(cur[p]))

// ---------------------------------------------------------------------------------------------
// The migrating guest is a domain of domain.xm
// ---------------------------------------------------------------------------------------------

/// The domain.xm vcpu behind migration's vcpu v (MIG_NVCPU == VPD in every instance).
def xen_mig_vcpu(v: MigVcpu): VCpu = VCpu(ord(mig_guest()) * VPD + ord(v))

/// The migrating guest's shutdown, resume and destruction are migration's (xl's migrate holds the
/// domain): domain.xm's own calls for them are not made on it.
@ref("tools/xl/xl_migrate.c:migrate_domain")
override def hook_dom_lifecycle_owned(d: Dom): bool = d == mig_guest()

/// d->is_dying of the migrating guest, from domain.xm.
@ref("xen/include/xen/sched.h:domain")
override def mig_src_alive(): bool = dom_state[mig_guest()] == DOM_ALIVE
@ref("xen/common/domain.c:domain_kill")
override def mig_src_is_dying(): bool = dom_state[mig_guest()] == DOM_DYING
@ref("xen/common/domain.c:domain_kill")
override def mig_src_is_dead(): bool = dom_state[mig_guest()] == DOM_DEAD
/// domain.xm records the reason exactly while the domain is shutting down (its shutdown completes
/// at once: every vcpu is marked paused for shutdown in the same step).
@ref("xen/common/domain.c:domain_shutdown")
override def mig_src_is_shutting_down(): bool = dom_shutdown_code[mig_guest()] != none
@ref("xen/common/domain.c:__domain_finalise_shutdown")
override def mig_src_is_shut_down(): bool = dom_is_shut_down[mig_guest()]
/// Suspend is SHUTDOWN_suspend; migration's "crash" is every other reason.
@ref("xen/common/domain.c:domain_shutdown")
override def mig_src_code_is(c: MigSdCode): bool =
  dom_shutdown_code[mig_guest()] != none
  && ((get(dom_shutdown_code[mig_guest()]) == SHUTDOWN_SUSPEND) == (c == MIG_SD_SUSPEND))
@ref("xen/common/domain.c:domain_shutdown")
override def mig_src_vcpu_stopped(v: MigVcpu): bool = v_paused_for_shutdown[xen_mig_vcpu(v)]
/// A vcpu of the guest writes memory or makes a hypercall only while the scheduler runs it.
@ref("xen/common/sched/core.c:schedule")
override def mig_src_vcpu_executes(v: MigVcpu): bool = mig_src_vcpu_runs(v) && dom_vcpu_executing(xen_mig_vcpu(v))

/// SCHEDOP_shutdown(suspend) or a crash of the guest: domain.xm's domain_shutdown (the first reason
/// sticks; every vcpu paused for shutdown; VIRQ_DOM_EXC and, for a suspend, migration's snapshot
/// through hook_domain_shutdown_done).
@ref("xen/common/domain.c:domain_shutdown")
override proc mig_domain_shutdown(v: MigVcpu, code: MigSdCode) {
  domain_shutdown(mig_guest(), if code == MIG_SD_SUSPEND then SHUTDOWN_SUSPEND else SHUTDOWN_CRASH)
}

/// The suspend-cancel after an abort: domain.xm's domain_resume; the guest reconnects its frontends.
@ref("xen/common/domain.c:domain_resume")
override proc mig_src_resume() {
  domain_resume(mig_guest())
  mig_fe_connected := true
}

/// The destruction after the commit: domain.xm's domain_kill by the control domain; the teardown
/// is domain_kill_continue's (grants, event channels, then memory, the guest's pages included).
@ref("xen/common/domain.c:domain_kill")
override proc mig_src_do_kill() {
  domain_kill(Dom(0), mig_guest())
}

/// domain.xm's domain_shutdown pauses every vcpu in the same step: no stop is left to take effect.
@ref("xen/common/domain.c:vcpu_end_shutdown_deferral")
override action mig_src_vcpu_stop(v: MigVcpu) { require false }

/// The teardown is domain_kill_continue's (hook_teardown_step, TD_MEMORY).
@ref("xen/arch/x86/domain.c:domain_relinquish_resources")
override action mig_src_relinquish(p: MigPage) { require false }

/// xl's migrate_domain is done once the destroyed source is dead.
@ref("tools/xl/xl_migrate.c:migrate_domain")
override action mig_src_dead() {
  require mig_phase == MIG_COMMITTED && mig_src_is_dead()
  mig_phase := MIG_DONE
}

/// The migrating guest exists at boot (as dom0 does): created, its vcpus online and queued to run,
/// so that a migration can start at once. Runs after every subsystem's own init block.
init {
  dom_state[mig_guest()] := DOM_ALIVE
  dom_creation_finished[mig_guest()] := true
  foreach v: VCpu where dom_of(v) == mig_guest() {
    vpf_down[v] := false
    v_initialised[v] := true
    runstate[v] := RS_RUNNABLE
    runq_insert(processor[v], v)
  }
}

/// Migration's vcpus are the guest's domain.xm vcpus, one for one.
invariant xen_mig_vcpus_match: MIG_NVCPU == VPD

/// F29 across subsystems, per vcpu: the frame a pcpu has in CR3 is the base of the vcpu whose state
/// is loaded there (curr_vcpu: the lazily kept one under the idle vcpu included), a frame that
/// vcpu's domain owns and has typed as a live top-level table; the idle page tables go with no
/// guest state.
@ref("xen/arch/x86/domain.c:write_ptbase")
@ref("xen/arch/x86/mm.c:new_guest_cr3")
invariant xen_ptbase_owned: forall p: PCpu ::
  (curr_vcpu[p] == none => xen_loaded_cr3[p] == none) &&
  (curr_vcpu[p] != none =>
     xen_loaded_cr3[p] == mm_cr3[get(curr_vcpu[p])] &&
     (xen_loaded_cr3[p] != none =>
        mm_frame[get(xen_loaded_cr3[p])].owner == dom_of(get(curr_vcpu[p]))
        && mm_live(get(xen_loaded_cr3[p]), pgt_l2)))

/// H56 across subsystems: while the migrating guest is being saved (log-dirty on), every path that
/// writes one of its frames (memory.xm's page-table and M2P updates, grant.xm's copy destination and
/// the unmap of a writable grant mapping) marks the page in migration's log-dirty bitmap in the same
/// step, as Xen's paging_mark_dirty / paging_mark_pfn_dirty / gnttab_mark_dirty calls do. Only a fetch
/// (XEN_DOMCTL_SHADOW_OP_CLEAN: mig_next_round, mig_final_clean) or log-dirty going off clears a bit,
/// so a page written since the last round's fetch is in the dirty set and the next round, or the
/// final one, sends it again.
@ref("xen/arch/x86/mm/paging.c:paging_mark_dirty")
@ref("xen/common/grant_table.c:gnttab_copy_buf")
@ref("xen/common/grant_table.c:unmap_common")
invariant xen_mig_writes_marked: forall p: MigPage :: !xen_mig_unmarked[p]

/// I37 across subsystems: a dead domain holds nothing: its grant mappings, its event channels, its
/// page-table base and its frames' allocations and pins were released before it became dead (frames
/// that others still map stay owned by it, as zombies), and for the migrating guest its pages.
@ref("xen/common/domain.c:domain_relinquish_resources")
invariant xen_dead_owns_nothing: forall d: Dom :: dom_state[d] == DOM_DEAD =>
  gnt_release_done(d) && evtchn_all_closed(d) && (forall v: VCpu :: dom_of(v) == d => mm_cr3[v] == none)
  && (forall m: Mfn :: mm_frame[m].owner == d => !mm_frame[m].allocated && !mm_frame[m].pinned)
  && (d != mig_guest() || (forall p: MigPage :: !mig_src_owned[p]))

// Instances. The composition is far beyond the explicit engine even at `small`; use BMC to a stated
// depth, or simulation. Every subsystem's own file remains the place for exhaustive checks.
/// The smallest composition: 2 domains x 1 vcpu, 2 pcpus, every subsystem at its small size.
instance small { NDOM = 2, VPD = 1, NPCPU = 2,
                 CTRL_PAUSE_MAX = 1, DOM_REFUSALS = false,
                 CREDIT_MAX = 1, TICKS_PER_ACCT = 2, SCHED_EVENT_STANDIN = false,
                 SCHED_AFFINITY_OPS = false,
                 EVTCHN_NPORTS = 2, NIRQ = 2, EVTCHN_MASKING = false, EVTCHN_ADMIN = false,
                 MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1, MM_MAX_PAGES = 2, MM_MAXREF = 3,
                 MM_STANDALONE_KILL = false, GNT_NREF = 1, GNT_NHANDLE = 2,
                 MM_RACES = true, GNT_RACES = true, EVTCHN_RACES = true,
                 MIG_NPAGE = 1, MIG_MAXVAL = 1, MIG_NVCPU = 1, MIG_MAX_ROUNDS = 2, MIG_DIRTY_THRESHOLD = 1,
                 GNT_TLB = true }
/// The README's main job (BMC to a stated depth): as small, with refusals and affinity changes.
instance default { NDOM = 2, VPD = 1, NPCPU = 2,
                   CTRL_PAUSE_MAX = 1,
                   CREDIT_MAX = 1, TICKS_PER_ACCT = 2, SCHED_EVENT_STANDIN = false,
                   EVTCHN_NPORTS = 3, NIRQ = 2,
                   MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1, MM_MAX_PAGES = 2, MM_MAXREF = 3,
                   MM_STANDALONE_KILL = false, GNT_NREF = 1, GNT_NHANDLE = 2,
                   MM_RACES = true, GNT_RACES = true, EVTCHN_RACES = true,
                   MIG_NPAGE = 2, MIG_MAXVAL = 1, MIG_NVCPU = 1, MIG_MAX_ROUNDS = 2, MIG_DIRTY_THRESHOLD = 1,
                   GNT_TLB = true }
/// H56's check (tests/test_spec.py, test_xen_dirty_marking_bounded): the migrating guest dom1 and dom0
/// on one pcpu, one page each, everything a grant write into a migrating guest's page does not need
/// switched off (the instance the composed H56 variants declare as their own `small`). Explicit, deadlock
/// off: no violation to depth 5 (atomic unmap), and to depth 7 with GNT_RACES = true (the split unmap);
/// the states are in tests/spec_expectations.py (XEN_DIRTY).
instance dirty { NDOM = 2, VPD = 1, NPCPU = 1,
                 CTRL_PAUSE_MAX = 1, DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false,
                 CREDIT_MAX = 1, TICKS_PER_ACCT = 2, SCHED_EVENT_STANDIN = false,
                 SCHED_AFFINITY_OPS = false,
                 EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_MASKING = false, EVTCHN_ADMIN = false,
                 EVTCHN_VIRQS = false, EVTCHN_IPIS = false, EVTCHN_BLOCKING = false,
                 MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1, MM_MAX_PAGES = 1, MM_MAXREF = 3,
                 MM_STANDALONE_KILL = false, MM_PT = false, MM_RECORD_RC = false, GNT_NREF = 1, GNT_NHANDLE = 1,
                 MIG_NPAGE = 1, MIG_MAXVAL = 1, MIG_NVCPU = 1, MIG_MAX_ROUNDS = 1, MIG_DIRTY_THRESHOLD = 1 }
/// Benchmarks: 3 domains.
instance large { NDOM = 3, VPD = 1, NPCPU = 2,
                 CTRL_PAUSE_MAX = 2,
                 CREDIT_MAX = 2, TICKS_PER_ACCT = 2, SCHED_EVENT_STANDIN = false,
                 EVTCHN_NPORTS = 3, NIRQ = 2,
                 MM_NMFN = 4, MM_NPFN = 2, MM_NSLOT = 2, MM_NL1E = 1, MM_MAX_PAGES = 2, MM_MAXREF = 3,
                 MM_STANDALONE_KILL = false, GNT_NREF = 1, GNT_NHANDLE = 2,
                 MIG_NPAGE = 2, MIG_MAXVAL = 1, MIG_NVCPU = 1, MIG_MAX_ROUNDS = 3, MIG_DIRTY_THRESHOLD = 1,
                 GNT_TLB = true }
