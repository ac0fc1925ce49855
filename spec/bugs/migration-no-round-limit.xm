/// Bug variant: a precopy policy without the round limit. Xen's simple_precopy_policy stops
/// after SPP_MAX_ITERATIONS rounds because of the writable working set (Clark et al., NSDI
/// 2005): pages rewritten faster than they are sent keep the dirty count above any threshold,
/// so a policy that only looks at the dirty count may never stop.
/// The one change: mig_next_round no longer requires mig_round < MIG_MAX_ROUNDS.
/// Breaks: mig_precopy_bounded (bounded liveness of precopy). Shortest trace (limit 2,
/// threshold 1): mig_start, mig_send_page x2, mig_guest_write, mig_next_round,
/// mig_send_page, mig_guest_write, mig_next_round (8 steps).
model migration_no_round_limit

include "../migration.xm"

/// Next live round, with the round limit forgotten (the bug).
@ref("tools/libs/guest/xg_sr_save.c:simple_precopy_policy")
override action mig_next_round() {
  require mig_phase == MIG_PRECOPY && mig_batch_empty()
  require mig_dirty_count() >= MIG_DIRTY_THRESHOLD
  foreach p: MigPage {
    mig_tosend[p] := mig_dirty[p]
    mig_dirty[p] := false
  }
  mig_round := mig_round + 1
}
