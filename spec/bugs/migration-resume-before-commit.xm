/// Bug variant: split brain. The receiver unpauses its copy as soon as it has restored it,
/// without waiting for the sender's "domain is yours, you are cleared to unpause" (xl's
/// migrate_receive waits for exactly that message; the handshake exists so that a sender that
/// fails before the commit can still resume the source).
/// The one change: mig_dst_resume requires only a restored destination, not the commit.
/// Breaks: mig_one_copy_runs. Shortest trace (2 pages, 1 vcpu): mig_start, mig_send_page x2,
/// mig_stop_and_copy, mig_guest_suspend, mig_suspend_confirm, mig_final_clean,
/// mig_send_vcpu_state, mig_dst_restored, mig_abort, mig_dst_resume (11 steps): the sender
/// aborted and resumed the source, and the destination copy runs as well. At the same depth the
/// bug also breaks mig_clean_pages_equal (... mig_dst_restored, mig_dst_resume,
/// mig_dst_guest_write: the unpaused copy diverges while the save still streams); BMC reports
/// that one, breadth-first search reports mig_one_copy_runs.
model migration_resume_before_commit

include "../migration.xm"

/// The receiver unpauses before the commit (the bug).
@ref("tools/xl/xl_migrate.c:migrate_receive")
override action mig_dst_resume() {
  require mig_dst == MIG_DST_READY
  mig_dst := MIG_DST_RUNNING
  mig_activated := true
  foreach p: MigPage { mig_act_mem[p] := mig_dst_mem[p] }
  foreach v: MigVcpu { mig_act_regs[v] := mig_dst_regs[v] }
}
