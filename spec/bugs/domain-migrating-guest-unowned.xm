/// Bug variant of the composition (spec/xen.xm): the toolstack's own lifecycle calls are not kept
/// off the migrating guest, as if xl's migrate did not hold the domain (libxl's per-domain lock):
/// a concurrent `xl destroy`, `xl shutdown` or `xl resume` acts on a guest whose shutdown, resume
/// and destruction migration.xm drives through domain.xm's procs.
/// The one change: hook_dom_lifecycle_owned is false for every domain.
/// Breaks: mig_destroy_after_commit (H35 / I37): domctl_destroydomain kills the migrating guest
/// before any commit (1 step; also mig_abort_leaves_source_running and mig_guest_not_lost).
model domain_migrating_guest_unowned

include "../xen.xm"

/// Nothing keeps the toolstack's own calls off the migrating guest (the bug).
@ref("tools/xl/xl_migrate.c:migrate_domain")
override def hook_dom_lifecycle_owned(d: Dom): bool = false
