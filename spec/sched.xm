/// The scheduler: runstates and Xen's transition rules (vcpu_wake, vcpu_sleep_nosync, vcpu_block with
/// the re-check of pending events), per-pcpu run queues of the credit scheduler sorted by priority
/// (BOOST > UNDER > OVER, FIFO within a priority; each pcpu's idle vcpu is implicit: `none`), wake with
/// boost and tickling, schedule() with the prev == next fast path, credit burning at each tick and
/// periodic accounting, work stealing with Xen's rules, hard affinity and vcpu migration.
///
/// Time is abstracted into ticks: one tick is one 10 ms scheduler tick and also the timeslice (the
/// tick raises the schedule softirq; Xen's 30 ms timeslice and 1 ms rate limit are not modelled).
/// Credit is counted in ticks (1 model credit = 100 Xen credits = 10 ms of cpu) and clamped to
/// [-CREDIT_MAX, CREDIT_MAX] (Xen: [-300, 300] for a 30 ms timeslice).
///
/// Checked alone, the context switch is one atomic step (the stand-ins at the end of this file);
/// spec/context_switch.xm overrides them with Xen's x86 steps.
model sched

include "domain.xm"

// ---------------------------------------------------------------------------------------------
// Constants and types
// ---------------------------------------------------------------------------------------------

/// Credit bound in ticks: credit stays in [-CREDIT_MAX, CREDIT_MAX] (Xen: 300 credits = 3 ticks).
@ref("xen/common/sched/credit.c:burn_credits")
const CREDIT_MAX: int[1..3] = 3
/// Ticks between two runs of the accounting (Xen: 30 ms = 3 ticks). Each run hands out the credit
/// burnt in the period, TICKS_PER_ACCT, in proportion to weight.
@ref("xen/common/sched/credit.c:csched_acct")
const TICKS_PER_ACCT: int[1..3] = 3
/// When true, sched_event_send / sched_event_handle stand in for event channels (spec/xen.xm turns
/// this off and wires the real ones).
const SCHED_EVENT_STANDIN: bool = true
/// When true, the control domain may change hard affinities (XEN_DOMCTL_setvcpuaffinity).
const SCHED_AFFINITY_OPS: bool = true
/// When true, the control domain may change domain weights (XEN_DOMCTL_SCHEDOP_putinfo).
const SCHED_WEIGHT_OPS: bool = false
/// When true, the tick moves a running vcpu to an idle pcpu (credit1's migrate_running, below). Off in
/// the instances that predate it, whose state counts it would change; on in tests/fixtures/sched_share.xm
/// (G32) and the `cover_migrate` instance.
const SCHED_MIGRATE_RUNNING: bool = false

/// Credit scheduler priorities, Xen's values: BOOST 0 > UNDER -1 > OVER -2 > IDLE -64.
@ref("xen/common/sched/credit.c:CSCHED_PRI_TS_BOOST")
const CSCHED_PRI_TS_BOOST: int = 0
@ref("xen/common/sched/credit.c:CSCHED_PRI_TS_UNDER")
const CSCHED_PRI_TS_UNDER: int = -1
@ref("xen/common/sched/credit.c:CSCHED_PRI_TS_OVER")
const CSCHED_PRI_TS_OVER: int = -2
@ref("xen/common/sched/credit.c:CSCHED_PRI_IDLE")
const CSCHED_PRI_IDLE: int = -64

/// Runstates, Xen's values: running 0, runnable 1, blocked 2, offline 3.
@ref("xen/include/public/vcpu.h:RUNSTATE_running")
enum RunState { RS_RUNNING, RS_RUNNABLE, RS_BLOCKED, RS_OFFLINE }

/// Result of a scheduler domctl.
enum SchedResult { SCHED_OK, SCHED_EINVAL }

/// A guest vcpu's credit priority (the idle vcpu's CSCHED_PRI_IDLE is never stored).
type CPri = int[-2..0]
/// Credit, in ticks.
type Credit = int[-CREDIT_MAX..CREDIT_MAX]
/// A run queue: guest vcpus, highest priority first.
type RunQ = seq<VCpu, NDOM * VPD>

/// The boot vcpu: dom0's vcpu 0, runnable at boot.
def boot_vcpu(v: VCpu): bool = is_privileged(dom_of(v)) && vcpu_id(v) == 0

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/// v->runstate.state.
@ref("xen/common/sched/core.c:vcpu_runstate_change")
var runstate: VCpu -> RunState = [v: VCpu -> if boot_vcpu(v) then RS_RUNNABLE else RS_OFFLINE]

/// v->is_running: set when schedule() picks v, cleared only when v's context has been saved
/// (sched_context_switched). A vcpu being switched out may already be back on a run queue.
@ref("xen/common/sched/core.c:sched_context_switched")
var is_running: VCpu -> bool

/// v->processor: the pcpu whose run queue v joins when it wakes. Every vcpu starts on pcpu0 (Xen's
/// sched_select_initial_cpu spreads them; here tickling and stealing do, which exercises both).
@ref("xen/common/sched/core.c:sched_select_initial_cpu")
var processor: VCpu -> PCpu = [v: VCpu -> PCpu(0)]

