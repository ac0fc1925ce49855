/// Pre-copy live migration of one guest from a source host to a destination host, and the part
/// of the domain lifecycle around it: suspend (shutdown with reason suspend), resume after an
/// abort, and destruction of the source after the commit.
///
/// What is modelled (xen-facts.md sections 1 and 8; properties.md groups H and I):
/// - the migrating guest's pages with contents (tiny: MIG_NPAGE pages holding 0..MIG_MAXVAL) and
///   its vcpus' register state (one small value per vcpu);
/// - everything that writes those pages while the guest lives: the guest's own stores, a backend
///   (dom0's netback/blkback) copying into them with GNTTABOP_copy or writing through a writable
///   grant mapping (marked dirty only at unmap, as Xen does), and Xen's own writes (M2P updates);
/// - log-dirty mode with its bitmap; rounds that atomically fetch-and-clear the bitmap
///   (XEN_DOMCTL_SHADOW_OP_CLEAN) and send the fetched pages one page per action;
/// - the precopy policy (stop-and-copy when fewer than MIG_DIRTY_THRESHOLD pages are dirty or
///   after MIG_MAX_ROUNDS rounds; an abort at any time before the commit);
/// - the suspend handshake (request, the guest's SCHEDOP_shutdown(suspend), vcpus stopping,
///   the save side confirming "shut down with reason suspend"), the final clean and send, the
///   vcpu state, the destination's "ready", the commit ("go"), the destination's unpause and the
///   preemptible destruction of the source (dying, one page relinquished per step, dead).
///
/// Abstractions: the two hosts are two sets of variables (mig_src_*, mig_dst_*); the stream is
/// reliable and in order, so "send a page" is one atomic copy; the guest may crash while the
/// suspend request is pending (standing in for every shutdown reason other than suspend); a
/// destination failure is modelled as the source aborting (the connection breaks both ways);
/// deferred pages (pfns Xen could not map during the live phase) are left out: they are sent in
/// the final round like dirty pages; a write always stores a new value (mig_next_val).
model migration

include "common.xm"
include "hooks.xm"

// ---------------------------------------------------------------- constants and types

/// Pages (pfns) of the migrating guest.
const MIG_NPAGE: int[1..4] = 2
/// Largest value a page or a register holds: contents range over 0..MIG_MAXVAL.
const MIG_MAXVAL: int[1..3] = 1
/// Vcpus of the migrating guest (d->max_vcpus).
const MIG_NVCPU: int[1..3] = 1
/// Round limit of the precopy policy (Xen's simple_precopy_policy: SPP_MAX_ITERATIONS = 5).
const MIG_MAX_ROUNDS: int[1..5] = 2
/// Stop-and-copy as soon as fewer than this many pages are dirty (SPP_TARGET_DIRTY_COUNT = 50).
const MIG_DIRTY_THRESHOLD: int[0..4] = 1

/// A pfn of the migrating guest. The pages are interchangeable, but the sort is not declared
/// symmetric so that spec/xen.xm can map the memory model's pfns onto it (MigPage(i)).
sort MigPage = mpage[MIG_NPAGE]
/// A vcpu of the migrating guest (not symmetric, for the same reason).
sort MigVcpu = mvcpu[MIG_NVCPU]
/// The contents of one page, or the register state of one vcpu, abstracted to a small number.
type MigVal = int[0..MIG_MAXVAL]
/// The precopy round counter; one above the limit so that a policy that overruns the limit is
/// reported by the invariant mig_precopy_bounded rather than as an overflow.
type MigRound = int[0..MIG_MAX_ROUNDS + 1]

/// Where the save side (libxenguest's save plus xl's migrate_domain) is: MIG_IDLE no migration
/// in progress; MIG_PRECOPY log-dirty on, live rounds running; MIG_SUSPENDING stop-and-copy
/// decided, suspend requested, waiting for the guest; MIG_SUSPENDED confirmed shut down with
/// reason suspend; MIG_FINAL the final clean was taken and its pages are being sent; MIG_SENT
/// memory and vcpu state sent (END record); MIG_COMMITTED "go" sent, the destination owns the
/// guest; MIG_DONE the source domain is dead.
enum MigPhase {
  MIG_IDLE, MIG_PRECOPY, MIG_SUSPENDING, MIG_SUSPENDED, MIG_FINAL, MIG_SENT, MIG_COMMITTED, MIG_DONE
}
/// d->is_dying: alive -> dying -> dead, monotone.
enum MigLife { MIG_ALIVE, MIG_DYING, MIG_DEAD }
/// d->shutdown_code. SHUTDOWN_crash stands for every reason other than suspend.
enum MigSdCode { MIG_SD_SUSPEND, MIG_SD_CRASH }
/// The destination host's copy of the guest: none; created paused and receiving the stream;
/// restored and still paused, waiting for "go"; unpaused and running.
enum MigDst { MIG_DST_NONE, MIG_DST_RESTORING, MIG_DST_READY, MIG_DST_RUNNING }
/// The result of the last save-side operation (refusals and failures).
enum MigResult { MIG_OK, MIG_EINVAL, MIG_EABORT, MIG_ENOTSUSP }

