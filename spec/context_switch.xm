/// The x86 context switch (xen/arch/x86/domain.c: context_switch) as separate steps, with interrupts
/// disabled where Xen disables them:
///   schedule() picks next (sched.xm)      irqs on   current = prev
///   ctxsw_flush_remote  (only if needed)  irqs on   next's state is saved on the pcpu holding it
///   ctxsw_set_current                     irqs OFF  current = next
///   ctxsw_switch  (lazy or __context_switch, then irqs back on)
///   ctxsw_finish  (sched_context_switched: prev->is_running = 0)
/// The lazy path: when next is the idle vcpu, or next's state is still loaded here, no registers are
/// switched; the idle vcpu runs on top of the previous guest's state and page tables (curr_vcpu stays
/// that guest). The state of a vcpu is then loaded on at most one pcpu (dirty_cpu), and a pcpu that
/// wants to load it asks the holder to save it first (sync_vcpu_execstate / FLUSH_VCPU_STATE).
///
/// One hypervisor stack per pcpu: no hypervisor context survives a deschedule. Blocking is a flag and
/// a softirq (schedop_block in sched.xm); long operations are continuations (domain_kill_continue in
/// domain.xm); context_switch never returns (the model's steps end with the pcpu settled).
/// Register contents are not modelled, only where each vcpu's state lives.
model context_switch

include "sched.xm"

/// Where p is in a context switch. CS_SYNC: next chosen, next's state may still be elsewhere, current
/// is prev, interrupts on. CS_SWITCH: current is next, interrupts off. CS_DONE: state switched (or the
/// lazy path taken), interrupts on, prev still marked is_running.
@ref("xen/arch/x86/domain.c:context_switch")
enum CsPhase { CS_NONE, CS_SYNC, CS_SWITCH, CS_DONE }

/// The switch phase of each pcpu.
@ref("xen/arch/x86/domain.c:context_switch")
var cs_phase: PCpu -> CsPhase

/// The vcpu being switched away from (prev; none is the idle vcpu), while a switch is in progress.
@ref("xen/arch/x86/domain.c:context_switch")
var cs_prev: PCpu -> VCpu?

/// per_cpu(curr_vcpu): whose register state is loaded on p (none: an idle vcpu's, i.e. no guest's).
@ref("xen/arch/x86/domain.c:__context_switch")
@view("lane") var curr_vcpu: PCpu -> VCpu?

/// v->dirty_cpu: the pcpu holding v's state, none for VCPU_CPU_CLEAN.
@ref("xen/arch/x86/domain.c:__context_switch")
var dirty_cpu: VCpu -> PCpu?

/// Interrupts enabled on p (local_irq_enable / local_irq_disable).
@ref("xen/arch/x86/domain.c:context_switch")
var irq_en: PCpu -> bool = [p: PCpu -> true]

/// The page tables loaded on p (CR3, write_ptbase): a domain's, or none for the idle page tables.
@ref("xen/arch/x86/domain.c:write_ptbase")
var ptbase: PCpu -> Dom? = [p: PCpu -> none]

/// `current` on p: prev until set_current, then the scheduler's choice.
@ref("xen/arch/x86/domain.c:context_switch")
def cs_current(p: PCpu): VCpu? = if cs_phase[p] == CS_SYNC then cs_prev[p] else cur[p]

/// write_ptbase(n) on p loaded n's page-table base (n's v->arch.guest_table, or the idle page tables
/// for none) and flushed p's TLB. Standalone: nothing (ptbase names only the domain). spec/xen.xm
/// records the frame loaded, against memory.xm's per-vcpu bases.
@ref("xen/arch/x86/domain.c:write_ptbase")
proc cs_hook_ptbase_loaded(p: PCpu, n: VCpu?) { }

/// The page tables that belong to a loaded state: the vcpu's domain's, or the idle tables.
def pt_of(o: VCpu?): Dom? = if o == none then none else dom_of(get(o))

/// next's state is clean or already on p, so p may load it (context_switch's flush test).
@ref("xen/arch/x86/domain.c:context_switch")
def cs_next_state_here(p: PCpu): bool =
  if cur[p] == none then true else dirty_cpu[get(cur[p])] == none || dirty_cpu[get(cur[p])] == p

/// What an interrupt handler may rely on: the loaded state is current's, or current is idle running
/// on a lazily kept state; the page tables match the loaded state.
def cs_consistent(p: PCpu): bool =
  (curr_vcpu[p] == cs_current(p) || cs_current(p) == none) && ptbase[p] == pt_of(curr_vcpu[p])

