/// Bug variant: a grant copy into the migrating guest's page that is not marked dirty.
/// Xen's gnttab_copy_buf calls gnttab_mark_dirty(dest->domain, dest->mfn) right after the
/// memcpy. Where an architecture has no log-dirty support, gnttab_mark_dirty is a stub that
/// only warns "not implemented yet" (Arm; the old ia64 port): a port that enabled live
/// migration without filling it in would have exactly this bug.
/// The one change: mig_gnt_copy_in writes the page but does not call mig_mark_dirty.
/// Breaks: mig_clean_pages_equal. Shortest trace: mig_start, mig_send_page,
/// mig_gnt_copy_in (3 steps).
model migration_grant_copy_not_dirty

include "../migration.xm"

/// GNTTABOP_copy into the guest without the dirty marking (the bug).
@ref("xen/common/grant_table.c:gnttab_copy_buf")
override action mig_gnt_copy_in(p: MigPage) {
  require mig_src_life == MIG_ALIVE && mig_fe_connected
  mig_src_mem[p] := mig_next_val(mig_src_mem[p])
}