// ---------------------------------------------------------------- state: source host

/// The source domain's lifecycle (d->is_dying).
@ref("xen/common/domain.c:domain_kill")
var mig_src_life: MigLife
/// Contents of the guest's pages on the source host.
var mig_src_mem: MigPage -> MigVal
/// The guest still owns the frame behind each pfn (cleared by relinquish_memory).
var mig_src_owned: MigPage -> bool = [p: MigPage -> true]
/// Register state of each source vcpu.
var mig_src_regs: MigVcpu -> MigVal
/// d->is_shutting_down.
var mig_src_shutting_down: bool
/// d->shutdown_code: none is SHUTDOWN_CODE_INVALID; the first reason sticks.
var mig_src_code: MigSdCode?
/// v->paused_for_shutdown, and the pause has taken effect (the vcpu no longer runs guest code).
var mig_src_stopped: MigVcpu -> bool
/// d->is_shut_down: every vcpu stopped for the shutdown.
var mig_src_shut_down: bool
/// The guest's frontends are connected to dom0's backends (xenbus state Connected).
var mig_fe_connected: bool = true
/// A backend holds a writable grant mapping of the page.
var mig_gnt_mapped: MigPage -> bool

// ---------------------------------------------------------------- state: log-dirty and save side

/// Log-dirty mode is on for the guest (paging_log_dirty_enable .. XEN_DOMCTL_SHADOW_OP_OFF).
@ref("xen/arch/x86/mm/paging.c:paging_log_dirty_enable")
var mig_logdirty: bool
/// Xen's log-dirty bitmap.
@ref("xen/arch/x86/mm/paging.c:paging_mark_dirty")
var mig_dirty: MigPage -> bool
/// The save side's current batch (its copy of the bitmap fetched by the last clean).
@ref("tools/libs/guest/xg_sr_save.c:send_dirty_pages")
var mig_tosend: MigPage -> bool
/// Save-side phase.
var mig_phase: MigPhase
/// Precopy rounds started (round 1 sends every page).
var mig_round: MigRound
/// The toolstack has asked the guest to suspend (xenstore control/shutdown = "suspend").
var mig_suspend_req: bool
/// Result of the last save-side operation.
var mig_result: MigResult

// ---------------------------------------------------------------- state: destination host

/// The destination's copy of the guest.
var mig_dst: MigDst
/// Contents of the pages received on the destination.
var mig_dst_mem: MigPage -> MigVal
/// Register state restored on the destination.
var mig_dst_regs: MigVcpu -> MigVal

// ---------------------------------------------------------------- ghost state (for properties)

/// Source memory at the moment the guest became shut down with reason suspend.
var mig_susp_mem: MigPage -> MigVal
/// Source vcpu state at that moment.
var mig_susp_regs: MigVcpu -> MigVal
/// The destination copy has been unpaused (activation happened).
var mig_activated: bool
/// Destination memory at activation.
var mig_act_mem: MigPage -> MigVal
/// Destination vcpu state at activation.
var mig_act_regs: MigVcpu -> MigVal

// ---------------------------------------------------------------- helpers

