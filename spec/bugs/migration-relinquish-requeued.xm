/// Bug variant, modelled on relinquish_memory's preemption path: when dropping a page's references
/// is preempted (-ERESTART), the page goes back on the domain's page list and the continuation
/// retries it. If a page's reference is never actually dropped (a type reference the teardown
/// cannot release, the class of the circular page-table references relinquish_memory breaks on
/// purpose), the same page is re-queued at every continuation and the domain never becomes dead.
/// The one change: mig_src_relinquish re-queues the page instead of releasing it.
/// Breaks: mig_src_dying_becomes_dead (properties.md I38), as a lasso: the dying source retries the
/// same page forever.
model migration_relinquish_requeued

include "../migration.xm"

/// One teardown step that puts the page back on the list without releasing it (the bug).
@ref("xen/arch/x86/domain.c:relinquish_memory")
override action mig_src_relinquish(p: MigPage) {
  require mig_src_life == MIG_DYING && mig_src_owned[p]
  mig_src_mem[p] := 0
}
