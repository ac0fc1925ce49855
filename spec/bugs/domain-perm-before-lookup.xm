/// Bug variant: XEN_DOMCTL_pausedomain asks the policy before it looks the domain up. do_domctl
/// looks up the target first (rcu_lock_domain_by_id: -ESRCH) and only then calls xsm_domctl
/// (-EPERM); checked the other way round, an unprivileged caller naming a domid that is not in use
/// gets -EPERM where Xen says -ESRCH (the order the model itself had before issue 21).
/// The one change: dom_pause_errno tests the caller's privilege before the domain's existence.
/// Breaks: dom_xen_result (properties.md K42).
/// Expected shortest trace: 1 step (dom0 creates dom1), then the failing step: dom1 pauses dom2,
/// which does not exist yet. Three domains, with the refusals explored.
model domain_perm_before_lookup

include "../domain.xm"

/// The errno of XEN_DOMCTL_pausedomain, privilege first.
@ref("xen/common/domctl.c:do_domctl")
override def dom_pause_errno(caller: Dom, d: Dom): DomResult =
  if !is_privileged(caller) then DOM_EPERM
  else if !dom_exists(d) then DOM_ESRCH
  else if d == caller then DOM_EINVAL
  else if dom_ctrl_pause_count[d] == CTRL_PAUSE_MAX then DOM_EOVERFLOW
  else DOM_OK

/// Three domains (a guest and a domid not in use), with the refusals explored.
instance small { NDOM = 3, VPD = 1, NPCPU = 2, CTRL_PAUSE_MAX = 1, DOM_REFUSALS = true }