/// The domain id of the migrating guest in the composed model (the last domain; never dom0).
def mig_guest(): Dom = Dom(NDOM - 1)
// The source's lifecycle as the rest of the file reads it. Standalone these read migration.xm's own
// variables (mig_src_*); spec/xen.xm overrides them to read domain.xm's state of mig_guest(), so
// that the migrating guest has one lifecycle, one pause count and one shutdown path.
/// The source domain is alive (d->is_dying == DOMDYING_alive).
@ref("xen/include/xen/sched.h:domain")
def mig_src_alive(): bool = mig_src_life == MIG_ALIVE
/// The source domain is dying (domain_kill has started, resources are being released).
@ref("xen/common/domain.c:domain_kill")
def mig_src_is_dying(): bool = mig_src_life == MIG_DYING
/// The source domain is dead.
@ref("xen/common/domain.c:domain_kill")
def mig_src_is_dead(): bool = mig_src_life == MIG_DEAD
/// d->is_shutting_down.
@ref("xen/common/domain.c:domain_shutdown")
def mig_src_is_shutting_down(): bool = mig_src_shutting_down
/// d->is_shut_down: every vcpu is paused for the shutdown.
@ref("xen/common/domain.c:__domain_finalise_shutdown")
def mig_src_is_shut_down(): bool = mig_src_shut_down
/// d->shutdown_code is c (SHUTDOWN_crash stands for every reason other than suspend).
@ref("xen/common/domain.c:domain_shutdown")
def mig_src_code_is(c: MigSdCode): bool = mig_src_code == c
/// v->paused_for_shutdown has taken effect: v no longer runs guest code.
@ref("xen/common/domain.c:domain_shutdown")
def mig_src_vcpu_stopped(v: MigVcpu): bool = mig_src_stopped[v]
/// Vcpu v may run guest code: its domain is alive and it has not stopped for a shutdown.
@ref("xen/include/xen/sched.h:vcpu_runnable")
def mig_src_vcpu_runs(v: MigVcpu): bool = mig_src_alive() && !mig_src_vcpu_stopped(v)
/// Vcpu v executes guest code now, so it can write memory or issue a hypercall. Standalone: it may
/// run; xen.xm: the scheduler runs it (sched.xm's sched_vcpu_executing).
@ref("xen/common/sched/core.c:schedule")
def mig_src_vcpu_executes(v: MigVcpu): bool = mig_src_vcpu_runs(v)
/// The value a write stores: always a different one, cycling through 0..MIG_MAXVAL. Which new
/// value a write stores matters to no property (only whether it differs and whether its page is
/// marked dirty); cycling keeps the branching small, so random walks also reach deep states.
def mig_next_val(x: MigVal): MigVal = (x + 1) % (MIG_MAXVAL + 1)
/// Some vcpu of the source copy may run guest code: the source copy runs.
def mig_src_running(): bool = exists v: MigVcpu :: mig_src_vcpu_runs(v)
/// Some vcpu of the source copy executes guest code now.
def mig_src_executing(): bool = exists v: MigVcpu :: mig_src_vcpu_executes(v)
/// The destination copy runs.
def mig_dst_running(): bool = mig_dst == MIG_DST_RUNNING
/// Pages currently marked in the log-dirty bitmap (the policy's dirty_count).
def mig_dirty_count(): int = count p: MigPage :: mig_dirty[p]
/// The current batch has been sent completely.
def mig_batch_empty(): bool = forall p: MigPage :: !mig_tosend[p]
/// The save side is streaming (between enabling log-dirty and the commit).
def mig_saving(): bool =
  mig_phase == MIG_PRECOPY || mig_phase == MIG_SUSPENDING || mig_phase == MIG_SUSPENDED
  || mig_phase == MIG_FINAL || mig_phase == MIG_SENT
/// The "go" message has been sent: the destination owns the guest.
def mig_committed(): bool = mig_phase == MIG_COMMITTED || mig_phase == MIG_DONE
/// The guest is shut down, and for the reason suspend (dominfo_shutdown_with(SHUTDOWN_suspend)).
@ref("tools/libs/guest/xg_sr_save.c:suspend_domain")
def mig_src_suspended(): bool = mig_src_is_shut_down() && mig_src_code_is(MIG_SD_SUSPEND)

// ---------------------------------------------------------------- procs

/// Mark a page of the migrating guest dirty if log-dirty mode is on. Every writer calls this;
/// in the composed model the memory and grant subsystems reach it through mm_hook_page_dirty.
@ref("xen/arch/x86/mm/paging.c:paging_mark_dirty")
proc mig_mark_dirty(p: MigPage) {
  if mig_logdirty {
    mig_dirty[p] := true
  }
}

/// Complete the shutdown once every vcpu has stopped: set is_shut_down and, for a suspend,
/// record the source state the destination must reproduce (ghost).
@ref("xen/common/domain.c:__domain_finalise_shutdown")
proc mig_finalise_shutdown() {
  if mig_src_shutting_down && !mig_src_shut_down && (forall v: MigVcpu :: mig_src_stopped[v]) {
    mig_src_shut_down := true
    if mig_src_code == MIG_SD_SUSPEND {
      mig_snapshot()
    }
    hook_domain_shutdown_done(mig_guest())
  }
}

/// Ghost: record the source state the destination must reproduce (at the suspend).
proc mig_snapshot() {
  foreach p: MigPage { mig_susp_mem[p] := mig_src_mem[p] }
  foreach v: MigVcpu { mig_susp_regs[v] := mig_src_regs[v] }
}

/// domain_shutdown(d, reason) called by vcpu v on itself: the first reason sticks, the domain
/// is shutting down, and the calling vcpu stops at once (it pauses itself on the way out of the
/// hypercall). Xen also marks the other vcpus paused_for_shutdown with vcpu_pause_nosync; the
/// pause takes effect on them later, which mig_src_vcpu_stop models.
@ref("xen/common/domain.c:domain_shutdown")
proc mig_domain_shutdown(v: MigVcpu, code: MigSdCode) {
  if mig_src_code == none {
    mig_src_code := code
  }
  mig_src_shutting_down := true
  mig_src_stopped[v] := true
  mig_finalise_shutdown()
}

