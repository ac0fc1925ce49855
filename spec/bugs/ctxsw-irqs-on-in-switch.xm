/// Bug variant, modelled on context_switch's local_irq_disable() before set_current(): with
/// interrupts still enabled, an interrupt between set_current(next) and the register switch runs its
/// handler with current == next while prev's state and page tables are loaded.
/// The one change: ctxsw_set_current does not disable interrupts.
/// Breaks: irqs_off_in_switch (properties.md F28); with that invariant removed, the handler's assert
/// irq_sees_consistent_pcpu.
model ctxsw_irqs_on_in_switch

include "../context_switch.xm"

/// set_current without local_irq_disable.
@ref("xen/arch/x86/domain.c:context_switch")
override action ctxsw_set_current(p: PCpu) {
  require cs_phase[p] == CS_SYNC && cs_next_state_here(p)
  assert irq_en[p], "context_switch is entered with interrupts enabled"
  cs_phase[p] := CS_SWITCH
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
