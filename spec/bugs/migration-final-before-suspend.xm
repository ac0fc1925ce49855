/// Bug variant: the final round starts before the suspend is confirmed.
///
/// Xen's save side calls the suspend callback, re-reads the domain info and refuses to go on
/// unless the domain is shut down with reason suspend ("Domain has not been suspended",
/// suspend_domain and save in xg_sr_save.c). This variant takes the final clean as soon as the
/// suspend has been requested: the guest still runs (or may have crashed instead), and what it
/// writes after the final clean never reaches the destination.
/// The one change: mig_final_clean accepts MIG_SUSPENDING as well as MIG_SUSPENDED.
/// Breaks: mig_final_after_suspend at once (and mig_activation_exact later on the same path).
/// Shortest trace: mig_start, mig_send_page x2, mig_stop_and_copy, mig_final_clean (5 steps).
model migration_final_before_suspend

include "../migration.xm"

/// The final clean without waiting for the confirmed suspend (the bug).
@ref("tools/libs/guest/xg_sr_save.c:suspend_and_send_dirty")
override action mig_final_clean() {
  require mig_phase == MIG_SUSPENDING || mig_phase == MIG_SUSPENDED
  foreach p: MigPage {
    mig_tosend[p] := mig_tosend[p] || mig_dirty[p]
    mig_dirty[p] := false
  }
  mig_phase := MIG_FINAL
}