/// domain_resume: undo a suspend (the toolstack's suspend-cancel after a failed migration):
/// clear the shutdown state and let the vcpus run again; the guest's resume path reconnects
/// its frontends (abstracted into the same step).
@ref("xen/common/domain.c:domain_resume")
proc mig_src_resume() {
  mig_src_shutting_down := false
  mig_src_shut_down := false
  mig_src_code := none
  foreach v: MigVcpu { mig_src_stopped[v] := false }
  mig_fe_connected := true
}

/// Tear down a migration that did not reach the commit: log-dirty off (the save's cleanup), the
/// batch dropped, the source resumed if it had been suspended for the migration (a guest that
/// crashed stays crashed). The destination discards its copy on its own (mig_dst_discard).
@ref("tools/xl/xl_migrate.c:migrate_domain")
proc mig_abort_cleanup(res: MigResult) {
  mig_logdirty := false
  foreach p: MigPage {
    mig_dirty[p] := false
    mig_tosend[p] := false
    mig_susp_mem[p] := 0
  }
  foreach v: MigVcpu { mig_susp_regs[v] := 0 }
  mig_round := 0
  mig_suspend_req := false
  if mig_src_is_shutting_down() && mig_src_code_is(MIG_SD_SUSPEND) {
    mig_src_resume()
  }
  mig_phase := MIG_IDLE
  mig_result := res
}

// ---------------------------------------------------------------- the guest on the source

/// A vcpu of the guest stores a new value into page p through its own mappings; log-dirty mode
/// (shadow write protection or hardware dirty logging) marks the page dirty.
@ref("xen/arch/x86/mm/paging.c:paging_mark_dirty")
action mig_guest_write(v: MigVcpu, p: MigPage) {
  require mig_src_vcpu_executes(v)
  mig_src_mem[p] := mig_next_val(mig_src_mem[p])
  mig_mark_dirty(p)
}

/// A vcpu of the guest computes: its register state changes (no memory is written).
action mig_guest_compute(v: MigVcpu) {
  require mig_src_vcpu_executes(v)
  mig_src_regs[v] := mig_next_val(mig_src_regs[v])
}

/// The guest handles the suspend request: its frontends disconnect (xenbus suspend waits for
/// the backends to close, so no grant mapping of its pages is left), then it calls
/// SCHEDOP_shutdown(SHUTDOWN_suspend).
@ref("xen/common/sched/core.c:do_sched_op")
action mig_guest_suspend(v: MigVcpu) {
  require mig_src_vcpu_executes(v) && mig_suspend_req && !mig_src_is_shutting_down()
  require forall p: MigPage :: !mig_gnt_mapped[p]
  mig_fe_connected := false
  mig_domain_shutdown(v, MIG_SD_SUSPEND)
}

/// A vcpu of the guest crashes while the suspend request is pending (SCHEDOP_shutdown(
/// SHUTDOWN_crash), or Xen's domain_crash): the guest shuts down for a reason other than suspend,
/// which the save side must notice. Crashes at other times are left out: they only end the run
/// (a crash during precopy is equivalent to one at this point, as the save first notices it
/// here), and an absorbing crash enabled in every state would starve random walks.
/// The frontends stay connected. Weight 1 (random runs only): a crash is a rare event, and at the
/// default weight it would end most random runs before the migration gets anywhere.
@ref("xen/common/domain.c:domain_crash")
@weight(1)
action mig_guest_crash(v: MigVcpu) {
  require mig_src_vcpu_executes(v) && mig_suspend_req
  mig_domain_shutdown(v, MIG_SD_CRASH)
}

/// The nosync pause of a shutting-down domain takes effect on vcpu v (or v leaves its
/// shutdown deferral): it stops executing guest code. The last one completes the shutdown.
@ref("xen/common/domain.c:vcpu_end_shutdown_deferral")
action mig_src_vcpu_stop(v: MigVcpu) {
  require mig_src_alive() && mig_src_is_shutting_down() && !mig_src_vcpu_stopped(v)
  mig_src_stopped[v] := true
  mig_finalise_shutdown()
}

// ---------------------------------------------------------------- other writers of the guest's pages

/// A backend in dom0 maps page p writably through a grant the connected frontend issued.
@ref("xen/common/grant_table.c:map_grant_ref")
action mig_gnt_map(p: MigPage) {
  require mig_src_alive() && mig_fe_connected && !mig_gnt_mapped[p]
  mig_gnt_mapped[p] := true
}

