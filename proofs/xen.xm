/// The lemmas of the whole Xen model (spec/xen.xm): every subsystem's lemma file, each lemma declared
/// once, in the file of the subsystem it is about. The whole-model proof:
///   xenmodel prove spec/xen.xm --lemmas proofs/xen.xm
/// Files included by several of these (proofs/domain.xm, proofs/sched.xm, proofs/memory.xm,
/// proofs/evtchn.xm) count once. The lemmas stated here are the composition's own: facts that hold
/// only once the subsystems are wired together (spec/xen.xm's hooks).
model xen_proofs

include "../spec/xen.xm"
include "domain.xm"
include "sched.xm"
include "ctxsw.xm"
include "evtchn.xm"
include "irq.xm"
include "memory.xm"
include "grant.xm"
include "migration.xm"