/// The hard affinity mask of v (unit->cpu_hard_affinity): v may run only on these pcpus.
@ref("xen/common/sched/core.c:sched_set_affinity")
var hard_aff: VCpu -> PCpu -> bool = [v: VCpu -> [p: PCpu -> true]]

/// The vcpu the scheduler has chosen for p (sched_resource->curr); none is p's idle vcpu.
@ref("xen/common/sched/core.c:sched_switch_units")
@view("lane") var cur: PCpu -> VCpu? = [p: PCpu -> none]

/// Ghost (for runq_fifo): runq_behind[v][w] says v joined its run queue behind w (v was inserted
/// while w was queued, or the accounting's re-sort put v behind w after a priority change).
/// Cleared for a vcpu that leaves its queue, so it adds no state of its own.
var runq_behind: VCpu -> VCpu -> bool

/// Per-pcpu run queue of the credit scheduler (csched_pcpu->runq), sorted by priority, FIFO within a
/// priority. The idle vcpu is not stored (it is the implicit tail with CSCHED_PRI_IDLE).
@ref("xen/common/sched/credit.c:__runq_insert")
var runq: PCpu -> RunQ = [p: PCpu -> if ord(p) == 0 then [VCpu(0)] else []]

/// SCHEDULE_SOFTIRQ is pending on p. At boot pcpu0 has the boot vcpu queued and will schedule.
@ref("xen/common/sched/core.c:schedule")
var sched_pending: PCpu -> bool = [p: PCpu -> ord(p) == 0]

/// svc->credit, in ticks.
@ref("xen/common/sched/credit.c:csched_unit")
var credit: VCpu -> Credit

/// svc->pri.
@ref("xen/common/sched/credit.c:csched_unit")
var pri: VCpu -> CPri = [v: VCpu -> CSCHED_PRI_TS_UNDER]

/// sdom->weight, in units of Xen's default weight 256 (1 or 2).
@ref("xen/common/sched/credit.c:csched_dom_cntl")
var weight: Dom -> int[1..2] = [d: Dom -> 1]

/// Ticks since the last accounting.
@ref("xen/common/sched/credit.c:csched_acct")
var acct_ticks: int[0..TICKS_PER_ACCT]

/// Stand-in for "v has an event to deliver" (local_events_need_delivery); see SCHED_EVENT_STANDIN.
@ref("xen/include/xen/event.h:local_events_need_delivery")
var sched_evt_pending: VCpu -> bool

/// The result of the last scheduler domctl.
var sched_result: SchedResult

// ---------------------------------------------------------------------------------------------
// Derived predicates
// ---------------------------------------------------------------------------------------------

/// v is the chosen vcpu of some pcpu.
def is_cur(v: VCpu): bool = exists p: PCpu :: cur[p] == v
/// v sits in some run queue.
def on_runq(v: VCpu): bool = exists p: PCpu :: v in runq[p]
/// The priority of a pcpu's current vcpu, CSCHED_PRI_IDLE for its idle vcpu.
def pri_of(o: VCpu?): int = if o == none then CSCHED_PRI_IDLE else pri[get(o)]
/// Where __runq_insert puts v in p's queue: after every vcpu of the same or higher priority.
@ref("xen/common/sched/credit.c:__runq_insert")
def runq_pos(p: PCpu, v: VCpu): int =
  count j: int[0..NDOM * VPD - 1] :: if j < len(runq[p]) then pri[runq[p][j]] >= pri[v] else false
/// csched_pcpu->nr_runnable: the units assigned to q (its current guest vcpu and its queue).
@ref("xen/common/sched/credit.c:csched_load_balance")
def csched_nr_runnable(q: PCpu): int = len(runq[q]) + (if cur[q] != none then 1 else 0)
/// csched_runq_steal's test for one candidate w, when pcpu p's best local priority is lp: strictly
/// higher priority, not running (its context may still be on its old pcpu), hard affinity allows p.
@ref("xen/common/sched/credit.c:csched_runq_steal")
def csched_stealable(w: VCpu, p: PCpu, lp: int): bool = pri[w] > lp && !is_running[w] && hard_aff[w][p]
/// The j-th entry of q's queue is a candidate for p.
def csched_cand(q: PCpu, j: int, p: PCpu, lp: int): bool =
  if j < len(runq[q]) then csched_stealable(runq[q][j], p, lp) else false
/// p may steal from peer q (a peer with more than one runnable unit and a candidate).
@ref("xen/common/sched/credit.c:csched_load_balance")
def csched_can_steal(q: PCpu, p: PCpu, lp: int): bool =
  q != p && csched_nr_runnable(q) > 1 && (exists j: int[0..NDOM * VPD - 1] :: csched_cand(q, j, p, lp))
/// The index of the first candidate in q's queue (the one csched_runq_steal takes).
def csched_steal_idx(q: PCpu, p: PCpu, lp: int): int =
  count j: int[0..NDOM * VPD - 1] :: j < len(runq[q]) && !(exists k: int[0..NDOM * VPD - 1] :: k <= j && csched_cand(q, k, p, lp))
/// A unit is active for the accounting while it runs or is runnable.
@ref("xen/common/sched/credit.c:csched_acct")
def csched_active(v: VCpu): bool = is_cur(v) || vcpu_runnable(v)
/// v's share of the credit handed out by one accounting run: weight-proportional, rounded up as
/// Xen's credit_fair is.
@ref("xen/common/sched/credit.c:csched_acct")
def csched_share(v: VCpu): int =
  (TICKS_PER_ACCT * weight[dom_of(v)] + csched_weight_total() - 1) / csched_weight_total()