/// The backend writes new data into page p through its own writable mapping: dom0's page tables,
/// not the guest's, so log-dirty does not see this write; Xen marks the page dirty at unmap.
@ref("xen/common/grant_table.c:map_grant_ref")
action mig_gnt_write(p: MigPage) {
  require mig_gnt_mapped[p]
  mig_src_mem[p] := mig_next_val(mig_src_mem[p])
}

/// The backend unmaps its writable mapping of page p: "if just unmapped a writable mapping,
/// mark as dirtied".
@ref("xen/common/grant_table.c:unmap_common")
action mig_gnt_unmap(p: MigPage) {
  require mig_gnt_mapped[p]
  mig_gnt_mapped[p] := false
  mig_mark_dirty(p)
}

/// The backend copies new data into page p with GNTTABOP_copy; Xen marks the destination frame
/// dirty after the memcpy.
@ref("xen/common/grant_table.c:gnttab_copy_buf")
action mig_gnt_copy_in(p: MigPage) {
  require mig_src_alive() && mig_fe_connected
  mig_src_mem[p] := mig_next_val(mig_src_mem[p])
  mig_mark_dirty(p)
}

/// Xen itself writes page p on behalf of a running vcpu (MMU_MACHPHYS_UPDATE in
/// do_mmu_update changes which frame backs the pfn and marks it dirty; the runstate and
/// vcpu_info areas are written the same way).
@ref("xen/arch/x86/mm.c:do_mmu_update")
action mig_xen_write(p: MigPage) {
  require mig_src_executing()
  mig_src_mem[p] := mig_next_val(mig_src_mem[p])
  mig_mark_dirty(p)
}

// ---------------------------------------------------------------- Xen's results (properties.md K42)
// What the save side returns, written from libxenguest / xl next to (not through) the actions'
// checks; each save-side action that records a result takes `xen_rc` before it runs and asserts
// `mig_xen_result` after. An abort is always MIG_EABORT.

/// Starting a save: xl's migrate_domain and xc_domain_save refuse a domain that is not a live,
/// running guest (gone, dying, or already shutting down): MIG_EINVAL.
@ref("tools/xl/xl_migrate.c:migrate_domain")
@ref("tools/libs/guest/xg_sr_save.c:send_domain_memory_live")
def mig_xen_rc_start(): MigResult =
  if !mig_src_alive() || mig_src_is_shutting_down() then MIG_EINVAL else MIG_OK

/// suspend_domain's check once the guest is shut down: XEN_DOMINF_shutdown with reason
/// SHUTDOWN_suspend goes on; any other reason is "Domain has not been suspended" (MIG_ENOTSUSP).
@ref("tools/libs/guest/xg_sr_save.c:suspend_domain")
def mig_xen_rc_suspend_confirm(): MigResult =
  if mig_src_code_is(MIG_SD_SUSPEND) then MIG_OK else MIG_ENOTSUSP

// ---------------------------------------------------------------- the save side (source toolstack)

/// Start a live migration: the receiver creates the destination domain paused, the sender
/// enables log-dirty mode and round 1 takes every page. Refused (EINVAL, nothing changes) when
/// the guest is not a running, live domain.
@ref("tools/libs/guest/xg_sr_save.c:send_domain_memory_live")
action mig_start() {
  let xen_rc = mig_xen_rc_start()
  require mig_phase == MIG_IDLE && mig_dst == MIG_DST_NONE
  if !mig_src_alive() || mig_src_is_shutting_down() {
    mig_result := MIG_EINVAL
  } else {
    mig_logdirty := true
    foreach p: MigPage {
      mig_dirty[p] := false
      mig_tosend[p] := true
      mig_dst_mem[p] := 0
    }
    foreach v: MigVcpu { mig_dst_regs[v] := 0 }
    mig_round := 1
    mig_dst := MIG_DST_RESTORING
    mig_phase := MIG_PRECOPY
    mig_result := MIG_OK
  }
  assert mig_result == xen_rc, "mig_xen_result: the result is not the one Xen's save side returns in that state"
}

/// Send one page of the current batch: map it, copy its current contents into the stream; the
/// receiver writes it into the destination domain (write_batch -> process_page_data).
@ref("tools/libs/guest/xg_sr_save.c:write_batch")
@view("send") action mig_send_page(p: MigPage) {
  require (mig_phase == MIG_PRECOPY || mig_phase == MIG_FINAL) && mig_tosend[p]
  mig_dst_mem[p] := mig_src_mem[p]
  mig_tosend[p] := false
}

