/// Bug variant: a guest store that log-dirty mode does not see.
///
/// Modelled on a class of real bugs rather than one advisory: writes that reach guest memory
/// without passing paging_mark_dirty (for example dirty bits still sitting in the hardware's
/// page-modification log when the toolstack takes the bitmap, which is why paging_log_dirty_op
/// flushes those caches first; or emulated writes that forgot to mark the page).
/// The one change: mig_guest_write stores the value but does not call mig_mark_dirty.
/// Breaks: mig_clean_pages_equal (a page already sent changes on the source and is never
/// resent). Shortest trace: mig_start, mig_send_page, mig_guest_write (3 steps).
model migration_write_not_dirty

include "../migration.xm"

/// The guest's store, with the dirty marking missing (the bug).
@ref("xen/arch/x86/mm/paging.c:paging_mark_dirty")
override action mig_guest_write(v: MigVcpu, p: MigPage) {
  require mig_src_vcpu_runs(v)
  mig_src_mem[p] := mig_next_val(mig_src_mem[p])
}
