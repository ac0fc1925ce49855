/// Bug variant (caught only at sched.xm's `bugs2x2`: two vcpus per domain): domain_unpause's loop
/// wakes the domain's first vcpu on every iteration instead of the vcpu of the iteration
/// (vcpu_wake(d->vcpu[0]) inside for_each_vcpu), so a second vcpu that became runnable is queued
/// nowhere and never runs. Modelled on Xen commit ba7ff2c7bb ("xen/sched: make vcpu_wake() and
/// vcpu_sleep() core scheduling aware"), where waking and sleeping had to act on the one vcpu named
/// and not on its scheduling unit's first one; with one vcpu per domain the two are the same vcpu.
/// The one change: domain_unpause wakes vcpu 0 of d in place of each vcpu.
/// Breaks: runnable_is_scheduled (properties.md E22). Shortest trace: 3 steps at `bugs2x2` (dom0
/// creates dom1, gives its second vcpu a context while it is paused, unpauses it: the wake goes to
/// the first vcpu, which is down); at `small` it holds.
model sched_unpause_wakes_wrong_vcpu

include "../sched.xm"

/// domain_unpause that wakes the wrong vcpu (the bug).
@ref("xen/common/domain.c:domain_unpause")
override proc domain_unpause(d: Dom) {
  assert dom_pause_count[d] > 0, "pause count never goes negative"
  dom_pause_count[d] := dom_pause_count[d] - 1
  if dom_pause_count[d] == 0 {
    foreach v: VCpu where dom_of(v) == d {
      dom_sched_wake(VCpu(ord(d) * VPD))
    }
  }
}