// ---------------------------------------------------------------------------------------------
// The scheduler's hooks, now with the real steps
// ---------------------------------------------------------------------------------------------

/// schedule() hands over to context_switch(prev, next): record prev; the steps below do the rest.
/// prev->is_running stays set until its state is saved (ctxsw_finish).
@ref("xen/common/sched/core.c:sched_context_switch")
override proc sched_context_switch(p: PCpu, prev: VCpu?, next: VCpu?) {
  assert cs_phase[p] == CS_NONE, "one switch at a time per pcpu"
  cs_prev[p] := prev
  cs_phase[p] := CS_SYNC
}

/// schedule() and guest execution need p to have finished its switch.
override def sched_pcpu_settled(p: PCpu): bool = cs_phase[p] == CS_NONE

/// prev stays is_running from schedule() until ctxsw_finish (sched_context_switched).
@ref("xen/common/sched/core.c:sched_context_switched")
override def sched_switching_from(v: VCpu): bool =
  exists p: PCpu :: cs_phase[p] != CS_NONE && cs_prev[p] == v

/// Interrupts are taken only while enabled.
override def sched_irq_enabled(p: PCpu): bool = irq_en[p]

/// F28, checked where it matters: an interrupt handler never observes a half-switched pcpu.
@ref("xen/arch/x86/domain.c:context_switch")
override proc sched_irq_enter(p: PCpu) {
  assert cs_consistent(p), "irq_sees_consistent_pcpu: an interrupt handler observed a half-switched pcpu"
}

// ---------------------------------------------------------------------------------------------
// The steps
// ---------------------------------------------------------------------------------------------

/// __context_switch on p, loading n (none: the idle vcpu): save the state of curr_vcpu (which may be an
/// earlier vcpu than prev, after a lazy switch) and mark it clean, load n's state and mark it dirty
/// here, load n's page tables, curr_vcpu := n. Step property (F27): n's state was clean.
@ref("xen/arch/x86/domain.c:__context_switch")
proc cs_context_switch(p: PCpu, n: VCpu?) {
  if curr_vcpu[p] != none {
    dirty_cpu[get(curr_vcpu[p])] := none
  }
  if n != none {
    assert dirty_cpu[get(n)] == none, "load_clean_state: a vcpu's state is loaded only when it is clean"
    dirty_cpu[get(n)] := p
  }
  curr_vcpu[p] := n
  ptbase[p] := pt_of(n)
  cs_hook_ptbase_loaded(p, n)
}

/// __sync_local_execstate on q: if a switch was deferred (q runs its idle vcpu on a guest's state),
/// complete it now by switching to the idle vcpu's state.
@ref("xen/arch/x86/domain.c:__sync_local_execstate")
proc cs_sync_local_execstate(q: PCpu) {
  if curr_vcpu[q] != cs_current(q) {
    assert cs_current(q) == none, "a deferred switch exists only while the idle vcpu runs"
    cs_context_switch(q, none)
  }
}

/// context_switch, step 2: next's state is still loaded on another pcpu q (lazily, under q's idle
/// vcpu): send q the FLUSH_VCPU_STATE IPI, which q handles (with its interrupts enabled) by completing
/// its deferred switch; p waits for it.
@ref("xen/arch/x86/domain.c:context_switch")
@ref("xen/arch/x86/domain.c:sync_vcpu_execstate")
action ctxsw_flush_remote(p: PCpu) {
  require cs_phase[p] == CS_SYNC && !cs_next_state_here(p)
  let q = get(dirty_cpu[get(cur[p])])
  require irq_en[q]
  cs_sync_local_execstate(q)
}

/// context_switch, step 3: (next's state is clean or here) disable interrupts and set_current(next).
/// Xen asserts interrupts are enabled on entry.
@ref("xen/arch/x86/domain.c:context_switch")
action ctxsw_set_current(p: PCpu) {
  require cs_phase[p] == CS_SYNC && cs_next_state_here(p)
  assert irq_en[p], "context_switch is entered with interrupts enabled"
  irq_en[p] := false
  cs_phase[p] := CS_SWITCH
}

/// context_switch, steps 4-5: the lazy path if next is the idle vcpu or next's state is already loaded
/// here (curr_vcpu == next); otherwise __context_switch. Then interrupts are enabled again.
@ref("xen/arch/x86/domain.c:context_switch")
action ctxsw_switch(p: PCpu) {
  require cs_phase[p] == CS_SWITCH
  if cur[p] != none && curr_vcpu[p] != cur[p] {
    cs_context_switch(p, cur[p])
  }
  irq_en[p] := true
  cs_phase[p] := CS_DONE
}

