/// Bug variant, modelled on send_memory_live's bookkeeping for the precopy policy: after each live
/// round it records `policy_stats->iteration = x`, and simple_precopy_policy stops after
/// SPP_MAX_ITERATIONS rounds. If the round is not recorded, the policy sees iteration 0 forever and
/// only the dirty count can stop precopy: a guest that dirties pages as fast as they are sent (the
/// writable working set, Clark et al., NSDI 2005) keeps the save in precopy for ever.
/// The round counter never exceeds its limit, so the bounded form mig_precopy_bounded still holds.
/// The one change: mig_next_round does not count the round.
/// Breaks: mig_precopy_terminates (properties.md H36), as a lasso: send the batch, the guest writes a
/// page, the next round fetches it, again and again.
model migration_iteration_not_counted

include "../migration.xm"

/// The next live round, without recording it for the policy (the bug).
@ref("tools/libs/guest/xg_sr_save.c:send_memory_live")
override action mig_next_round() {
  require mig_phase == MIG_PRECOPY && mig_batch_empty()
  require mig_round < MIG_MAX_ROUNDS && mig_dirty_count() >= MIG_DIRTY_THRESHOLD
  foreach p: MigPage {
    mig_tosend[p] := mig_dirty[p]
    mig_dirty[p] := false
  }
}