/// Start the next live round: the batch is sent, the policy says continue (at least
/// MIG_DIRTY_THRESHOLD pages dirty and the round limit not reached), so atomically fetch and
/// clear the dirty bitmap (XEN_DOMCTL_SHADOW_OP_CLEAN) into the next batch.
/// Simplification: Xen's policy sees the count of the bitmap it has just fetched and sends
/// that batch before stopping; here the policy looks at the bitmap before fetching, and the
/// pages it leaves are picked up by the final clean.
@ref("tools/libs/guest/xg_sr_save.c:send_memory_live")
action mig_next_round() {
  require mig_phase == MIG_PRECOPY && mig_batch_empty()
  require mig_round < MIG_MAX_ROUNDS && mig_dirty_count() >= MIG_DIRTY_THRESHOLD
  foreach p: MigPage {
    mig_tosend[p] := mig_dirty[p]
    mig_dirty[p] := false
  }
  mig_round := mig_round + 1
}

/// The policy decides stop-and-copy (fewer than MIG_DIRTY_THRESHOLD pages dirty, or the round
/// limit reached): ask the guest to suspend.
@ref("tools/libs/guest/xg_sr_save.c:simple_precopy_policy")
action mig_stop_and_copy() {
  require mig_phase == MIG_PRECOPY && mig_batch_empty()
  require mig_round >= MIG_MAX_ROUNDS || mig_dirty_count() < MIG_DIRTY_THRESHOLD
  mig_suspend_req := true
  mig_phase := MIG_SUSPENDING
}

/// Confirm the suspend: once the guest is shut down, check the reason. Suspend: go on to the
/// final round. Any other reason: "Domain has not been suspended", the save fails.
@ref("tools/libs/guest/xg_sr_save.c:suspend_domain")
action mig_suspend_confirm() {
  let xen_rc = mig_xen_rc_suspend_confirm()
  require mig_phase == MIG_SUSPENDING && mig_src_is_shut_down()
  if mig_src_code_is(MIG_SD_SUSPEND) {
    mig_phase := MIG_SUSPENDED
    mig_result := MIG_OK
  } else {
    mig_abort_cleanup(MIG_ENOTSUSP)
  }
  assert mig_result == xen_rc, "mig_xen_result: the result is not the one Xen's save side returns in that state"
}

/// The final clean: with the guest confirmed suspended, fetch and clear the dirty bitmap one
/// last time (XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL); those pages form the final batch.
@ref("tools/libs/guest/xg_sr_save.c:suspend_and_send_dirty")
action mig_final_clean() {
  require mig_phase == MIG_SUSPENDED
  foreach p: MigPage {
    mig_tosend[p] := mig_tosend[p] || mig_dirty[p]
    mig_dirty[p] := false
  }
  mig_phase := MIG_FINAL
}

/// After the final batch: send the vcpu state (and platform state), then the END record.
@ref("tools/libs/guest/xg_sr_save_x86_pv.c:write_all_vcpu_information")
@view("send") action mig_send_vcpu_state() {
  require mig_phase == MIG_FINAL && mig_batch_empty()
  foreach v: MigVcpu { mig_dst_regs[v] := mig_src_regs[v] }
  mig_phase := MIG_SENT
}

/// Abort before the commit: the precopy policy's XGS_POLICY_ABORT, a stream error, the
/// receiver failing, or a guest that never suspends. The source is resumed. Weight 1 (random runs
/// only; the exhaustive engines take every abort): enabled in every state of a save, at the default
/// weight it would cut nearly every random run short of the final round (measured: 1 random walk
/// in 1,000 reached mig_final_clean).
@ref("tools/libs/guest/xg_sr_save.c:save")
@weight(1)
action mig_abort() {
  let xen_rc = MIG_EABORT
  require mig_saving()
  mig_abort_cleanup(MIG_EABORT)
  assert mig_result == xen_rc, "mig_xen_result: the result is not the one Xen's save side returns in that state"
}

/// Commit: the receiver reported "domain received, ready to unpause"; the sender answers
/// "domain is yours, you are cleared to unpause". From here on the source must never resume.
@ref("tools/xl/xl_migrate.c:migrate_domain")
action mig_commit() {
  require mig_phase == MIG_SENT && mig_dst == MIG_DST_READY
  mig_phase := MIG_COMMITTED
}

// ---------------------------------------------------------------- the receiver (destination toolstack)

/// The receiver read the END record and restored the domain; it stays paused and the receiver
/// reports "ready to unpause".
@ref("tools/libs/guest/xg_sr_restore.c:restore")
action mig_dst_restored() {
  require mig_phase == MIG_SENT && mig_dst == MIG_DST_RESTORING
  mig_dst := MIG_DST_READY
}

