/// Bug variant: XEN_DOMCTL_setvcpuaffinity accepts a hard affinity with no pcpu.
/// vcpu_set_hard_affinity refuses (-EINVAL) a mask that does not intersect the online pcpus; without
/// the test a vcpu can be left with nowhere to run (the class of affinity masks that lose every
/// online cpu, which Xen's cpupool and cpu-offline paths guard against).
/// The one change: vcpu_set_hard_affinity drops the empty-mask test.
/// Breaks: sched_xen_result (properties.md K42): Xen says -EINVAL.
/// Expected shortest trace: 1 step (vcpu0 forbids pcpu0), then the failing step (it forbids pcpu1).
model sched_affinity_empty

include "../sched.xm"

/// setvcpuaffinity without the empty-mask test.
@ref("xen/common/sched/core.c:vcpu_set_hard_affinity")
override action vcpu_set_hard_affinity(v: VCpu, p: PCpu, allow: bool) {
  let xen_rc = sched_xen_rc_set_hard_affinity(v, p, allow)
  require SCHED_AFFINITY_OPS && dom_state[dom_of(v)] == DOM_ALIVE && hard_aff[v][p] != allow
  hard_aff[v][p] := allow
  if !hard_aff[v][processor[v]] && !vpf_migrating[v] {
    vpf_migrating[v] := true
    vcpu_sleep_nosync(v)
  }
  sched_result := SCHED_OK
  assert sched_result == xen_rc, "sched_xen_result: the result is not the one Xen returns in that state"
}

// This file includes sched.xm (which includes domain.xm): both declare the instances, so it declares
// its own, with the affinity changes on.
instance small { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 2, TICKS_PER_ACCT = 2,
                 DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false }
instance default { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 2, TICKS_PER_ACCT = 2,
                   DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false }
