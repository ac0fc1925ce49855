/// Bug variant (caught only at `bugs2x2`: two vcpus per domain), modelled on the lazy-path test of
/// xen/arch/x86/domain.c:context_switch: the full switch (__context_switch: save the state of
/// per_cpu(curr_vcpu), load next's, curr_vcpu := next) is skipped only when the state loaded on the
/// pcpu is next's own (curr_vcpu == next) or next is the idle vcpu. __context_switch itself compares
/// domains (pd != nd, for the domain's dirty_cpumask) and vcpu ids (for the GDT) side by side; a skip
/// test that compares domains instead of vcpus takes the loaded state of one vcpu of a domain for
/// another's. Bug class (no XSA): switching between two vcpus of the same domain then runs the new
/// vcpu on the old vcpu's registers, and curr_vcpu still names the old one. With one vcpu per domain
/// the two tests agree, so the bug cannot be seen at `small`.
/// The one change: ctxsw_switch skips __context_switch when the loaded state is of next's domain.
/// Breaks: lazy_only_under_idle (properties.md F25).
/// Expected shortest trace: 8 steps at `bugs2x2` (pcpu0 switches fully to dom0's vcpu 0; dom0 brings
/// up its vcpu 1, woken with a boost; at the next schedule vcpu 1 preempts vcpu 0, set_current, and
/// the switch is skipped: vcpu 1 is current while vcpu 0's state stays loaded); at `small` it holds.
model ctxsw_lazy_same_domain

include "../context_switch.xm"

/// context_switch whose lazy-path test compares the domain of the loaded state with next's domain
/// (pt_of: the domain whose state is loaded, none for an idle vcpu's) instead of curr_vcpu with next.
@ref("xen/arch/x86/domain.c:context_switch")
@ref("xen/arch/x86/domain.c:__context_switch")
override action ctxsw_switch(p: PCpu) {
  require cs_phase[p] == CS_SWITCH
  if cur[p] != none && pt_of(curr_vcpu[p]) != pt_of(cur[p]) {
    cs_context_switch(p, cur[p])
  }
  irq_en[p] := true
  cs_phase[p] := CS_DONE
}

// This file includes context_switch.xm (and through it sched.xm and domain.xm, which declare the
// same instance names), so it declares its own.
/// As context_switch.xm small (one vcpu per domain: the variant holds there).
instance small { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 1,
                 DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false,
                 SCHED_EVENT_STANDIN = false }
/// As small.
instance default { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 1,
                   DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false,
                   SCHED_EVENT_STANDIN = false }
/// As sched.xm bugs2x2: two domains of two vcpus each, one pcpu (context_switch.xm declares none: the
/// whole graph, 4,032,262 states, is too large for the tests; the violation is found long before).
instance bugs2x2 { NDOM = 2, VPD = 2, NPCPU = 1, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 1,
                   DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false, SCHED_AFFINITY_OPS = false,
                   SCHED_EVENT_STANDIN = false }
