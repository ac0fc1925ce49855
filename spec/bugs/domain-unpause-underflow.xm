/// Bug variant, modelled on the controller pause count underflow that domain_unpause_by_systemcontroller
/// guards against (new < 0 -> -EINVAL): an unpause without a matching pause.
/// The one change: XEN_DOMCTL_unpausedomain no longer refuses when the controller pause count is 0.
/// Breaks: "pause counts never go negative" (properties.md E24): the controller pause count leaves its
/// range int[0..CTRL_PAUSE_MAX] (a model error, overflow) and domain_unpause's assert.
/// Expected shortest trace: 1 step (dom0 unpauses dom0, whose counts are 0).
model domain_unpause_underflow

include "../domain.xm"

/// XEN_DOMCTL_unpausedomain without the count check.
@ref("xen/common/domain.c:domain_unpause_by_systemcontroller")
override action domctl_unpausedomain(caller: Dom, d: Dom) {
  require dom_state[caller] == DOM_ALIVE
  if !is_privileged(caller) {
    dom_result := DOM_EPERM
  } else if !dom_exists(d) {
    dom_result := DOM_ESRCH
  } else {
    dom_ctrl_pause_count[d] := dom_ctrl_pause_count[d] - 1
    if dom_ctrl_pause_count[d] == 0 {
      dom_creation_finished[d] := true
    }
    domain_unpause(d)
    dom_result := DOM_OK
  }
}
