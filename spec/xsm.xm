/// XSM's dummy policy as data: which privilege class (xsm_default_t) each privileged operation of
/// the model asks for, and xsm_default_action deciding a class for a caller and a target. The
/// subsystems that do privileged operations include this file, route their privilege checks through
/// `xsm_allows` (each call citing the Xen function that makes it), and call `xsm_granted` where the
/// operation succeeds: the step property `xsm_policy` (properties.md K43) then fails for any success
/// the policy would have refused, whatever the check at the call site says (a missing check, a check
/// of the wrong class, a check on the wrong domain).
///
/// Abstractions:
/// - Only the hooks the model's operations reach are listed; XSM_XS_PRIV (the xenstore domain) and
///   XSM_OTHER hooks other than xsm_domctl are left out (no operation of the model uses them).
/// - Device-model domains (src->target, XEN_DOMCTL_set_target) are a def that says "none": the model
///   has no stub domains, so XSM_DM_PRIV behaves as XSM_PRIV. A variant or instance that adds device
///   models overrides `xsm_is_device_model_of`.
model xsm

include "common.xm"

/// xsm_default_t: the default privilege classes of the dummy policy.
@ref("xen/include/xsm/xsm.h:xsm_default")
enum XsmAction { XSM_HOOK, XSM_DM_PRIV, XSM_TARGET, XSM_PRIV }

/// The privileged operations of the model, each named after the XSM hook Xen calls for it.
enum XsmOp { XSMOP_DOMCTL, XSMOP_EVTCHN_UNBOUND, XSMOP_EVTCHN_INTERDOMAIN, XSMOP_EVTCHN_STATUS,
             XSMOP_EVTCHN_RESET, XSMOP_MAP_DOMAIN_PIRQ, XSMOP_IRQ_PERMISSION }

/// The policy table: each hook's XSM_ASSERT_ACTION in dummy.h. xsm_domctl is XSM_OTHER and decides
/// per command: XSM_PRIV for every domctl the model has (pause, unpause, create, setvcpucontext,
/// resume, destroy, set_max_evtchn, irq_permission); the XSM_DM_PRIV ones (memory_mapping,
/// ioport_mapping, bind_pt_irq) are not modelled.
@ref("xen/include/xsm/dummy.h:xsm_domctl")
@ref("xen/include/xsm/dummy.h:xsm_evtchn_unbound")
@ref("xen/include/xsm/dummy.h:xsm_evtchn_interdomain")
@ref("xen/include/xsm/dummy.h:xsm_evtchn_status")
@ref("xen/include/xsm/dummy.h:xsm_evtchn_reset")
@ref("xen/include/xsm/dummy.h:xsm_map_domain_pirq")
@ref("xen/include/xsm/dummy.h:xsm_irq_permission")
def xsm_op_action(op: XsmOp): XsmAction =
    if op == XSMOP_DOMCTL then XSM_PRIV
    else if op == XSMOP_EVTCHN_UNBOUND then XSM_TARGET
    else if op == XSMOP_EVTCHN_INTERDOMAIN then XSM_HOOK
    else if op == XSMOP_EVTCHN_STATUS then XSM_TARGET
    else if op == XSMOP_EVTCHN_RESET then XSM_TARGET
    else if op == XSMOP_MAP_DOMAIN_PIRQ then XSM_DM_PRIV
    else XSM_HOOK

/// src->target == target: src is the device model (stub domain) of target. None in the model.
@ref("xen/common/domctl.c:do_domctl")
def xsm_is_device_model_of(src: Dom, target: Dom): bool = false

/// xsm_default_action: XSM_HOOK allows everyone; XSM_TARGET allows the target itself, then falls
/// through to XSM_DM_PRIV (the target's device model), then to XSM_PRIV (the control domain).
@ref("xen/include/xsm/dummy.h:xsm_default_action")
def xsm_default_action(a: XsmAction, src: Dom, target: Dom): bool =
    a == XSM_HOOK
    || (a == XSM_TARGET && src == target)
    || ((a == XSM_TARGET || a == XSM_DM_PRIV) && xsm_is_device_model_of(src, target))
    || is_privileged(src)

/// Does the dummy policy let src do op on target?
def xsm_allows(op: XsmOp, src: Dom, target: Dom): bool = xsm_default_action(xsm_op_action(op), src, target)

/// Step property xsm_policy (K43): called where a privileged operation succeeds, with the operation,
/// its caller and its target; fails if the policy refuses that triple.
proc xsm_granted(op: XsmOp, src: Dom, target: Dom) {
    assert xsm_allows(op, src, target), "xsm_policy: a privileged operation succeeded that the XSM policy refuses"
}