/// q is an idler v may run on, seen from p: another pcpu of v's hard affinity running its idle vcpu
/// (Xen's prv->idlers intersected with the affinity, as __runq_tickle and _csched_cpu_pick read it).
def csched_idler(v: VCpu, p: PCpu, q: PCpu): bool = q != p && cur[q] == none && hard_aff[v][q]
/// Another pcpu of v's hard affinity is idle and not about to schedule (the model's _csched_cpu_pick:
/// Xen also weighs SMT siblings and caches, which the model has not).
@ref("xen/common/sched/credit.c:_csched_cpu_pick")
def csched_idle_elsewhere(v: VCpu, p: PCpu): bool = exists q: PCpu :: csched_idler(v, p, q) && !sched_pending[q]
/// The total weight of the active units (weight_total).
@ref("xen/common/sched/credit.c:csched_acct")
def csched_weight_total(): int = sum w: VCpu where csched_active(w) :: weight[dom_of(w)]
/// Does v have an event to deliver? (the re-check in vcpu_block): the stand-in flag, or the event
/// channels' upcall state through hook_local_events_need_delivery (wired in spec/xen.xm).
@ref("xen/include/xen/event.h:local_events_need_delivery")
def sched_events_pending(v: VCpu): bool = sched_evt_pending[v] || hook_local_events_need_delivery(v)
/// v executes guest code now, so it can issue a hypercall: it is p's current vcpu, no switch is in
/// progress on p and no schedule softirq is pending (softirqs run before returning to the guest).
def sched_vcpu_executing(v: VCpu): bool =
  exists p: PCpu :: cur[p] == v && sched_pcpu_settled(p) && !sched_pending[p]

// ---------------------------------------------------------------------------------------------
// Context-switch interface: stand-ins, overridden by spec/context_switch.xm
// ---------------------------------------------------------------------------------------------

/// Switch p from prev to next (prev != next). Stand-in: the whole switch is atomic, so prev's context
/// is saved at once and its is_running cleared.
@ref("xen/common/sched/core.c:sched_context_switch")
proc sched_context_switch(p: PCpu, prev: VCpu?, next: VCpu?) {
  if prev != none {
    is_running[get(prev)] := false
  }
}
/// No context switch is in progress on p. Stand-in: always.
def sched_pcpu_settled(p: PCpu): bool = true
/// v is prev of a switch still in progress (its state not yet saved, so still is_running). Stand-in:
/// never, the switch is atomic. Read by proofs/sched.xm's running_iff_current.
@ref("xen/common/sched/core.c:sched_context_switched")
def sched_switching_from(v: VCpu): bool = false
/// Interrupts are enabled on p. Stand-in: always.
def sched_irq_enabled(p: PCpu): bool = true
/// SCHEDOP_block first enables event delivery (clears v's upcall mask). Stand-in: nothing (the event
/// stand-in has no mask); spec/xen.xm wires it to the event-channel state.
@ref("xen/common/sched/core.c:vcpu_block_enable_events")
proc sched_block_enable_events(v: VCpu) { }
/// An interrupt handler starts on p (it may check what it observes). Stand-in: nothing.
proc sched_irq_enter(p: PCpu) { }

// ---------------------------------------------------------------------------------------------
// Run queue operations
// ---------------------------------------------------------------------------------------------

/// __runq_insert: put v after every queued vcpu of the same or higher priority.
@ref("xen/common/sched/credit.c:__runq_insert")
proc runq_insert(p: PCpu, v: VCpu) {
  runq_behind[v] := [w: VCpu -> w in runq[p]]
  runq[p] := insert(runq[p], runq_pos(p, v), v)
}

/// __runq_remove.
@ref("xen/common/sched/credit.c:__runq_remove")
proc runq_remove(p: PCpu, v: VCpu) {
  runq[p] := remove(runq[p], v)
  runq_behind[v] := [w: VCpu -> false]
  foreach w: VCpu { runq_behind[w][v] := false }
}

