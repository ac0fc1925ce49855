/// Bug variant, modelled on __runq_insert's loop condition (`if ( svc->pri > iter_svc->pri )
/// break;`): with `>=` instead of `>` a waking vcpu is put in front of the vcpus of its own
/// priority that waited longer, so a steady stream of wake-ups starves them. The queue stays
/// sorted by priority (runq_sorted holds); only the order within a priority is wrong.
/// The one change: runq_pos counts only the queued vcpus of strictly higher priority.
/// Breaks: runq_fifo (properties.md E21).
model sched_insert_lifo

include "../sched.xm"

/// Where the wrong __runq_insert puts v: before every queued vcpu of its own priority.
@ref("xen/common/sched/credit.c:__runq_insert")
override def runq_pos(p: PCpu, v: VCpu): int =
  count j: int[0..NDOM * VPD - 1] :: if j < len(runq[p]) then pri[runq[p][j]] > pri[v] else false