/// context_switch, step 6: sched_context_switched clears prev->is_running now that prev's state is
/// saved (or lazily kept here, from where any pcpu can flush it); then the pcpu continues with next on
/// a fresh stack.
@ref("xen/common/sched/core.c:sched_context_switched")
action ctxsw_finish(p: PCpu) {
  require cs_phase[p] == CS_DONE
  if cs_prev[p] != none {
    is_running[get(cs_prev[p])] := false
  }
  cs_prev[p] := none
  cs_phase[p] := CS_NONE
}

/// An interrupt arrives on p (e.g. an event-check or call-function IPI): only while interrupts are
/// enabled; its handler checks what it observes.
@ref("xen/arch/x86/irq.c:do_IRQ")
action ctxsw_interrupt(p: PCpu) {
  require irq_en[p]
  sched_irq_enter(p)
}

// ---------------------------------------------------------------------------------------------
// Invariants (properties.md group F)
// ---------------------------------------------------------------------------------------------

/// F25: outside the interrupts-off window, the loaded state differs from current's only when current
/// is the idle vcpu (the lazy switch).
@ref("xen/arch/x86/domain.c:context_switch")
invariant lazy_only_under_idle: forall p: PCpu ::
  cs_phase[p] != CS_SWITCH => curr_vcpu[p] == cs_current(p) || cs_current(p) == none

/// F26: a vcpu's register state is loaded on at most one pcpu: dirty_cpu(v) == p <=> curr_vcpu(p) == v.
@ref("xen/arch/x86/domain.c:__context_switch")
invariant state_loaded_once: forall v: VCpu, p: PCpu :: (dirty_cpu[v] == p) == (curr_vcpu[p] == v)

/// F28: interrupts are disabled between set_current and the register switch.
@ref("xen/arch/x86/domain.c:context_switch")
invariant irqs_off_in_switch: forall p: PCpu :: cs_phase[p] == CS_SWITCH => !irq_en[p]

/// F29: the page tables loaded on a pcpu belong to the domain whose state is loaded there.
@ref("xen/arch/x86/domain.c:write_ptbase")
invariant ptbase_matches: forall p: PCpu :: ptbase[p] == pt_of(curr_vcpu[p])

/// F27 / E20: `current` is marked is_running, and no vcpu is current on two pcpus.
@ref("xen/common/sched/core.c:sched_context_switched")
invariant current_marked_running: forall p: PCpu ::
  cs_current(p) != none => is_running[get(cs_current(p))]

/// E20 at the arch level: no vcpu is `current` on two pcpus.
@ref("xen/arch/x86/domain.c:context_switch")
invariant current_on_one_pcpu: forall p, q: PCpu ::
  p != q && cs_current(p) != none => cs_current(p) != cs_current(q)

/// A vcpu that executes guest code (settled pcpu) has its own state and page tables loaded.
@ref("xen/arch/x86/domain.c:context_switch")
invariant executing_state_loaded: forall p: PCpu ::
  cs_phase[p] == CS_NONE && cur[p] != none => curr_vcpu[p] == cur[p] && ptbase[p] == pt_of(cur[p])

// Instances (sizes measured with `xenmodel check`, the explicit engine, 2026-11-27).
/// The switching core: 2 domains x 1 vcpu, 2 pcpus, credit in [-1, 1], accounting every tick, no
/// event stand-in (a blocked vcpu stays blocked; vcpus still go down and up), no refusals, no lifecycle
/// operations, no affinity changes: 41,377 states, depth 55, about 2-5 s.
/// The switch runs to its end: each step of a started context switch on p is taken once possible
/// (Xen runs context_switch to completion with interrupts off; the remote flush is an IPI the other
/// pcpu answers as soon as its interrupts are on). Weak, per pcpu; with the scheduler's fair tick and
/// schedule, runnable_eventually_runs (G30) holds with the stepwise switch too.
fairness weak ctxsw_flush_remote, ctxsw_set_current, ctxsw_switch, ctxsw_finish

instance small { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 1,
                 DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false,
                 SCHED_EVENT_STANDIN = false }
/// Adds the event stand-in, shutdown, crash, resume and destruction: more than 600,000 states (the
/// explicit engine stopped at 600,000 states, depth 29, after 76 s): use BMC.
instance default { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 2,
                   DOM_REFUSALS = false, SCHED_AFFINITY_OPS = false }
/// 3 domains (dom0 and two guests), credit in [-2, 2], accounting every 2 ticks, affinity changes and
/// refusals: for BMC, simulation and benchmarks (too large for the explicit engine).
instance large { NDOM = 3, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 2, TICKS_PER_ACCT = 2 }
