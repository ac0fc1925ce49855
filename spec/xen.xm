/// The whole Xen model: every subsystem file, with the cross-subsystem hooks wired to the real
/// implementations (spec/hooks.xm; docs/model.md, "How the subsystems compose"). Each subsystem's stand-ins for the others are
/// switched off here (by constants in the instances, or by overriding the stand-in action with
/// `require false`).
///
/// Simplifications of the composition: migration.xm keeps its own abstraction of the migrating
/// guest's lifecycle (mig_src_*), parallel to domain.xm's; memory.xm's page-table base (mm_cr3) and
/// context_switch.xm's loaded page tables (ptbase, a domain) are related by the invariant
/// xen_ptbase_owned below rather than merged.
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
  } else {
    mm_relinquish_one(d)
  }
}

/// Each kind of resource is released when its subsystem says so.
@ref("xen/common/domain.c:domain_relinquish_resources")
override def hook_teardown_done(d: Dom, s: TeardownStep): bool =
  if s == TD_GRANTS then gnt_release_done(d)
  else if s == TD_EVTCHN then evtchn_all_closed(d)
  else mm_relinquish_done(d)

/// A completed shutdown raises VIRQ_DOM_EXC at the control domain.
@ref("xen/common/domain.c:domain_shutdown")
override proc hook_domain_shutdown_done(d: Dom) {
  evtchn_send_global_virq(VIRQ_DOM_EXC)
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
  if d == mig_guest() && mm_m2p[m] != none {
    if ord(get(mm_m2p[m])) < MIG_NPAGE {
      mig_mark_dirty(MigPage(ord(get(mm_m2p[m]))))
    }
  }
}

/// Memory and grant operations of the migrating guest are its own hypercalls: it issues them only
/// while one of its vcpus runs (migration.xm's mig_src_running). Once it is shut down for the
/// suspend every vcpu is paused for shutdown (domain_shutdown: vcpu_pause_nosync), so after the
/// final clean it dirties none of its pages itself.
@ref("xen/common/domain.c:domain_shutdown")
@ref("xen/include/xen/sched.h:vcpu_runnable")
override def hook_dom_executes(d: Dom): bool = d != mig_guest() || mig_src_running()

/// F29 across subsystems: a pcpu that has a guest's page tables loaded has that guest's (memory.xm's
/// page-table base, if it has one, is a frame the guest owns).
@ref("xen/arch/x86/domain.c:write_ptbase")
invariant xen_ptbase_owned: forall p: PCpu ::
  ptbase[p] != none && mm_cr3[get(ptbase[p])] != none
    => mm_frame[get(mm_cr3[get(ptbase[p])])].owner == ptbase[p]

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
                 MIG_NPAGE = 1, MIG_MAXVAL = 1, MIG_NVCPU = 1, MIG_MAX_ROUNDS = 2, MIG_DIRTY_THRESHOLD = 1 }
/// The README's main job (BMC to a stated depth): as small, with refusals and affinity changes.
instance default { NDOM = 2, VPD = 1, NPCPU = 2,
                   CTRL_PAUSE_MAX = 1,
                   CREDIT_MAX = 1, TICKS_PER_ACCT = 2, SCHED_EVENT_STANDIN = false,
                   EVTCHN_NPORTS = 3, NIRQ = 2,
                   MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1, MM_MAX_PAGES = 2, MM_MAXREF = 3,
                   MM_STANDALONE_KILL = false, GNT_NREF = 1, GNT_NHANDLE = 2,
                   MM_RACES = true, GNT_RACES = true, EVTCHN_RACES = true,
                   MIG_NPAGE = 2, MIG_MAXVAL = 1, MIG_NVCPU = 1, MIG_MAX_ROUNDS = 2, MIG_DIRTY_THRESHOLD = 1 }
/// Benchmarks: 3 domains.
instance large { NDOM = 3, VPD = 1, NPCPU = 2,
                 CTRL_PAUSE_MAX = 2,
                 CREDIT_MAX = 2, TICKS_PER_ACCT = 2, SCHED_EVENT_STANDIN = false,
                 EVTCHN_NPORTS = 3, NIRQ = 2,
                 MM_NMFN = 4, MM_NPFN = 2, MM_NSLOT = 2, MM_NL1E = 1, MM_MAX_PAGES = 2, MM_MAXREF = 3,
                 MM_STANDALONE_KILL = false, GNT_NREF = 1, GNT_NHANDLE = 2,
                 MIG_NPAGE = 2, MIG_MAXVAL = 1, MIG_NVCPU = 2, MIG_MAX_ROUNDS = 3, MIG_DIRTY_THRESHOLD = 1 }
