/// Domains and vcpus: lifecycle (created paused, alive -> dying -> dead), pause counts, controller pause
/// counts (refused on oneself, XSA-127), vcpu pause flags (blocked, down, migrating), bring-up
/// (setvcpucontext, VCPUOP_up/down), shutdown (the first reason sticks) and destruction in bounded,
/// preemptible steps.
///
/// The scheduler is not modelled here: the four "scheduler interface" declarations below are stand-ins
/// that spec/sched.xm overrides (vcpu_wake, vcpu_sleep_nosync, is_running, "this vcpu is executing").
/// Checked alone, this file explores the lifecycle and pause bookkeeping only.
model domain

include "common.xm"
include "hooks.xm"
include "xsm.xm"

// ---------------------------------------------------------------------------------------------
// Constants and types
// ---------------------------------------------------------------------------------------------

/// Largest controller (toolstack) pause count. Xen: 255; instances scale it down (the behaviour at the
/// limit, -EOVERFLOW, is the same for any bound).
@ref("xen/common/domain.c:__domain_pause_by_systemcontroller")
const CTRL_PAUSE_MAX: int[1..255] = 255

/// When false, guests only shut down with reasons poweroff and suspend (enough to show that the first
/// reason sticks, and what migration needs); true allows all six of Xen's reasons.
const DOM_ALL_SHUTDOWN_CODES: bool = false

/// When false, only calls that succeed are explored (refusals are not transitions), which keeps the
/// small instances small; true explores every refusal too (result recorded in dom_result).
const DOM_REFUSALS: bool = true
/// When false, shutdown, crash, resume and destruction are not explored (the scheduling core only).
const DOM_LIFECYCLE_OPS: bool = true

/// Result of a domain operation: Xen's return value (0 or a negative errno).
enum DomResult { DOM_OK, DOM_EINVAL, DOM_EPERM, DOM_ESRCH, DOM_EEXIST, DOM_EOVERFLOW }

/// Domain lifecycle. DOM_NONE: the domid is not in use yet (before XEN_DOMCTL_createdomain).
/// DOM_ALIVE, DOM_DYING, DOM_DEAD are d->is_dying = DOMDYING_alive / _dying / _dead.
@ref("xen/include/xen/sched.h:domain")
enum DomState { DOM_NONE, DOM_ALIVE, DOM_DYING, DOM_DEAD }

/// Shutdown reasons, in Xen's numbering (SHUTDOWN_poweroff 0 ... SHUTDOWN_soft_reset 5).
@ref("xen/include/public/sched.h:SHUTDOWN_poweroff")
enum ShutdownCode { SHUTDOWN_POWEROFF, SHUTDOWN_REBOOT, SHUTDOWN_SUSPEND, SHUTDOWN_CRASH,
                    SHUTDOWN_WATCHDOG, SHUTDOWN_SOFT_RESET }

/// A domain pause count: the controller's pauses, plus the one domain_kill takes, plus one spare.
type PauseCount = int[0..CTRL_PAUSE_MAX + 2]

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/// d->is_dying, extended with DOM_NONE for an unused domid. dom0 exists at boot; the others are created.
@ref("xen/include/xen/sched.h:domain")
var dom_state: Dom -> DomState = [d: Dom -> if is_privileged(d) then DOM_ALIVE else DOM_NONE]

/// d->pause_count: the domain runs only while it is 0.
@ref("xen/common/domain.c:domain_pause")
var dom_pause_count: Dom -> PauseCount

/// d->controller_pause_count: the toolstack's share of pause_count (created at 1, at most 255).
@ref("xen/common/domain.c:domain_unpause_by_systemcontroller")
var dom_ctrl_pause_count: Dom -> int[0..CTRL_PAUSE_MAX]

/// d->creation_finished: set when the controller pause count first drops to 0. dom0 is finished at boot.
@ref("xen/common/domain.c:domain_unpause_by_systemcontroller")
var dom_creation_finished: Dom -> bool = [d: Dom -> is_privileged(d)]

/// d->shutdown_code: none is SHUTDOWN_CODE_INVALID. The first reason sticks until domain_resume.
@ref("xen/common/domain.c:domain_shutdown")
var dom_shutdown_code: Dom -> ShutdownCode?

