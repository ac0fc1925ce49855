/// Bug variant, modelled on XSA-127 (a domain could pause itself through XEN_DOMCTL_pausedomain and
/// never be unpaused: the pause waits for its own vcpu to stop, or leaves it paused forever).
/// The one change: the pausedomain checks no longer refuse d == caller with -EINVAL.
/// Breaks: the assert "a domain never pauses itself (XSA-127)" in domain_pause (properties.md E24).
/// Expected shortest trace: 1 step (dom0 pauses dom0).
model domain_self_pause

include "../domain.xm"

/// The errno of XEN_DOMCTL_pausedomain, without the self check.
@ref("xen/common/domctl.c:do_domctl")
override def dom_pause_errno(caller: Dom, d: Dom): DomResult =
  if !is_privileged(caller) then DOM_EPERM
  else if !dom_exists(d) then DOM_ESRCH
  else if dom_ctrl_pause_count[d] == CTRL_PAUSE_MAX then DOM_EOVERFLOW
  else DOM_OK
