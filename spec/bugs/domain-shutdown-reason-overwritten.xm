/// Bug variant, modelled on the shutdown-reason bookkeeping of domain_shutdown (a later reason, e.g.
/// a crash during a suspend, must not replace the first one: the toolstack acts on the first, and a
/// migration that sees "crash" instead of "suspend" would treat a suspended guest as dead).
/// The one change: domain_shutdown always records the new reason.
/// Breaks: the step assert "the first shutdown reason sticks" (properties.md I37 lifecycle rules).
/// Expected shortest trace: 5 steps (create, setvcpucontext, unpause, guest shuts down, Xen crashes it).
model domain_shutdown_reason_overwritten

include "../domain.xm"

/// domain_shutdown that overwrites the reason.
@ref("xen/common/domain.c:domain_shutdown")
override proc domain_shutdown(d: Dom, code: ShutdownCode) {
  dom_shutdown_code[d] := code
  foreach v: VCpu where dom_of(v) == d {
    if !v_paused_for_shutdown[v] {
      v_paused_for_shutdown[v] := true
      dom_sched_sleep(v)
    }
  }
  if !dom_is_shut_down[d] {
    dom_is_shut_down[d] := true
    hook_domain_shutdown_done(d)
  }
}