/// The receiver got "go": it unpauses its copy, which becomes the running guest.
@ref("tools/xl/xl_migrate.c:migrate_receive")
action mig_dst_resume() {
  require mig_committed() && mig_dst == MIG_DST_READY
  mig_dst := MIG_DST_RUNNING
  mig_activated := true
  foreach p: MigPage { mig_act_mem[p] := mig_dst_mem[p] }
  foreach v: MigVcpu { mig_act_regs[v] := mig_dst_regs[v] }
}

/// The sender gave up before the commit: the receiver destroys its incomplete, paused copy.
/// Weight 1 (random runs only), like the abort it follows.
@ref("tools/xl/xl_migrate.c:migrate_receive")
@weight(1)
action mig_dst_discard() {
  require mig_phase == MIG_IDLE
  require mig_dst == MIG_DST_RESTORING || mig_dst == MIG_DST_READY
  mig_dst := MIG_DST_NONE
  foreach p: MigPage { mig_dst_mem[p] := 0 }
  foreach v: MigVcpu { mig_dst_regs[v] := 0 }
}

/// The migrated guest runs on at the destination and writes its memory.
action mig_dst_guest_write(p: MigPage) {
  require mig_dst == MIG_DST_RUNNING
  mig_dst_mem[p] := mig_next_val(mig_dst_mem[p])
}

// ---------------------------------------------------------------- destruction of the source

/// After the commit the sender destroys the source: domain_kill pauses it and marks it dying;
/// log-dirty goes off with the save's cleanup.
@ref("xen/common/domain.c:domain_kill")
action mig_src_kill() {
  require mig_phase == MIG_COMMITTED && mig_src_alive()
  mig_src_do_kill()
}

/// domain_kill of the source: it becomes dying, and its paging teardown turns log-dirty off.
/// xen.xm: domain.xm's domain_kill, whose hook_domain_dying does the paging teardown.
@ref("xen/common/domain.c:domain_kill")
proc mig_src_do_kill() {
  mig_src_life := MIG_DYING
  mig_paging_teardown()
}

/// The dying source's log-dirty state goes (paging_final_teardown; the save's cleanup).
@ref("xen/arch/x86/mm/paging.c:paging_final_teardown")
proc mig_paging_teardown() {
  mig_logdirty := false
  foreach p: MigPage {
    mig_dirty[p] := false
    mig_tosend[p] := false
  }
}

/// One preemptible step of the teardown: relinquish one frame of the dying source.
@ref("xen/arch/x86/domain.c:domain_relinquish_resources")
action mig_src_relinquish(p: MigPage) {
  require mig_src_is_dying() && mig_src_owned[p]
  mig_relinquish_page(p)
}

/// Release the frame behind page p (relinquish_memory, one page).
@ref("xen/arch/x86/domain.c:relinquish_memory")
proc mig_relinquish_page(p: MigPage) {
  mig_src_owned[p] := false
  mig_src_mem[p] := 0
}

/// The last teardown step: nothing is left, the source is dead and the migration is done.
@ref("xen/common/domain.c:domain_kill")
action mig_src_dead() {
  require mig_src_is_dying() && (forall p: MigPage :: !mig_src_owned[p])
  mig_src_life := MIG_DEAD
  mig_phase := MIG_DONE
}

// ---------------------------------------------------------------- properties (groups H and I)

/// H33: while the save streams, a page that was sent and has not been dirtied since (it is in
/// neither the bitmap nor the current batch, and no backend holds a writable mapping whose
/// writes Xen only marks at unmap) has the same contents on both hosts. This is what makes
/// every write mark its page dirty: a write that does not breaks it.
@ref("tools/libs/guest/xg_sr_save.c:send_memory_live")
invariant mig_clean_pages_equal:
  forall p: MigPage ::
    (mig_saving() && !mig_dirty[p] && !mig_tosend[p] && !mig_gnt_mapped[p])
      => mig_dst_mem[p] == mig_src_mem[p]

/// H34: the final round (final clean, final batch, vcpu state) starts only after the guest is
/// confirmed shut down with reason suspend, and the source stays so until it dies.
@ref("tools/libs/guest/xg_sr_save.c:suspend_domain")
invariant mig_final_after_suspend:
  (mig_phase == MIG_FINAL || mig_phase == MIG_SENT || mig_phase == MIG_COMMITTED)
    => mig_src_suspended()

/// H34: at activation the destination's memory and vcpu state equal the source's at the moment
/// it was suspended.
@ref("tools/xl/xl_migrate.c:migrate_receive")
invariant mig_activation_exact:
  mig_activated =>
    (forall p: MigPage :: mig_act_mem[p] == mig_susp_mem[p])
    && (forall v: MigVcpu :: mig_act_regs[v] == mig_susp_regs[v])

/// H35: at most one copy of the guest runs (no split brain).
@ref("tools/xl/xl_migrate.c:migrate_domain")
invariant mig_one_copy_runs: !(mig_src_running() && mig_dst_running())

