/// Bug variant, modelled on the peer test of csched_load_balance (xen/common/sched/credit.c): the walk
/// over the peers skips a peer whose nr_runnable is at most 1, and nr_runnable counts the peer's queued
/// units and its running one (runq_insert / runq_remove keep it; csched_schedule re-queues a still
/// runnable current without changing it and decrements it when the current blocks), so a peer that
/// runs one vcpu and has one queued is visited. Bug class, not a Xen commit: an off-by-one in that skip
/// test (the queue length taken for nr_runnable, as a counter that forgets the running unit would
/// give) skips such a peer, so an idle pcpu stays idle while a vcpu that could run on it waits on the
/// busy peer's queue.
/// The one change: csched_steal (csched_load_balance) looks only at peers with more than one vcpu
/// queued; when no peer passes, it falls back to the local choice as csched_load_balance does ("failed
/// to find more important work elsewhere": the head of p's queue, or p's idle vcpu).
/// Breaks: assert work_conserving in csched_switch (properties.md G31).
/// Expected shortest trace: 7 steps (dom1 is created and unpaused, pcpu0 runs the boot vcpu, which goes
/// down while dom1's vcpu is brought up onto pcpu0's queue, boosted; pcpu0 switches to it; the boot vcpu
/// is brought up again, boosted, and waits on pcpu0's queue: not above the boosted current, so the
/// idle pcpu1 is tickled), then the failing step (pcpu1 schedules, skips pcpu0, whose queue holds one
/// vcpu, and goes idle).
model sched_balance_skips_busy_peer

include "../sched.xm"

/// csched_load_balance with the skip test off by one: a peer is visited only if its queue (not its
/// nr_runnable) holds more than one vcpu.
@ref("xen/common/sched/credit.c:csched_load_balance")
@ref("xen/common/sched/credit.c:csched_runq_steal")
override proc csched_steal(p: PCpu, prev: VCpu?, lp: int) {
  if exists q: PCpu :: csched_can_steal(q, p, lp) && len(runq[q]) > 1 {
    choose q: PCpu where csched_can_steal(q, p, lp) && len(runq[q]) > 1 {
      let w = runq[q][csched_steal_idx(q, p, lp)]
      runq_remove(q, w)
      processor[w] := p
      csched_switch(p, prev, w)
    }
  } else if len(runq[p]) > 0 {
    let n = head(runq[p])
    runq_remove(p, n)
    csched_switch(p, prev, n)
  } else {
    csched_switch(p, prev, none)
  }
}

// This file includes sched.xm (which includes domain.xm): both declare the instances, so it declares
// its own (the loader treats two included declarations of one instance name as ambiguous).
/// As sched.xm small (the scheduling core).
instance small { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 2, TICKS_PER_ACCT = 2,
                 DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false,
                 SCHED_EVENT_STANDIN = false }
/// As sched.xm default (with the event stand-in).
instance default { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 2, TICKS_PER_ACCT = 2,
                   DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false }
