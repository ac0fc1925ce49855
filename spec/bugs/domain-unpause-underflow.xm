/// Bug variant, modelled on the controller pause count underflow that domain_unpause_by_systemcontroller
/// guards against (new < 0 -> -EINVAL): an unpause without a matching pause.
/// The one change: XEN_DOMCTL_unpausedomain no longer refuses when the controller pause count is 0.
/// Breaks: "pause counts never go negative" (properties.md E24): the controller pause count leaves its
/// range int[0..CTRL_PAUSE_MAX] (a model error, overflow); domain_unpause's assert guards the other count.
/// Expected shortest trace: 1 step (dom0 unpauses dom0, whose counts are 0).
model domain_unpause_underflow

include "../domain.xm"

/// The errno of XEN_DOMCTL_unpausedomain, without the count check.
@ref("xen/common/domain.c:domain_unpause_by_systemcontroller")
override def dom_unpause_errno(caller: Dom, d: Dom): DomResult =
  if !is_privileged(caller) then DOM_EPERM
  else if !dom_exists(d) then DOM_ESRCH
  else DOM_OK