/// d->is_shut_down: every vcpu is paused for shutdown (in the model this completes at once, as no vcpu
/// defers its shutdown).
@ref("xen/common/domain.c:__domain_finalise_shutdown")
var dom_is_shut_down: Dom -> bool

/// The step domain destruction is at (meaningful while DOM_DYING): which kind of resource
/// domain_relinquish_resources is releasing.
@ref("xen/common/domain.c:domain_relinquish_resources")
var dom_teardown: Dom -> TeardownStep

/// v->pause_flags _VPF_blocked: the vcpu waits for an event (set by vcpu_block, cleared by vcpu_unblock).
@ref("xen/include/xen/sched.h:_VPF_blocked")
var vpf_blocked: VCpu -> bool

/// v->pause_flags _VPF_down: the vcpu is offline. Every vcpu starts down except dom0's vcpu 0.
@ref("xen/include/xen/sched.h:_VPF_down")
var vpf_down: VCpu -> bool = [v: VCpu -> !(is_privileged(dom_of(v)) && vcpu_id(v) == 0)]

/// v->pause_flags _VPF_migrating: its hard affinity no longer contains v->processor; it must move
/// (set by vcpu_set_hard_affinity, cleared by vcpu_migrate_finish in sched.xm).
@ref("xen/include/xen/sched.h:_VPF_migrating")
var vpf_migrating: VCpu -> bool

/// v->paused_for_shutdown. In the model the vcpu pause count (v->pause_count) is raised only by
/// shutdown, so this flag stands for v->pause_count > 0.
@ref("xen/common/domain.c:domain_shutdown")
var v_paused_for_shutdown: VCpu -> bool

/// v->is_initialised: the vcpu has a guest context (setvcpucontext); VCPUOP_up needs it.
@ref("xen/common/domain.c:arch_set_info_guest")
var v_initialised: VCpu -> bool = [v: VCpu -> is_privileged(dom_of(v)) && vcpu_id(v) == 0]

/// The result of the last domain operation (a refusal changes only this).
var dom_result: DomResult

// ---------------------------------------------------------------------------------------------
// Derived predicates
// ---------------------------------------------------------------------------------------------

/// vcpu_runnable(v): no pause flag, no vcpu pause count, no domain pause count.
@ref("xen/include/xen/sched.h:vcpu_runnable")
def vcpu_runnable(v: VCpu): bool =
  !vpf_blocked[v] && !vpf_down[v] && !vpf_migrating[v] && !v_paused_for_shutdown[v]
  && dom_pause_count[dom_of(v)] == 0

/// The domain exists and may be named by a domctl (rcu_lock_domain_by_id succeeds).
def dom_exists(d: Dom): bool = dom_state[d] == DOM_ALIVE || dom_state[d] == DOM_DYING

// ---------------------------------------------------------------------------------------------
// Scheduler interface: stand-ins, overridden by spec/sched.xm
// ---------------------------------------------------------------------------------------------

/// Wake v after something that kept it from running was removed (vcpu_wake). Stand-in: nothing.
@ref("xen/common/sched/core.c:vcpu_wake")
proc dom_sched_wake(v: VCpu) { }

/// v may have stopped being runnable: take it off its run queue or deschedule it (vcpu_sleep_nosync).
/// Stand-in: nothing.
@ref("xen/common/sched/core.c:vcpu_sleep_nosync")
proc dom_sched_sleep(v: VCpu) { }

/// v->is_running: v's context is on a pcpu or being switched. Stand-in: never.
@ref("xen/include/xen/sched.h:vcpu")
def dom_vcpu_is_running(v: VCpu): bool = false

/// v is executing guest code right now, so it can issue a hypercall. Stand-in: v is runnable.
def dom_vcpu_executing(v: VCpu): bool = vcpu_runnable(v) && dom_state[dom_of(v)] == DOM_ALIVE

// ---------------------------------------------------------------------------------------------
// Pause and unpause
// ---------------------------------------------------------------------------------------------