/// Re-sort p's queue after the accounting changed priorities (stable: FIFO within a priority). Xen
/// re-sorts lazily at p's next tick (csched_runq_sort); the model sorts at once so that sortedness
/// is an invariant.
@ref("xen/common/sched/credit.c:csched_runq_sort")
proc runq_resort(p: PCpu, old: VCpu -> CPri) {
  let q = runq[p]
  runq[p] := []
  foreach i: int[0..NDOM * VPD - 1] where i < len(q) {
    if pri[q[i]] == CSCHED_PRI_TS_BOOST { runq[p] := runq[p] ++ [q[i]] }
  }
  foreach i: int[0..NDOM * VPD - 1] where i < len(q) {
    if pri[q[i]] == CSCHED_PRI_TS_UNDER { runq[p] := runq[p] ++ [q[i]] }
  }
  foreach i: int[0..NDOM * VPD - 1] where i < len(q) {
    if pri[q[i]] == CSCHED_PRI_TS_OVER { runq[p] := runq[p] ++ [q[i]] }
  }
  // ghost: a vcpu whose priority changed joins its new class where the sort put it
  foreach i: int[0..NDOM * VPD - 1] where i < len(runq[p]) {
    foreach j: int[0..NDOM * VPD - 1] where i < j && j < len(runq[p]) {
      if pri[runq[p][i]] != old[runq[p][i]] || pri[runq[p][j]] != old[runq[p][j]] {
        runq_behind[runq[p][j]][runq[p][i]] := true
        runq_behind[runq[p][i]][runq[p][j]] := false
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Wake, sleep, block
// ---------------------------------------------------------------------------------------------

/// __runq_tickle: after v joined p's queue, raise the schedule softirq on p if v has a higher priority
/// than what p runs (any guest beats the idle vcpu); otherwise tickle the first idle pcpu in v's hard
/// affinity so that it can steal v (Xen tickles one idler chosen round-robin; the model takes the
/// lowest-numbered).
@ref("xen/common/sched/credit.c:__runq_tickle")
proc csched_tickle(v: VCpu) {
  let p = processor[v]
  if pri[v] > pri_of(cur[p]) {
    sched_pending[p] := true
  } else {
    foreach q: PCpu where csched_idler(v, p, q) && !(exists r: PCpu :: ord(r) < ord(q) && csched_idler(v, p, r)) {
      sched_pending[q] := true
    }
  }
}

/// csched_unit_wake: nothing if v is current or already queued; else an UNDER vcpu is boosted, v is
/// inserted into its processor's queue and a pcpu is tickled.
@ref("xen/common/sched/credit.c:csched_unit_wake")
proc csched_unit_wake(v: VCpu) {
  let p = processor[v]
  if cur[p] != v && !(v in runq[p]) {
    if pri[v] == CSCHED_PRI_TS_UNDER {
      pri[v] := CSCHED_PRI_TS_BOOST
    }
    runq_insert(p, v)
    csched_tickle(v)
  }
}

/// vcpu_wake: if v can run, blocked/offline becomes runnable and the scheduler queues it; a vcpu that
/// still cannot run (but is no longer blocked) goes from blocked to offline. Step property: the wake
/// boosts only an UNDER vcpu.
@ref("xen/common/sched/core.c:vcpu_wake")
proc vcpu_wake(v: VCpu) {
  let was = pri[v]
  if vcpu_runnable(v) {
    if runstate[v] == RS_BLOCKED || runstate[v] == RS_OFFLINE {
      runstate[v] := RS_RUNNABLE
    }
    csched_unit_wake(v)
  } else if !vpf_blocked[v] && runstate[v] == RS_BLOCKED {
    runstate[v] := RS_OFFLINE
  }
  assert pri[v] == was || (was == CSCHED_PRI_TS_UNDER && pri[v] == CSCHED_PRI_TS_BOOST),
    "boost_only_under: a wake boosts only an UNDER vcpu"
}

/// csched_unit_sleep: a current vcpu gets its pcpu rescheduled; a queued one leaves the queue.
@ref("xen/common/sched/credit.c:csched_unit_sleep")
proc csched_unit_sleep(v: VCpu) {
  let p = processor[v]
  if cur[p] == v {
    sched_pending[p] := true
  } else if v in runq[p] {
    runq_remove(p, v)
  }
}

/// vcpu_sleep_nosync: if v can no longer run, a runnable (queued) v becomes offline and the scheduler
/// takes it off its queue or deschedules it. Does not wait for v to stop running.
@ref("xen/common/sched/core.c:vcpu_sleep_nosync")
proc vcpu_sleep_nosync(v: VCpu) {
  if !vcpu_runnable(v) {
    if runstate[v] == RS_RUNNABLE {
      runstate[v] := RS_OFFLINE
    }
    csched_unit_sleep(v)
  }
}

/// vcpu_kick / vcpu_unblock: an event arrived for v; if it was blocked, clear the flag and wake it.
/// (The kick IPI that makes a running vcpu notice the event is not modelled.)
@ref("xen/common/sched/core.c:vcpu_unblock")
proc vcpu_kick(v: VCpu) {
  if vpf_blocked[v] {
    vpf_blocked[v] := false
    vcpu_wake(v)
  }
}

/// The domain layer's wake is vcpu_wake.
@ref("xen/common/sched/core.c:vcpu_wake")
override proc dom_sched_wake(v: VCpu) { vcpu_wake(v) }
/// The domain layer's sleep is vcpu_sleep_nosync.
@ref("xen/common/sched/core.c:vcpu_sleep_nosync")
override proc dom_sched_sleep(v: VCpu) { vcpu_sleep_nosync(v) }
/// The domain layer reads v->is_running.
@ref("xen/common/sched/core.c:vcpu_sleep_sync")
override def dom_vcpu_is_running(v: VCpu): bool = is_running[v]
/// A hypercall is issued only by a vcpu that executes guest code.
override def dom_vcpu_executing(v: VCpu): bool = sched_vcpu_executing(v)

/// SCHEDOP_block issued by the running vcpu v: set _VPF_blocked, then re-check for pending events and
/// clear the flag again if there is one (this check after the set closes the lost wake-up window);
/// otherwise raise the schedule softirq so the switch makes v blocked.
@ref("xen/common/sched/core.c:vcpu_block")
action schedop_block(v: VCpu) {
  require sched_vcpu_executing(v)
  sched_block_enable_events(v)
  vpf_blocked[v] := true
  if sched_events_pending(v) {
    vpf_blocked[v] := false
  } else {
    sched_pending[processor[v]] := true
  }
}

/// Stand-in for an event channel notification to v (evtchn_2l_set_pending): mark an event pending
/// and kick v.
@ref("xen/common/event_2l.c:evtchn_2l_set_pending")
@view("send") action sched_event_send(v: VCpu) {
  require SCHED_EVENT_STANDIN && dom_state[dom_of(v)] == DOM_ALIVE && !sched_evt_pending[v]
  sched_evt_pending[v] := true
  vcpu_kick(v)
}

/// Stand-in for the guest's upcall handler: the executing vcpu v consumes its pending events.
@ref("xen/include/xen/event.h:local_events_need_delivery")
action sched_event_handle(v: VCpu) {
  require SCHED_EVENT_STANDIN && sched_evt_pending[v] && sched_vcpu_executing(v)
  sched_evt_pending[v] := false
}

// ---------------------------------------------------------------------------------------------
// Ticks and accounting
// ---------------------------------------------------------------------------------------------

/// csched_acct: hand out the credit of one period in proportion to weight to every active unit,
/// clamp at CREDIT_MAX, and set the priority from the sign of the credit (this also ends a boost).
@ref("xen/common/sched/credit.c:csched_acct")
proc csched_acct() {
  let old = pri
  foreach v: VCpu where csched_active(v) {
    credit[v] := min(CREDIT_MAX, credit[v] + csched_share(v))
    if credit[v] < 0 {
      pri[v] := CSCHED_PRI_TS_OVER
    } else {
      pri[v] := CSCHED_PRI_TS_UNDER
    }
  }
  foreach p: PCpu {
    runq_resort(p, old)
  }
}

/// The timer tick on a pcpu that runs a guest (idle pcpus stop their tick): burn one tick of credit of
/// the current vcpu (clamped at -CREDIT_MAX), end its boost, end its timeslice (raise the schedule
/// softirq), and every TICKS_PER_ACCT ticks run the accounting. With SCHED_MIGRATE_RUNNING, when a
/// pcpu of the vcpu's hard affinity is idle (csched_unit_acct: _csched_cpu_pick returns another cpu,
/// counted as migrate_running), the vcpu is marked _VPF_migrating: this schedule() deschedules it and
/// vcpu_migrate_finish wakes it on a pcpu of its affinity. An idle pcpu has no tick of its own and is
/// tickled only by a wake, so without this a pcpu can stay idle while another time-slices vcpus that
/// never block (the walk of tests/test_sched_share.py shows it). An interrupt: only with interrupts
/// enabled on p. The model's fair tick: the next tick comes only after the schedule softirq raised by
/// the previous one has run (softirqs run on the way out of the interrupt, long before 10 ms pass).
@ref("xen/common/sched/credit.c:csched_tick")
@ref("xen/common/sched/credit.c:burn_credits")
@ref("xen/common/sched/credit.c:csched_unit_acct")
action csched_tick(p: PCpu) {
  require cur[p] != none && sched_irq_enabled(p) && !sched_pending[p]
  sched_irq_enter(p)
  let v = get(cur[p])
  credit[v] := max(credit[v] - 1, -CREDIT_MAX)
  if pri[v] == CSCHED_PRI_TS_BOOST {
    pri[v] := CSCHED_PRI_TS_UNDER
  }
  sched_pending[p] := true
  if SCHED_MIGRATE_RUNNING && !vpf_migrating[v] && csched_idle_elsewhere(v, p) {
    vpf_migrating[v] := true
  }
  if acct_ticks + 1 >= TICKS_PER_ACCT {
    acct_ticks := 0
    csched_acct()
  } else {
    acct_ticks := acct_ticks + 1
  }
}

// ---------------------------------------------------------------------------------------------
// schedule()
// ---------------------------------------------------------------------------------------------

/// The end of schedule() on p once next is chosen: prev == next continues without a switch
/// (continue_running); otherwise prev's runstate becomes blocked, runnable or offline, next's
/// running, next is marked is_running, and the context switch starts.
/// Step properties: next is not running elsewhere; p goes idle only if no peer had a vcpu it may
/// steal (work conservation at the balance point, properties.md G31).
@ref("xen/common/sched/core.c:schedule")
@ref("xen/common/sched/core.c:sched_switch_units")
proc csched_switch(p: PCpu, prev: VCpu?, next: VCpu?) {
  assert next != none || !(exists q: PCpu :: csched_can_steal(q, p, CSCHED_PRI_IDLE)),
    "work_conserving: a pcpu goes idle only if it cannot steal"
  if prev != next {
    if prev != none {
      let u = get(prev)
      if vpf_blocked[u] {
        runstate[u] := RS_BLOCKED
      } else if vcpu_runnable(u) {
        runstate[u] := RS_RUNNABLE
      } else {
        runstate[u] := RS_OFFLINE
      }
    }
    if next != none {
      let n = get(next)
      assert !is_running[n], "switch_to_idle_vcpu: next is not running elsewhere"
      runstate[n] := RS_RUNNING
      is_running[n] := true
    }
    cur[p] := next
    sched_context_switch(p, prev, next)
  }
}

/// csched_load_balance: p's best local priority lp is OVER or worse; take the first candidate of a
/// peer q's queue (csched_runq_steal). Xen visits peers in a round-robin order; the model lets any
/// peer that has a candidate be the one (each choice is a transition).
@ref("xen/common/sched/credit.c:csched_load_balance")
@ref("xen/common/sched/credit.c:csched_runq_steal")
proc csched_steal(p: PCpu, prev: VCpu?, lp: int) {
  choose q: PCpu where csched_can_steal(q, p, lp) {
    let w = runq[q][csched_steal_idx(q, p, lp)]
    runq_remove(q, w)
    processor[w] := p
    csched_switch(p, prev, w)
  }
}

/// The SCHEDULE softirq on p (schedule() with csched_schedule): a still-runnable prev goes back into
/// the queue, the head is the local candidate; if it is OVER or worse (or p would go idle), steal a
/// strictly better vcpu from a peer if one may be stolen; then switch.
@ref("xen/common/sched/core.c:schedule")
@ref("xen/common/sched/credit.c:csched_schedule")
action schedule(p: PCpu) {
  require sched_pending[p] && sched_pcpu_settled(p)
  sched_pending[p] := false
  let prev = cur[p]
  if prev != none {
    if vcpu_runnable(get(prev)) {
      runq_insert(p, get(prev))
    }
  }
  let lp = if len(runq[p]) > 0 then pri[head(runq[p])] else CSCHED_PRI_IDLE
  if lp <= CSCHED_PRI_TS_OVER && (exists q: PCpu :: csched_can_steal(q, p, lp)) {
    csched_steal(p, prev, lp)
  } else if len(runq[p]) > 0 {
    let n = head(runq[p])
    runq_remove(p, n)
    csched_switch(p, prev, n)
  } else {
    csched_switch(p, prev, none)
  }
}

// ---------------------------------------------------------------------------------------------
// Affinity, migration, weights (control-domain operations)
// ---------------------------------------------------------------------------------------------

/// Xen's result of XEN_DOMCTL_setvcpuaffinity changing one pcpu of v's hard affinity (properties.md
/// K42), written from Xen's source next to (not through) the action's check: vcpu_set_hard_affinity
/// refuses a new mask with no online pcpu (-EINVAL: cpumask_intersects(online, affinity) fails);
/// every pcpu of the model is online.
@ref("xen/common/sched/core.c:vcpu_set_hard_affinity")
def sched_xen_rc_set_hard_affinity(v: VCpu, p: PCpu, allow: bool): SchedResult =
  if exists q: PCpu :: (if q == p then allow else hard_aff[v][q]) then SCHED_OK else SCHED_EINVAL

/// XEN_DOMCTL_setvcpuaffinity, one pcpu at a time: allow or forbid pcpu p for v. -EINVAL if the mask
/// would become empty. If v's processor leaves the mask, v is marked _VPF_migrating and put to sleep;
/// vcpu_migrate_finish moves it once it has stopped running.
@ref("xen/common/sched/core.c:vcpu_set_hard_affinity")
@ref("xen/common/sched/core.c:vcpu_migrate_start")
action vcpu_set_hard_affinity(v: VCpu, p: PCpu, allow: bool) {
  let xen_rc = sched_xen_rc_set_hard_affinity(v, p, allow)
  require SCHED_AFFINITY_OPS && dom_state[dom_of(v)] == DOM_ALIVE && hard_aff[v][p] != allow
  let empty = !allow && !(exists q: PCpu :: q != p && hard_aff[v][q])
  require DOM_REFUSALS || !empty
  if empty {
    sched_result := SCHED_EINVAL
  } else {
    hard_aff[v][p] := allow
    if !hard_aff[v][processor[v]] && !vpf_migrating[v] {
      vpf_migrating[v] := true
      vcpu_sleep_nosync(v)
    }
    sched_result := SCHED_OK
  }
  assert sched_result == xen_rc, "sched_xen_result: the result is not the one Xen returns in that state"
}

/// vcpu_migrate_finish: once a migrating v is no longer running, move it to a pcpu p of its hard
/// affinity (Xen's pick_resource chooses; the model lets it be any allowed pcpu), clear
/// _VPF_migrating and wake it there.
@ref("xen/common/sched/core.c:vcpu_migrate_finish")
action vcpu_migrate_finish(v: VCpu, p: PCpu) {
  require vpf_migrating[v] && !is_running[v] && hard_aff[v][p]
  processor[v] := p
  vpf_migrating[v] := false
  vcpu_wake(v)
}

/// XEN_DOMCTL_SCHEDOP_putinfo for the credit scheduler: set domain d's weight. Xen's result is 0 for
/// any non-zero weight (csched_dom_cntl; properties.md K42).
@ref("xen/common/sched/credit.c:csched_dom_cntl")
action csched_set_weight(d: Dom, w: int[1..2]) {
  let xen_rc = SCHED_OK
  require SCHED_WEIGHT_OPS && dom_state[d] == DOM_ALIVE && weight[d] != w
  weight[d] := w
  sched_result := SCHED_OK
  assert sched_result == xen_rc, "sched_xen_result: the result is not the one Xen returns in that state"
}

// ---------------------------------------------------------------------------------------------
// Invariants (properties.md groups E, G, I)
// ---------------------------------------------------------------------------------------------

/// E20: no vcpu is chosen on two pcpus. (Each pcpu runs exactly one vcpu by construction: cur[p] is a
/// guest vcpu or none, p's own idle vcpu; an idle vcpu is never queued, as queues hold guest vcpus.)
@ref("xen/common/sched/core.c:sched_switch_units")
invariant runs_on_one_pcpu: forall p, q: PCpu :: p != q && cur[p] != none => cur[p] != cur[q]

/// E21: a queued vcpu is not current anywhere.
@ref("xen/common/sched/credit.c:__runq_insert")
invariant queued_not_current: forall v: VCpu, p, q: PCpu :: v in runq[p] => cur[q] != v

/// E21: a vcpu sits in at most one run queue, once.
@ref("xen/common/sched/credit.c:__runq_insert")
invariant queued_once: forall v: VCpu :: (sum p: PCpu :: count(runq[p], v)) <= 1

/// E21: run queues are sorted by priority (FIFO within a priority: runq_fifo).
@ref("xen/common/sched/credit.c:__runq_insert")
invariant runq_sorted: forall p: PCpu, i: int[0..NDOM * VPD - 1] ::
  (if i + 1 < len(runq[p]) then pri[runq[p][i]] >= pri[runq[p][i + 1]] else true)

/// A vcpu is queued and current only on its own processor.
@ref("xen/common/sched/credit.c:csched_unit_wake")
invariant on_own_processor: forall v: VCpu, p: PCpu ::
  (v in runq[p] || cur[p] == v) => processor[v] == p

/// E22: a runnable vcpu (no pause flag, no pause count) is current or queued.
@ref("xen/common/sched/core.c:vcpu_wake")
invariant runnable_is_scheduled: forall v: VCpu :: vcpu_runnable(v) => is_cur(v) || on_runq(v)

/// E22: a vcpu that cannot run (blocked, down, paused, migrating) is not queued.
@ref("xen/common/sched/core.c:vcpu_sleep_nosync")
invariant not_runnable_not_queued: forall v: VCpu, p: PCpu :: !vcpu_runnable(v) => !(v in runq[p])

/// E22: a current vcpu that cannot run is being descheduled: its pcpu has the schedule softirq pending.
@ref("xen/common/sched/credit.c:csched_unit_sleep")
invariant not_runnable_descheduled: forall p: PCpu ::
  cur[p] != none && !vcpu_runnable(get(cur[p])) => sched_pending[p]

/// E23: a vcpu is queued or current only on a pcpu of its hard affinity, unless it is migrating.
@ref("xen/common/sched/core.c:vcpu_set_hard_affinity")
invariant hard_affinity_respected: forall v: VCpu, p: PCpu ::
  (v in runq[p] || cur[p] == v) => hard_aff[v][p] || vpf_migrating[v]

/// E24: credits stay within [-CREDIT_MAX, CREDIT_MAX] (Xen: [-300, 300]).
@ref("xen/common/sched/credit.c:burn_credits")
invariant credit_bounded: forall v: VCpu :: -CREDIT_MAX <= credit[v] && credit[v] <= CREDIT_MAX

/// An OVER vcpu has negative credit (priorities follow credit; only the accounting sets OVER).
@ref("xen/common/sched/credit.c:csched_acct")
invariant over_means_negative_credit: forall v: VCpu :: pri[v] == CSCHED_PRI_TS_OVER => credit[v] < 0

/// Runstate running <=> chosen on a pcpu; runnable <=> queued.
@ref("xen/common/sched/core.c:vcpu_runstate_change")
invariant runstate_consistent: forall v: VCpu ::
  (runstate[v] == RS_RUNNING) == is_cur(v) && (runstate[v] == RS_RUNNABLE) == on_runq(v)

/// A chosen vcpu is marked is_running.
@ref("xen/common/sched/core.c:sched_switch_units")
invariant current_is_running: forall p: PCpu :: cur[p] != none => is_running[get(cur[p])]

/// D18 (scheduler side): no lost wake-up: a blocked vcpu has no event waiting to be delivered.
@ref("xen/common/sched/core.c:vcpu_block")
invariant no_lost_wakeup: forall v: VCpu :: vpf_blocked[v] => !sched_events_pending(v)

/// E21: FIFO within a priority: of two queued vcpus of the same priority, the one nearer the head
/// joined the queue first (a priority change re-sorts, stably, at the accounting).
@ref("xen/common/sched/credit.c:__runq_insert")
invariant runq_fifo: forall p: PCpu, i, j: int[0..NDOM * VPD - 1] ::
  (if i < j && j < len(runq[p]) then
     pri[runq[p][i]] == pri[runq[p][j]] => runq_behind[runq[p][j]][runq[p][i]]
   else true)

// ---------------------------------------------------------------------------------------------
// Liveness (properties.md G30) and the fairness Xen gives
// ---------------------------------------------------------------------------------------------

/// The fairness Xen's credit scheduler gives, per pcpu. The tick (xen/common/sched/credit.c,
/// csched_tick re-arms its timer with set_timer every 10 ms of real time) is strongly fair: the model holds it back while a SCHEDULE
/// softirq is pending or interrupts are off, which other steps (the toolstack pausing and unpausing a
/// domain, say) may bring about again and again, but the timer still fires: a tick that is possible
/// again and again is taken. A raised SCHEDULE softirq runs before the pcpu returns to the guest: weak
/// (schedule stays possible until it runs). The guests' own steps (block, wake-up events) and the
/// toolstack's are not fair: a guest may run forever without blocking.
fairness strong csched_tick
/// (See above: the softirq runs on the way out of the interrupt.)
fairness weak schedule

/// G30: under the fair tick, every runnable vcpu eventually runs (or stops being runnable: a pause,
/// VCPUOP_down or a block by the toolstack or the guest ends the promise). What makes it true: a vcpu
/// that waits on a queue earns credit at every accounting run while the one in front burns it, the
/// tick ends a boost and every tick puts the current vcpu back behind the waiting vcpus of its
/// priority, and an idle pcpu is tickled to steal. Replaces the ghost counter of the bounded form
/// (a queued vcpu passed over by at most WAIT_MAX ticks), which needed a per-instance bound and was
/// not inductive.
@ref("xen/common/sched/credit.c:csched_acct")
@ref("xen/common/sched/credit.c:csched_schedule")
temporal runnable_eventually_runs: forall v: VCpu :: vcpu_runnable(v) ~> (is_cur(v) || !vcpu_runnable(v))

/// I37: a dead domain's vcpus are not running, not chosen and not queued (no vcpu slot in use).
@ref("xen/common/domain.c:domain_kill")
invariant dead_domain_quiescent: forall v: VCpu ::
  dom_state[dom_of(v)] == DOM_DEAD => !is_running[v] && !is_cur(v) && !on_runq(v)

// Instances (sizes measured with `xenmodel check`, the explicit engine, 2026-11-27).
/// The scheduling core: 2 domains x 1 vcpu, 2 pcpus, credit in [-2, 2], accounting every 2 ticks (so
/// OVER, stealing on OVER and boosting are reachable); no event stand-in, no refusals, no lifecycle
/// operations (shutdown, crash, destroy), no affinity changes: 36,919 states, depth 44, about 1-8 s.
instance small { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 2, TICKS_PER_ACCT = 2,
                 DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false,
                 SCHED_EVENT_STANDIN = false }
/// Adds the event stand-in (block and wake-up by events): 107,110 states, depth 44, about 10-22 s.
instance default { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 2, TICKS_PER_ACCT = 2,
                   DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false }
/// Everything: lifecycle operations, affinity changes, refusals, 3 domains: for BMC, simulation and
/// benchmarks (too large for the explicit engine).
instance large { NDOM = 3, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 2, TICKS_PER_ACCT = 2 }
/// Coverage (tests/test_spec_coverage.py): with `small`, these reach every action and branch of this file.
/// Affinity changes with migration and their refusal, at the least credit.
instance cover_aff { NDOM = 1, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 1,
                     DOM_LIFECYCLE_OPS = false, SCHED_EVENT_STANDIN = false }
/// Weight changes, at the least credit.
instance cover_weight { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 1,
                        DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false,
                        SCHED_EVENT_STANDIN = false, SCHED_WEIGHT_OPS = true }
/// A running vcpu moved to an idle pcpu at the tick (SCHED_MIGRATE_RUNNING), at the least credit.
instance cover_migrate { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 1,
                         DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false,
                         SCHED_EVENT_STANDIN = false, SCHED_MIGRATE_RUNNING = true }
/// The event stand-in (block, wake-up by an event) on one domain of two vcpus, one pcpu.
instance cover_events { NDOM = 1, VPD = 2, NPCPU = 1, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 1,
                        DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false }
/// Three vcpus on one pcpu (two queued: the accounting re-sorts a queue of two), affinity changes
/// without refusals (on one pcpu every change would empty the mask).
instance cover_queue { NDOM = 1, VPD = 3, NPCPU = 1, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 1,
                       DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_EVENT_STANDIN = false }
/// The lifecycle operations (shutdown, crash, destroy), one pcpu: domain_kill's wait for
/// a vcpu still running (domain.xm's branch that only a scheduler can take).
instance cover_life { NDOM = 2, VPD = 1, NPCPU = 1, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 1,
                      DOM_REFUSALS = false, SCHED_AFFINITY_OPS = false, SCHED_EVENT_STANDIN = false }
/// Chosen for bugs, not for speed: two domains of two vcpus each (a loop over a domain's vcpus that
/// stops at the first, or a wake of the wrong vcpu, changes nothing while every domain has one vcpu),
/// one pcpu, the least credit, the toolstack's pause and unpause on. No sort is symmetric here
/// (dom0 is privileged and a vcpu's domain is its number / VPD), so there is no symmetry reduction.
/// Explicit, exhaustive, deadlock on: 632,733 states, depth 31 (about 45 s; 362 s under heavy load);
/// every invariant holds. G30 (runnable_eventually_runs) fails on a lasso of 19 steps (docs/model.md,
/// "Instances chosen for bugs").
instance bugs2x2 { NDOM = 2, VPD = 2, NPCPU = 1, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 1,
                   DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false,
                   SCHED_EVENT_STANDIN = false }
