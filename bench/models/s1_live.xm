/// S1 with its liveness property (bench/bench_liveness.py): every runnable vcpu eventually runs,
/// under weak fairness of dispatch and preempt on every pcpu (TLA+: WF_vars(Dispatch(p)) and
/// WF_vars(Preempt(p)) for each p). Why it holds: a queued vcpu moves one place towards the head at
/// every preempt of its pcpu, a vcpu stolen to an idle pcpu's empty queue is dispatched there, and an
/// idle pcpu with a queue dispatches.
model s1_live

include "s1.xm"

fairness weak dispatch, preempt

/// Every runnable vcpu eventually runs.
temporal runs: forall v: VCpu :: st[v] == runnable ~> st[v] == running