/// domain_pause(d) on behalf of caller: raise the pause count and put every vcpu to sleep. Xen waits
/// for each vcpu to stop running (vcpu_sleep_sync); the model does not wait here, the wait happens
/// where it matters (domain_kill_continue). Xen asserts the target is not the caller's own domain
/// (pausing oneself would never return: XSA-127).
@ref("xen/common/domain.c:domain_pause")
proc domain_pause(caller: Dom, d: Dom) {
  assert d != caller, "a domain never pauses itself (XSA-127)"
  dom_pause_count[d] := dom_pause_count[d] + 1
  foreach v: VCpu where dom_of(v) == d {
    dom_sched_sleep(v)
  }
}

/// domain_unpause(d): drop one pause reference; when the count reaches 0, wake every vcpu.
@ref("xen/common/domain.c:domain_unpause")
proc domain_unpause(d: Dom) {
  assert dom_pause_count[d] > 0, "pause count never goes negative"
  dom_pause_count[d] := dom_pause_count[d] - 1
  if dom_pause_count[d] == 0 {
    foreach v: VCpu where dom_of(v) == d {
      dom_sched_wake(v)
    }
  }
}

/// The errno of XEN_DOMCTL_pausedomain(d) by caller.
@ref("xen/common/domctl.c:do_domctl")
def dom_pause_errno(caller: Dom, d: Dom): DomResult =
  if !dom_exists(d) then DOM_ESRCH
  else if !xsm_allows(XSMOP_DOMCTL, caller, d) then DOM_EPERM
  else if d == caller then DOM_EINVAL
  else if dom_ctrl_pause_count[d] == CTRL_PAUSE_MAX then DOM_EOVERFLOW
  else DOM_OK

/// XEN_DOMCTL_pausedomain: the control domain pauses d. Refused with -EPERM for an unprivileged
/// caller, -ESRCH for an unknown domain, -EINVAL on oneself (XSA-127), -EOVERFLOW past 255
/// controller pauses.
@ref("xen/common/domctl.c:do_domctl")
@ref("xen/common/domain.c:__domain_pause_by_systemcontroller")
action domctl_pausedomain(caller: Dom, d: Dom) {
  let xen_rc = dom_xen_rc_pause(caller, d)
  require dom_state[caller] == DOM_ALIVE
  let r = dom_pause_errno(caller, d)
  require DOM_REFUSALS || r == DOM_OK
  dom_result := r
  if r == DOM_OK {
    xsm_granted(XSMOP_DOMCTL, caller, d)
    dom_ctrl_pause_count[d] := dom_ctrl_pause_count[d] + 1
    domain_pause(caller, d)
  }
  assert dom_result == xen_rc, "dom_xen_result: the result is not the one Xen returns in that state"
}

/// The errno of XEN_DOMCTL_unpausedomain(d) by caller.
@ref("xen/common/domctl.c:do_domctl")
def dom_unpause_errno(caller: Dom, d: Dom): DomResult =
  if !dom_exists(d) then DOM_ESRCH
  else if !xsm_allows(XSMOP_DOMCTL, caller, d) then DOM_EPERM
  else if dom_ctrl_pause_count[d] == 0 then DOM_EINVAL
  else DOM_OK

/// XEN_DOMCTL_unpausedomain: drop one controller pause; -EINVAL if there is none. The first drop to 0
/// finishes the domain's creation.
@ref("xen/common/domain.c:domain_unpause_by_systemcontroller")
action domctl_unpausedomain(caller: Dom, d: Dom) {
  let xen_rc = dom_xen_rc_unpause(caller, d)
  require dom_state[caller] == DOM_ALIVE
  let r = dom_unpause_errno(caller, d)
  require DOM_REFUSALS || r == DOM_OK
  dom_result := r
  if r == DOM_OK {
    xsm_granted(XSMOP_DOMCTL, caller, d)
    dom_ctrl_pause_count[d] := dom_ctrl_pause_count[d] - 1
    if dom_ctrl_pause_count[d] == 0 {
      dom_creation_finished[d] := true
    }
    domain_unpause(d)
  }
  assert dom_result == xen_rc, "dom_xen_result: the result is not the one Xen returns in that state"
}

// ---------------------------------------------------------------------------------------------
// Creation and vcpu bring-up
// ---------------------------------------------------------------------------------------------

