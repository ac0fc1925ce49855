/// Bug variant (caught only at sched.xm's `bugs2x2`: two vcpus per domain): domain_pause's loop over
/// the domain's vcpus (for_each_vcpu(d, v) vcpu_sleep_nosync(v)) handles only the first vcpu, so the
/// other vcpus of a paused domain stay on their run queue although they may no longer run. Modelled
/// on the "only the BSP" class of Xen bugs: a per-vcpu step done for vcpu 0 alone (Xen commit
/// 92666fdd6e, "tools/pvh: set coherent MTRR state for all vCPUs: instead of just doing it for the
/// BSP"); with one vcpu per domain it cannot be seen.
/// The one change: domain_pause sleeps only vcpu 0 of d.
/// Breaks: not_runnable_not_queued (properties.md E22). Shortest trace: 4 steps at `bugs2x2` (dom0
/// creates dom1, unpauses it, brings up its second vcpu, pauses it: the vcpu stays queued); at
/// `small` it holds.
model sched_pause_first_vcpu_only

include "../sched.xm"

/// domain_pause whose loop stops after vcpu 0 (the bug).
@ref("xen/common/domain.c:domain_pause")
override proc domain_pause(caller: Dom, d: Dom) {
  assert d != caller, "a domain never pauses itself (XSA-127)"
  dom_pause_count[d] := dom_pause_count[d] + 1
  foreach v: VCpu where dom_of(v) == d && vcpu_id(v) == 0 {
    dom_sched_sleep(v)
  }
}
