/// Cross-subsystem hooks of the Xen model.
///
/// A subsystem file that needs an effect in another subsystem calls (or reads) a hook declared here.
/// Standalone, every hook is a no-op or a constant, so each subsystem file checks on its own.
/// spec/xen.xm includes every subsystem and wires each hook with `override proc` / `override def`
/// to the real implementation. docs/model.md ("How the subsystems compose") lists every hook, who
/// calls it and what xen.xm wires it to.
model hooks

include "common.xm"

/// The steps of domain destruction that other subsystems perform, in Xen's order
/// (domain_kill / domain_relinquish_resources): grant mappings, event channels, memory.
@ref("xen/common/domain.c:domain_kill")
enum TeardownStep { TD_GRANTS, TD_EVTCHN, TD_MEMORY }

/// Event delivery wants vcpu v to notice a new pending event: unblock it if it is blocked
/// (and IPI its pcpu if it runs elsewhere). Standalone: nothing.
/// Called by: evtchn (2-level set_pending), irq (pirq delivery through evtchn).
/// Wired in xen.xm to sched's vcpu_kick (vcpu_unblock + vcpu_wake).
@ref("xen/common/sched/core.c:vcpu_unblock")
proc hook_vcpu_kick(v: VCpu) { }

/// local_events_need_delivery(v): v has an unmasked pending upcall. Standalone: no.
/// Read by: sched (vcpu_block's re-check after setting _VPF_blocked). Requested by evtchn.
/// Wired in xen.xm to evtchn_local_events_need_delivery(v).
@ref("xen/include/xen/event.h:local_events_need_delivery")
def hook_local_events_need_delivery(v: VCpu): bool = false

/// Is domain d alive (created and not dying or dead)? Standalone: every domain is alive.
/// Read by: evtchn / grant / memory to refuse work on a dying domain (-EINVAL, -ESRCH).
/// Wired in xen.xm to domain.xm's dom_state.
@ref("xen/include/xen/sched.h:domain")
def hook_dom_alive(d: Dom): bool = true

/// Does some vcpu of domain d execute guest code, so that d can issue a hypercall? Standalone: always.
/// Read by: memory (mm_update_l1e, mm_update_l2e, mm_machphys_update) and grant (gnt_copy), the
/// guest's own operations that write its pages. A domain shut down (for a suspend, say) has every
/// vcpu paused for shutdown: vcpu_runnable is false, the scheduler never runs them, so the domain
/// issues no hypercall. Wired in xen.xm for the migrating guest (migration.xm's mig_src_running).
@ref("xen/include/xen/sched.h:vcpu_runnable")
@ref("xen/common/domain.c:domain_shutdown")
def hook_dom_executes(d: Dom): bool = true

/// Is domain d dying (domain_kill has started, resources are being released)? Standalone: never.
/// Wired in xen.xm to domain.xm's dom_state.
@ref("xen/common/domain.c:domain_kill")
def hook_dom_dying(d: Dom): bool = false

/// Is domain d's lifecycle (shutdown, resume, destruction) driven by another subsystem's protocol
/// rather than by the guest's and the toolstack's own calls? Standalone: never.
/// Read by: domain.xm (schedop_shutdown, domain_crash, domctl_resumedomain, domctl_destroydomain).
/// Wired in xen.xm for the migrating guest: migration.xm suspends, resumes and destroys it, through
/// domain.xm's own procs (xl's migrate holds the domain for the whole migration).
@ref("tools/xl/xl_migrate.c:migrate_domain")
def hook_dom_lifecycle_owned(d: Dom): bool = false

/// Domain d has just become dying (d->is_dying = DOMDYING_dying). Standalone: nothing.
/// Called by: domain.xm (domain_kill). Other subsystems may mark their own state.
@ref("xen/common/domain.c:domain_kill")
proc hook_domain_dying(d: Dom) { }

/// One bounded, preemptible step of releasing d's resources of kind s (a grant mapping, an
/// event channel port, a page). Standalone: nothing (nothing to release).
/// Called by: domain.xm (domain_kill_step). Wired in xen.xm to the subsystem's release step.
@ref("xen/common/domain.c:domain_relinquish_resources")
proc hook_teardown_step(d: Dom, s: TeardownStep) { }

/// Has everything of kind s belonging to d been released? Standalone: yes.
/// Read by: domain.xm (domain_kill_step) to move to the next teardown step.
@ref("xen/common/domain.c:domain_relinquish_resources")
def hook_teardown_done(d: Dom, s: TeardownStep): bool = true

/// Domain d has completed its shutdown (every vcpu paused for shutdown): Xen sends VIRQ_DOM_EXC
/// to the control domain. Standalone: nothing. Called by: domain.xm. Wired in xen.xm to evtchn's
/// global virq delivery if evtchn provides one.
@ref("xen/common/domain.c:domain_shutdown")
proc hook_domain_shutdown_done(d: Dom) { }
