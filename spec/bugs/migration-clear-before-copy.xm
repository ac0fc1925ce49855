/// Bug variant: the round clears the dirty bitmap before copying it, instead of Xen's atomic
/// fetch-and-clear (XEN_DOMCTL_SHADOW_OP_CLEAN copies the bitmap out and clears it under the
/// paging lock; a toolstack that issued a separate clear and then a peek, or that cleared and
/// read in the wrong order, would lose every page dirtied in the previous round).
/// The one change: in mig_next_round the two statements are swapped, so the batch is taken
/// from the bitmap after it was cleared, i.e. empty.
/// Breaks: mig_clean_pages_equal (the pages dirtied during round 1 are neither dirty nor in
/// the batch but differ on the two hosts). Shortest trace: mig_start, mig_send_page (both
/// pages), mig_guest_write, mig_next_round (5 steps with 2 pages).
model migration_clear_before_copy

include "../migration.xm"

/// Next live round with clear-then-copy (the bug).
@ref("tools/libs/guest/xg_sr_save.c:send_memory_live")
override action mig_next_round() {
  require mig_phase == MIG_PRECOPY && mig_batch_empty()
  require mig_round < MIG_MAX_ROUNDS && mig_dirty_count() >= MIG_DIRTY_THRESHOLD
  foreach p: MigPage {
    mig_dirty[p] := false
    mig_tosend[p] := mig_dirty[p]
  }
  mig_round := mig_round + 1
}
