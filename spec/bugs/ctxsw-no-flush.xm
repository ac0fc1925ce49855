/// Bug variant, modelled on the lazy-switch hazard that context_switch's FLUSH_VCPU_STATE request
/// (sync_vcpu_execstate) exists for: a vcpu whose registers are still loaded on another pcpu (which
/// switched lazily to its idle vcpu) is loaded here without asking that pcpu to save them first, so
/// the vcpu's state is live in two places and the older copy wins or is lost.
/// The one change: ctxsw_set_current does not wait for next's state to be clean or local.
/// Breaks: the step assert "load_clean_state" in __context_switch (properties.md F27), and then
/// state_loaded_once (F26).
model ctxsw_no_flush

include "../context_switch.xm"

/// context_switch without the flush test.
@ref("xen/arch/x86/domain.c:context_switch")
override action ctxsw_set_current(p: PCpu) {
  require cs_phase[p] == CS_SYNC
  assert irq_en[p], "context_switch is entered with interrupts enabled"
  irq_en[p] := false
  cs_phase[p] := CS_SWITCH
}

// This file includes context_switch.xm (and through it sched.xm and domain.xm, which declare the
// same instance names), so it declares its own. Affinity changes are on: they move a vcpu whose
// state is still lazily loaded on its old pcpu.
/// As context_switch.xm small, with affinity changes.
instance small { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 1,
                 DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false,
                 SCHED_EVENT_STANDIN = false }
/// As small.
instance default { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, CREDIT_MAX = 1, TICKS_PER_ACCT = 1,
                   DOM_REFUSALS = false, DOM_LIFECYCLE_OPS = false,
                 SCHED_EVENT_STANDIN = false }