/// The errno of XEN_DOMCTL_createdomain(d) by caller.
@ref("xen/common/domctl.c:do_domctl")
def dom_create_errno(caller: Dom, d: Dom): DomResult =
  if !xsm_allows(XSMOP_DOMCTL, caller, d) then DOM_EPERM
  else if dom_state[d] != DOM_NONE then DOM_EEXIST
  else DOM_OK

/// XEN_DOMCTL_createdomain (with max_vcpus): the new domain starts paused (pause_count = controller
/// pause count = 1) and its vcpus start offline (_VPF_down) and uninitialised. -EEXIST if the domid is
/// in use or was used (the model does not reuse domids).
@ref("xen/common/domain.c:domain_create")
@ref("xen/common/sched/core.c:vcpu_create")
action domctl_createdomain(caller: Dom, d: Dom) {
  let xen_rc = dom_xen_rc_create(caller, d)
  require dom_state[caller] == DOM_ALIVE
  let r = dom_create_errno(caller, d)
  require DOM_REFUSALS || r == DOM_OK
  dom_result := r
  if r == DOM_OK {
    xsm_granted(XSMOP_DOMCTL, caller, d)
    dom_state[d] := DOM_ALIVE
    dom_pause_count[d] := 1
    dom_ctrl_pause_count[d] := 1
    dom_creation_finished[d] := false
    foreach v: VCpu where dom_of(v) == d {
      vpf_down[v] := true
      v_initialised[v] := false
    }
  }
  assert dom_result == xen_rc, "dom_xen_result: the result is not the one Xen returns in that state"
}

/// The errno of XEN_DOMCTL_setvcpucontext(v) by caller.
@ref("xen/common/domctl.c:do_domctl")
def dom_setvcpucontext_errno(caller: Dom, v: VCpu): DomResult =
  if !dom_exists(dom_of(v)) then DOM_ESRCH
  else if !xsm_allows(XSMOP_DOMCTL, caller, dom_of(v)) then DOM_EPERM
  else if dom_state[dom_of(v)] != DOM_ALIVE then DOM_ESRCH
  else if v_initialised[v] && !vpf_down[v] then DOM_EINVAL
  else DOM_OK

/// XEN_DOMCTL_setvcpucontext: the toolstack gives vcpu v its initial context and marks it online
/// (VGCF_online clears _VPF_down). The model always sets the online flag; it refuses a vcpu that is
/// already online (Xen would require it to be paused).
@ref("xen/arch/x86/domain.c:arch_set_info_guest")
action domctl_setvcpucontext(caller: Dom, v: VCpu) {
  let xen_rc = dom_xen_rc_setvcpucontext(caller, v)
  require dom_state[caller] == DOM_ALIVE
  let r = dom_setvcpucontext_errno(caller, v)
  require DOM_REFUSALS || r == DOM_OK
  dom_result := r
  if r == DOM_OK {
    xsm_granted(XSMOP_DOMCTL, caller, dom_of(v))
    v_initialised[v] := true
    vpf_down[v] := false
    dom_sched_wake(v)
  }
  assert dom_result == xen_rc, "dom_xen_result: the result is not the one Xen returns in that state"
}

/// VCPUOP_up issued by a running vcpu `self` of the same domain: bring v online. -EINVAL if v has no
/// context yet (is_initialised is false).
@ref("xen/common/domain.c:do_vcpu_op")
action vcpuop_up(self: VCpu, v: VCpu) {
  let xen_rc = dom_xen_rc_vcpu_up(v)
  require dom_of(self) == dom_of(v) && dom_vcpu_executing(self)
  require DOM_REFUSALS || v_initialised[v]
  if !v_initialised[v] {
    dom_result := DOM_EINVAL
  } else {
    if vpf_down[v] {
      vpf_down[v] := false
      dom_sched_wake(v)
    }
    dom_result := DOM_OK
  }
  assert dom_result == xen_rc, "dom_xen_result: the result is not the one Xen returns in that state"
}

/// VCPUOP_down issued by a running vcpu `self` of the same domain (possibly v itself): take v offline.
@ref("xen/common/domain.c:do_vcpu_op")
action vcpuop_down(self: VCpu, v: VCpu) {
  require dom_of(self) == dom_of(v) && dom_vcpu_executing(self)
  if !vpf_down[v] {
    vpf_down[v] := true
    dom_sched_sleep(v)
  }
  dom_result := DOM_OK
}

