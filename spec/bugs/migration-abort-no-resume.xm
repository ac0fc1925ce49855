/// Bug variant: an aborted migration leaves the source suspended. After a failure before the
/// commit, xl's migrate_domain calls libxl_domain_resume (suspend-cancel, Xen's domain_resume)
/// so the guest runs again on the source; this variant forgets it, and the guest is left
/// shut down on the source with no copy anywhere.
/// The one change: mig_abort_cleanup does not call mig_src_resume.
/// Breaks: mig_abort_leaves_source_running. Shortest trace: mig_start, mig_send_page x2,
/// mig_stop_and_copy, mig_guest_suspend, mig_abort (6 steps).
model migration_abort_no_resume

include "../migration.xm"

/// Abort cleanup without the resume of the source (the bug).
@ref("tools/xl/xl_migrate.c:migrate_domain")
override proc mig_abort_cleanup(res: MigResult) {
  mig_logdirty := false
  foreach p: MigPage {
    mig_dirty[p] := false
    mig_tosend[p] := false
    mig_susp_mem[p] := 0
  }
  foreach v: MigVcpu { mig_susp_regs[v] := 0 }
  mig_round := 0
  mig_suspend_req := false
  mig_phase := MIG_IDLE
  mig_result := res
}
