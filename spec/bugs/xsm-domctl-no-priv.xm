/// Bug variant: XEN_DOMCTL_pausedomain without do_domctl's XSM check (xsm_domctl, XSM_PRIV under the
/// dummy policy): any guest pauses any other domain, the control domain included. Domctls were
/// written for the fully privileged dom0 only (XSA-77, "Disaggregated domain management security
/// status"); an operation meant for dom0 reached by unprivileged guests is the class of XSA-87
/// (PHYSDEVOP_{prepare,release}_msix exposed to unprivileged guests).
/// The one change: dom_pause_errno no longer asks the policy.
/// Breaks: the step property xsm_policy (properties.md K43): a domctl succeeded for a caller the
/// policy refuses. Expected shortest trace: 1 step (dom0 creates dom1; dom1 pauses dom0).
model xsm_domctl_no_priv

include "../domain.xm"

/// The errno of XEN_DOMCTL_pausedomain, without the XSM test.
@ref("xen/common/domctl.c:do_domctl")
override def dom_pause_errno(caller: Dom, d: Dom): DomResult =
  if !dom_exists(d) then DOM_ESRCH
  else if d == caller then DOM_EINVAL
  else if dom_ctrl_pause_count[d] == CTRL_PAUSE_MAX then DOM_EOVERFLOW
  else DOM_OK