/// H35 and I37: the source is destroyed (dying or dead) only after the commit.
@ref("xen/common/domain.c:domain_kill")
invariant mig_destroy_after_commit: !mig_src_alive() => mig_committed()

/// H35: outside a migration (in particular after an abort) the source is alive, log-dirty is
/// off, and the source is not left suspended: it runs, unless the guest itself crashed.
@ref("xen/common/domain.c:domain_resume")
invariant mig_abort_leaves_source_running:
  mig_phase == MIG_IDLE =>
    mig_src_alive() && !mig_logdirty
    && (!mig_src_is_shutting_down() || mig_src_code_is(MIG_SD_CRASH))

/// H36, the safety half: the round counter never passes the limit (the policy stops at it).
/// Termination itself is the temporal property mig_precopy_terminates.
@ref("tools/libs/guest/xg_sr_save.c:simple_precopy_policy")
invariant mig_precopy_bounded: mig_round <= MIG_MAX_ROUNDS

/// I37: a dead source owns no frames (no backend mapping is left, so there is no zombie).
@ref("xen/common/domain.c:domain_kill")
invariant mig_dead_owns_nothing:
  mig_src_is_dead() => (forall p: MigPage :: !mig_src_owned[p] && !mig_gnt_mapped[p])

// Before the commit the copy is the source (alive, so domain_resume can restart it); from the
// commit on it is the destination, which must already hold the restored guest (ready, waiting for
// "go", or running): a commit sent before the receiver reported "ready" leaves nothing to resume
// once the source is destroyed, a violation at the commit itself rather than a deadlock later.
/// H35: the guest is never lost: one copy runs or can be resumed at every point.
@ref("tools/xl/xl_migrate.c:migrate_domain")
invariant mig_guest_not_lost:
  if mig_committed() then mig_dst == MIG_DST_READY || mig_dst == MIG_DST_RUNNING
  else mig_src_alive()

// ---------------------------------------------------------------- liveness (H36, I38)

/// The save side's own loop (send_memory_live, then suspend_and_send_dirty) runs without waiting for
/// anyone: sending a page of the batch, starting the next round and deciding stop-and-copy are weakly
/// fair. The guest's writes, a crash and an abort are not fair (an abort may never come).
fairness weak mig_send_page, mig_next_round, mig_stop_and_copy

/// The teardown of the dying source: the toolstack re-issues the preempted domain_kill until the
/// domain is dead (-ERESTART continuations), so each teardown step that stays possible is taken.
fairness weak mig_src_relinquish, mig_src_dead

/// H36: pre-copy terminates: the live rounds end in stop-and-copy (or an abort), whatever the guest
/// writes: the policy stops after MIG_MAX_ROUNDS rounds (SPP_MAX_ITERATIONS) even when the dirty
/// count never drops below the threshold. (mig_precopy_bounded is the safety half: the round
/// counter never passes the limit.)
@ref("tools/libs/guest/xg_sr_save.c:simple_precopy_policy")
temporal mig_precopy_terminates: mig_phase == MIG_PRECOPY ~> mig_phase != MIG_PRECOPY

/// I38: a dying source eventually becomes dead: every teardown step releases a frame, and the last
/// one declares the domain dead.
@ref("xen/arch/x86/domain.c:domain_relinquish_resources")
temporal mig_src_dying_becomes_dead: mig_src_is_dying() ~> mig_src_is_dead()

// ---------------------------------------------------------------- instances

/// 2 pages, values 0..1, 1 vcpu, 2 rounds, stop below 1 dirty page: every bug variant's shortest
/// trace. xenmodel check: 6,208 states, 60,112 transitions, depth 22, no deadlock, 1.1 s.
instance small { MIG_NPAGE = 2, MIG_MAXVAL = 1, MIG_NVCPU = 1, MIG_MAX_ROUNDS = 2, MIG_DIRTY_THRESHOLD = 1 }
/// 2 pages, 2 vcpus (a vcpu can still write after the other one suspended), 3 rounds.
/// xenmodel check: 25,888 states, 315,280 transitions, depth 27, no deadlock, 3.3 s.
instance default { MIG_NPAGE = 2, MIG_MAXVAL = 1, MIG_NVCPU = 2, MIG_MAX_ROUNDS = 3, MIG_DIRTY_THRESHOLD = 1 }
/// 3 pages, 2 vcpus, 3 rounds, stop below 2 dirty pages.
/// xenmodel check: 438,976 states, 8,263,456 transitions, depth 34, no deadlock, 43 s.
instance large { MIG_NPAGE = 3, MIG_MAXVAL = 1, MIG_NVCPU = 2, MIG_MAX_ROUNDS = 3, MIG_DIRTY_THRESHOLD = 2 }
