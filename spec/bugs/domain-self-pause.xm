/// Bug variant, modelled on XSA-127 (a domain could pause itself through XEN_DOMCTL_pausedomain and
/// never be unpaused: the pause waits for its own vcpu to stop, or leaves it paused forever).
/// The one change: domctl_pausedomain no longer refuses d == caller with -EINVAL.
/// Breaks: the assert "a domain never pauses itself (XSA-127)" in domain_pause (properties.md E24).
/// Expected shortest trace: 1 step (dom0 pauses dom0).
model domain_self_pause

include "../domain.xm"

/// XEN_DOMCTL_pausedomain without the self check.
@ref("xen/common/domctl.c:do_domctl")
override action domctl_pausedomain(caller: Dom, d: Dom) {
  require dom_state[caller] == DOM_ALIVE
  if !is_privileged(caller) {
    dom_result := DOM_EPERM
  } else if !dom_exists(d) {
    dom_result := DOM_ESRCH
  } else if dom_ctrl_pause_count[d] == CTRL_PAUSE_MAX {
    dom_result := DOM_EOVERFLOW
  } else {
    dom_ctrl_pause_count[d] := dom_ctrl_pause_count[d] + 1
    domain_pause(caller, d)
    dom_result := DOM_OK
  }
}
