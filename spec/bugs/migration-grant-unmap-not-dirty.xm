/// Bug variant: unmapping a writable grant mapping does not mark the page dirty.
/// A backend's writes through its own mapping are invisible to the guest's log-dirty tracking;
/// Xen catches them in unmap_common ("If just unmapped a writable mapping, mark as dirtied").
/// The one change: mig_gnt_unmap drops the mapping without calling mig_mark_dirty.
/// Breaks: mig_clean_pages_equal. Shortest trace: mig_gnt_map, mig_start, mig_send_page,
/// mig_gnt_write, mig_gnt_unmap (5 steps).
model migration_grant_unmap_not_dirty

include "../migration.xm"

/// Unmap of a writable grant mapping without the dirty marking (the bug).
@ref("xen/common/grant_table.c:unmap_common")
override action mig_gnt_unmap(p: MigPage) {
  require mig_gnt_mapped[p]
  mig_gnt_mapped[p] := false
}
