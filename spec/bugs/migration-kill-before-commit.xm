/// Bug variant: the source is destroyed as soon as the stream has been sent, before the
/// destination has confirmed and been told to go. If the receiver then fails, the guest is
/// lost: the sender can no longer resume it (xl only destroys the source after the commit,
/// and leaves it paused and renamed when it cannot tell whether the receiver took over).
/// The one change: mig_src_kill also runs in phase MIG_SENT.
/// Breaks: mig_destroy_after_commit, and at the same step mig_guest_not_lost. Shortest trace: mig_start, mig_send_page x2,
/// mig_stop_and_copy, mig_guest_suspend, mig_suspend_confirm, mig_final_clean,
/// mig_send_vcpu_state, mig_src_kill (9 steps).
model migration_kill_before_commit

include "../migration.xm"

/// domain_kill of the source before the commit (the bug).
@ref("xen/common/domain.c:domain_kill")
override action mig_src_kill() {
  require (mig_phase == MIG_SENT || mig_phase == MIG_COMMITTED) && mig_src_life == MIG_ALIVE
  mig_src_life := MIG_DYING
  mig_logdirty := false
  foreach p: MigPage {
    mig_dirty[p] := false
    mig_tosend[p] := false
  }
}
