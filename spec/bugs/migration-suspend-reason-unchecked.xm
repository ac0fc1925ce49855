/// Bug variant: the save side takes any shutdown for the suspend it asked for. suspend_domain
/// (xg_sr_save.c) goes on only when the guest is shut down with reason SHUTDOWN_suspend and fails
/// with "Domain has not been suspended" otherwise; without the reason test a guest that crashed or
/// powered off while the toolstack waited is sent to the destination as if suspended.
/// The one change: mig_suspend_confirm does not look at the shutdown reason.
/// Breaks: mig_xen_result (properties.md K42): the save side says "not suspended".
/// Expected shortest trace: 5 steps (start, send both pages, stop-and-copy, the guest crashes), then
/// the failing step (the crash is confirmed as a suspend).
model migration_suspend_reason_unchecked

include "../migration.xm"

/// suspend_domain without the reason test.
@ref("tools/libs/guest/xg_sr_save.c:suspend_domain")
override action mig_suspend_confirm() {
  let xen_rc = mig_xen_rc_suspend_confirm()
  require mig_phase == MIG_SUSPENDING && mig_src_is_shut_down()
  mig_phase := MIG_SUSPENDED
  mig_result := MIG_OK
  assert mig_result == xen_rc, "mig_xen_result: the result is not the one Xen's save side returns in that state"
}
