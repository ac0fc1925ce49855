/// Bug variant, modelled on __context_switch's write_ptbase(next): loading a vcpu's registers without
/// its page tables leaves the previous domain's address space live under the new domain (a guest runs
/// on another guest's page tables).
/// The one change: cs_context_switch does not load next's page tables.
/// Breaks: ptbase_matches (properties.md F29).
model ctxsw_no_ptbase

include "../context_switch.xm"

/// __context_switch without write_ptbase.
@ref("xen/arch/x86/domain.c:__context_switch")
override proc cs_context_switch(p: PCpu, n: VCpu?) {
  if curr_vcpu[p] != none {
    dirty_cpu[get(curr_vcpu[p])] := none
  }
  if n != none {
    assert dirty_cpu[get(n)] == none, "load_clean_state: a vcpu's state is loaded only when it is clean"
    dirty_cpu[get(n)] := p
  }
  curr_vcpu[p] := n
}

// This file includes context_switch.xm (and through it sched.xm and domain.xm, which declare the
// same instance names), so it declares its own.
/// As context_switch.xm small.
instance small { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 1,
                 DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false,
                 SCHED_EVENT_STANDIN = false }
/// As small.
instance default { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 1,
                   DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false,
                 SCHED_EVENT_STANDIN = false }
