/// Bug variant: the sender commits ("domain is yours, you are cleared to unpause") as soon as it
/// has sent the END record, without waiting for the receiver's "domain received, ready to
/// unpause" (xl's migrate_domain reads that message before it sends "go"; a receiver that fails
/// while restoring then leaves no copy of the guest anywhere once the source is destroyed).
/// The one change: mig_commit no longer requires mig_dst == MIG_DST_READY.
/// Breaks: mig_guest_not_lost (H35) at the commit. Shortest trace: mig_start, mig_send_page x2,
/// mig_stop_and_copy, mig_guest_suspend, mig_suspend_confirm, mig_final_clean,
/// mig_send_vcpu_state, mig_commit (9 steps). Before the property it was only a deadlock later.
model migration_commit_before_ready

include "../migration.xm"

/// The commit without the receiver's "ready" (the bug).
@ref("tools/xl/xl_migrate.c:migrate_domain")
override action mig_commit() {
  require mig_phase == MIG_SENT
  mig_phase := MIG_COMMITTED
}