// ---------------------------------------------------------------------------------------------
// Shutdown and resume
// ---------------------------------------------------------------------------------------------

/// domain_shutdown(d, reason): record the reason unless one is already recorded (the first reason
/// sticks), pause every vcpu for shutdown, and, as every vcpu is then paused, finish the shutdown
/// and tell the control domain (VIRQ_DOM_EXC).
@ref("xen/common/domain.c:domain_shutdown")
proc domain_shutdown(d: Dom, code: ShutdownCode) {
  if dom_shutdown_code[d] == none {
    dom_shutdown_code[d] := code
  }
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

/// SCHEDOP_shutdown issued by a running vcpu of a guest (the control domain's shutdown is the host's
/// and is not modelled). The step property "the first reason sticks" is checked after the call.
@ref("xen/common/sched/core.c:do_sched_op")
action schedop_shutdown(self: VCpu, code: ShutdownCode) {
  let d = dom_of(self)
  require DOM_LIFECYCLE_OPS && !is_privileged(d) && dom_vcpu_executing(self) && !hook_dom_lifecycle_owned(d)
  require DOM_ALL_SHUTDOWN_CODES || code == SHUTDOWN_POWEROFF || code == SHUTDOWN_SUSPEND
  let first = if dom_shutdown_code[d] == none then code else get(dom_shutdown_code[d])
  domain_shutdown(d, code)
  assert dom_shutdown_code[d] == first, "the first shutdown reason sticks"
  dom_result := DOM_OK
}

/// Xen crashes a guest (a fatal fault, a watchdog expiry, an explicit domain_crash): a shutdown with
/// reason crash, which does not replace an earlier reason.
@ref("xen/common/domain.c:domain_crash")
action domain_crash(d: Dom) {
  require DOM_LIFECYCLE_OPS && !is_privileged(d) && dom_state[d] == DOM_ALIVE && !hook_dom_lifecycle_owned(d)
  let first = if dom_shutdown_code[d] == none then SHUTDOWN_CRASH else get(dom_shutdown_code[d])
  domain_shutdown(d, SHUTDOWN_CRASH)
  assert dom_shutdown_code[d] == first, "the first shutdown reason sticks"
}

/// The errno of XEN_DOMCTL_resumedomain(d) by caller.
@ref("xen/common/domctl.c:do_domctl")
def dom_resume_errno(caller: Dom, d: Dom): DomResult =
  if !dom_exists(d) then DOM_ESRCH
  else if !xsm_allows(XSMOP_DOMCTL, caller, d) then DOM_EPERM
  else if dom_state[d] != DOM_ALIVE then DOM_ESRCH
  else if d == caller then DOM_EINVAL
  else DOM_OK

/// domain_resume(d): clear the shutdown reason and unpause the vcpus paused for shutdown.
@ref("xen/common/domain.c:domain_resume")
proc domain_resume(d: Dom) {
  dom_shutdown_code[d] := none
  dom_is_shut_down[d] := false
  foreach v: VCpu where dom_of(v) == d {
    if v_paused_for_shutdown[v] {
      v_paused_for_shutdown[v] := false
      dom_sched_wake(v)
    }
  }
}

/// XEN_DOMCTL_resumedomain: undo a shutdown (used after a suspend, e.g. a cancelled migration).
@ref("xen/common/domain.c:domain_resume")
action domctl_resumedomain(caller: Dom, d: Dom) {
  let xen_rc = dom_xen_rc_resume(caller, d)
  require DOM_LIFECYCLE_OPS && dom_state[caller] == DOM_ALIVE && !hook_dom_lifecycle_owned(d)
  let r = dom_resume_errno(caller, d)
  require DOM_REFUSALS || r == DOM_OK
  require r != DOM_OK || dom_is_shut_down[d]
  dom_result := r
  if r == DOM_OK {
    xsm_granted(XSMOP_DOMCTL, caller, d)
    domain_resume(d)
  }
  assert dom_result == xen_rc, "dom_xen_result: the result is not the one Xen returns in that state"
}

// ---------------------------------------------------------------------------------------------
// Destruction
// ---------------------------------------------------------------------------------------------

/// The errno of XEN_DOMCTL_destroydomain(d) by caller.
@ref("xen/common/domctl.c:do_domctl")
def dom_destroy_errno(caller: Dom, d: Dom): DomResult =
  if !dom_exists(d) then DOM_ESRCH
  else if !xsm_allows(XSMOP_DOMCTL, caller, d) then DOM_EPERM
  else if d == caller then DOM_EINVAL
  else DOM_OK

/// XEN_DOMCTL_destroydomain, first call: domain_kill pauses d and marks it dying; the release of its
/// resources continues in domain_kill_continue (the hypercall returns -ERESTART and is re-issued as a
/// continuation). Never on oneself (-EINVAL). On a dying domain the call only continues the work,
/// which the model does in domain_kill_continue.
@ref("xen/common/domain.c:domain_kill")
action domctl_destroydomain(caller: Dom, d: Dom) {
  let xen_rc = dom_xen_rc_destroy(caller, d)
  require DOM_LIFECYCLE_OPS && dom_state[caller] == DOM_ALIVE && !hook_dom_lifecycle_owned(d)
  let r = dom_destroy_errno(caller, d)
  require DOM_REFUSALS || (r == DOM_OK && dom_state[d] == DOM_ALIVE)
  dom_result := r
  if r == DOM_OK && dom_state[d] == DOM_ALIVE {
    xsm_granted(XSMOP_DOMCTL, caller, d)
    domain_kill(caller, d)
  }
  assert dom_result == xen_rc, "dom_xen_result: the result is not the one Xen returns in that state"
}

/// domain_kill(d), first part: pause d (domain_kill's own pause reference), mark it dying, start
/// the teardown with the grant mappings, and tell the other subsystems.
@ref("xen/common/domain.c:domain_kill")
proc domain_kill(caller: Dom, d: Dom) {
  domain_pause(caller, d)
  dom_state[d] := DOM_DYING
  dom_teardown[d] := TD_GRANTS
  hook_domain_dying(d)
}

/// One bounded step of domain_kill's continuation: wait until no vcpu of d is running (the
/// vcpu_sleep_sync part of domain_pause), release one resource of the current kind, or move on to the
/// next kind; after memory, the domain is dead. Each call does a bounded amount of work, as Xen's
/// preemptible teardown does (hypercall_preempt_check, -ERESTART).
@ref("xen/common/domain.c:domain_kill")
@ref("xen/common/domain.c:domain_relinquish_resources")
action domain_kill_continue(d: Dom) {
  require dom_state[d] == DOM_DYING
  require forall v: VCpu :: dom_of(v) == d => !dom_vcpu_is_running(v)
  let s = dom_teardown[d]
  if !hook_teardown_done(d, s) {
    hook_teardown_step(d, s)
  } else if s == TD_GRANTS {
    dom_teardown[d] := TD_EVTCHN
  } else if s == TD_EVTCHN {
    dom_teardown[d] := TD_MEMORY
  } else {
    dom_state[d] := DOM_DEAD
  }
}

// ---------------------------------------------------------------------------------------------
// Xen's results (properties.md K42): what each call returns in Xen, in Xen's order of checks, written
// from Xen's source independently of the dom_*_errno defs the actions use; every action takes `xen_rc`
// before it runs and asserts `dom_xen_result` after. do_domctl looks the domain up first
// (rcu_lock_domain_by_id: -ESRCH; a dead domain is gone) and only then asks XSM (xsm_domctl, the dummy
// policy's XSM_PRIV: -EPERM), so an unprivileged caller learns -ESRCH of an unknown domid.
// ---------------------------------------------------------------------------------------------

/// XEN_DOMCTL_pausedomain: -ESRCH, -EPERM, the caller's own domain (-EINVAL, XSA-127), then
/// __domain_pause_by_systemcontroller's -EOVERFLOW past the controller pause limit.
@ref("xen/common/domctl.c:do_domctl")
@ref("xen/common/domain.c:__domain_pause_by_systemcontroller")
def dom_xen_rc_pause(caller: Dom, d: Dom): DomResult =
  if dom_state[d] == DOM_NONE || dom_state[d] == DOM_DEAD then DOM_ESRCH
  else if !is_privileged(caller) then DOM_EPERM
  else if d == caller then DOM_EINVAL
  else if dom_ctrl_pause_count[d] >= CTRL_PAUSE_MAX then DOM_EOVERFLOW
  else DOM_OK

/// XEN_DOMCTL_unpausedomain: -ESRCH, -EPERM, then domain_unpause_by_systemcontroller's -EINVAL when
/// the controller holds no pause.
@ref("xen/common/domctl.c:do_domctl")
@ref("xen/common/domain.c:domain_unpause_by_systemcontroller")
def dom_xen_rc_unpause(caller: Dom, d: Dom): DomResult =
  if dom_state[d] == DOM_NONE || dom_state[d] == DOM_DEAD then DOM_ESRCH
  else if !is_privileged(caller) then DOM_EPERM
  else if dom_ctrl_pause_count[d] == 0 then DOM_EINVAL
  else DOM_OK

/// XEN_DOMCTL_createdomain: no domain to look up; xsm_domctl (-EPERM), then is_free_domid (-EEXIST;
/// the model never reuses a domid).
@ref("xen/common/domctl.c:do_domctl")
def dom_xen_rc_create(caller: Dom, d: Dom): DomResult =
  if !is_privileged(caller) then DOM_EPERM
  else if dom_state[d] != DOM_NONE then DOM_EEXIST
  else DOM_OK

/// XEN_DOMCTL_setvcpucontext: -ESRCH, -EPERM, then the model's abstractions: a dying domain is
/// refused (-ESRCH); the caller's own domain is allowed (Xen says -EINVAL; the model lets the control
/// domain bring its own vcpus up, else one that downs its only vcpu is a deadlock); an online,
/// initialised vcpu is refused (-EINVAL; arch_set_info_guest wants it paused).
@ref("xen/common/domctl.c:do_domctl")
@ref("xen/arch/x86/domain.c:arch_set_info_guest")
def dom_xen_rc_setvcpucontext(caller: Dom, v: VCpu): DomResult =
  if dom_state[dom_of(v)] == DOM_NONE || dom_state[dom_of(v)] == DOM_DEAD then DOM_ESRCH
  else if !is_privileged(caller) then DOM_EPERM
  else if dom_state[dom_of(v)] == DOM_DYING then DOM_ESRCH
  else if v_initialised[v] && !vpf_down[v] then DOM_EINVAL
  else DOM_OK

/// XEN_DOMCTL_resumedomain: -ESRCH, -EPERM, (model: a dying domain is not resumed, -ESRCH), the
/// caller's own domain (-EINVAL).
@ref("xen/common/domctl.c:do_domctl")
def dom_xen_rc_resume(caller: Dom, d: Dom): DomResult =
  if dom_state[d] == DOM_NONE || dom_state[d] == DOM_DEAD then DOM_ESRCH
  else if !is_privileged(caller) then DOM_EPERM
  else if dom_state[d] == DOM_DYING then DOM_ESRCH
  else if d == caller then DOM_EINVAL
  else DOM_OK

/// XEN_DOMCTL_destroydomain: -ESRCH, -EPERM, the caller's own domain (-EINVAL); a dying domain
/// continues its teardown (0).
@ref("xen/common/domctl.c:do_domctl")
def dom_xen_rc_destroy(caller: Dom, d: Dom): DomResult =
  if dom_state[d] == DOM_NONE || dom_state[d] == DOM_DEAD then DOM_ESRCH
  else if !is_privileged(caller) then DOM_EPERM
  else if d == caller then DOM_EINVAL
  else DOM_OK

/// VCPUOP_up: -EINVAL for a vcpu with no context (!v->is_initialised), else 0.
@ref("xen/common/domain.c:do_vcpu_op")
def dom_xen_rc_vcpu_up(v: VCpu): DomResult = if !v_initialised[v] then DOM_EINVAL else DOM_OK

// ---------------------------------------------------------------------------------------------
// Invariants (properties.md group I, and the pause parts of group E)
// ---------------------------------------------------------------------------------------------

/// dom0, the control domain, is never dying or dead (nobody may destroy it: only it could, and a
/// domain never destroys itself).
@ref("xen/common/domain.c:domain_kill")
invariant dom0_alive: forall d: Dom :: is_privileged(d) => dom_state[d] == DOM_ALIVE

/// A domain whose creation is not finished (the toolstack has not yet unpaused it) is paused: a new
/// domain starts paused.
@ref("xen/common/domain.c:domain_create")
invariant new_domain_paused: forall d: Dom ::
  dom_state[d] == DOM_ALIVE && !dom_creation_finished[d] => dom_pause_count[d] >= 1

/// The controller's pauses are part of the domain pause count, and a dying or dead domain holds
/// domain_kill's extra pause, so it never runs again.
@ref("xen/common/domain.c:domain_unpause_by_systemcontroller")
invariant pause_count_covers: forall d: Dom ::
  dom_pause_count[d] >= dom_ctrl_pause_count[d]
    + (if dom_state[d] == DOM_DYING || dom_state[d] == DOM_DEAD then 1 else 0)

/// The controller pause count never exceeds its limit (255 in Xen).
@ref("xen/common/domain.c:__domain_pause_by_systemcontroller")
invariant ctrl_pause_bounded: forall d: Dom :: dom_ctrl_pause_count[d] <= CTRL_PAUSE_MAX

/// A domid that was never created, or a dead domain, has no runnable vcpu.
@ref("xen/common/domain.c:domain_kill")
invariant no_runnable_vcpu_of_gone_domain: forall v: VCpu ::
  dom_state[dom_of(v)] != DOM_ALIVE => !vcpu_runnable(v)

/// A shut-down domain has a recorded reason and all its vcpus are paused for shutdown.
@ref("xen/common/domain.c:__domain_finalise_shutdown")
invariant shutdown_consistent: forall v: VCpu ::
  dom_is_shut_down[dom_of(v)] => dom_shutdown_code[dom_of(v)] != none && v_paused_for_shutdown[v]

/// A vcpu that is online (not down) has a context.
@ref("xen/common/domain.c:do_vcpu_op")
invariant online_initialised: forall v: VCpu :: !vpf_down[v] => v_initialised[v]

// ---------------------------------------------------------------------------------------------
// Liveness (properties.md I38)
// ---------------------------------------------------------------------------------------------

/// The fairness of the teardown: XEN_DOMCTL_destroydomain returns -ERESTART and the toolstack's
/// hypercall continuation re-issues it (libxl retries until it succeeds), so a continuation step that
/// stays possible is eventually taken. Weak, per domain.
fairness weak domain_kill_continue

/// I38: a dying domain eventually becomes dead. Each continuation step releases one resource or moves
/// on to the next kind (grant mappings, event channels, memory), and the toolstack keeps re-issuing it.
@ref("xen/common/domain.c:domain_kill")
@ref("xen/common/domain.c:domain_relinquish_resources")
temporal dying_becomes_dead: forall d: Dom :: dom_state[d] == DOM_DYING ~> dom_state[d] == DOM_DEAD

// Instances (sizes measured with `xenmodel check`, the explicit engine, 2026-11-27).
/// 2 domains x 1 vcpu, 2 pcpus, one controller pause, refusals not explored: 202 states, depth 11.
instance small { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, DOM_REFUSALS = false }
/// 2 domains, two controller pauses, every refusal explored: 1,408 states, depth 13.
instance default { NDOM = 2, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 2 }
/// 3 domains with 2 vcpus each, all shutdown reasons (for benchmarks; not measured).
instance large { NDOM = 3, VPD = 2, NPCPU = 2, CTRL_PAUSE_MAX = 3, DOM_ALL_SHUTDOWN_CODES = true }
/// Coverage (tests/test_spec_coverage.py): two vcpus per domain (a vcpu brought up or down by its
/// sibling), with and without refusals; with `small` and `default` they take every branch of this file
/// that domain.xm alone can reach (docs/model.md, "Coverage").
instance cover { NDOM = 2, VPD = 2, NPCPU = 1, CTRL_PAUSE_MAX = 1 }
instance cover_quiet { NDOM = 2, VPD = 2, NPCPU = 1, CTRL_PAUSE_MAX = 1, DOM_REFUSALS = false }
