/// S1: the small Xen-like scheduler every tool is measured on (docs/performance.md; its peers in
/// bench/peers/ model the same semantics in SPIN, TLA+, Z3 and plain Python).
/// D domains of V vcpus each (N = D*V vcpus; vcpu i is in domain i / V, its home pcpu is i % P),
/// P pcpus, each with a current vcpu (or none: idle) and a FIFO run queue of capacity N.
model s1

const D: int[1..4] = 2
const V: int[1..4] = 2
const P: int[1..4] = 2
const N: int = D * V

sort VCpu = vcpu[N]
sort PCpu = pcpu[P]
enum RunState { runnable, running, blocked }

var st: VCpu -> RunState
var pend: VCpu -> bool
var curr: PCpu -> VCpu?
var rq: PCpu -> seq<VCpu, N>

def home(v: VCpu): PCpu = PCpu(ord(v) % P)
def dom(v: VCpu): int = ord(v) / V

init {
  foreach v: VCpu { rq[home(v)] := rq[home(v)] ++ [v] }
}

/// 1. An idle pcpu runs the head of its queue.
@ref("xen/common/sched/core.c:schedule")
action dispatch(p: PCpu) {
  require curr[p] == none && len(rq[p]) > 0
  let v = head(rq[p])
  rq[p] := tail(rq[p])
  curr[p] := v
  st[v] := running
}

/// 2. The running vcpu goes to the tail of the queue; the head runs.
@ref("xen/common/sched/core.c:schedule")
action preempt(p: PCpu) {
  require curr[p] != none && len(rq[p]) > 0
  let v = get(curr[p])
  let w = head(rq[p])
  st[v] := runnable
  st[w] := running
  curr[p] := w
  rq[p] := tail(rq[p]) ++ [v]
}

/// 3. The running vcpu with nothing pending blocks; the pcpu goes idle.
@ref("xen/common/sched/core.c:vcpu_block")
action block(p: PCpu) {
  require curr[p] != none
  let v = get(curr[p])
  require !pend[v]
  st[v] := blocked
  curr[p] := none
}

/// 4. A blocked vcpu with an event pending wakes up at the tail of its home queue.
@ref("xen/common/sched/core.c:vcpu_wake")
action wake(v: VCpu) {
  require st[v] == blocked && pend[v]
  pend[v] := false
  st[v] := runnable
  rq[home(v)] := rq[home(v)] ++ [v]
}

/// 5. A running vcpu sends an event to a vcpu of another domain.
@ref("xen/common/event_channel.c:evtchn_send")
action send(v: VCpu, w: VCpu) {
  require st[v] == running && dom(w) != dom(v) && !pend[w]
  pend[w] := true
}

/// 6. An idle pcpu with an empty queue steals the tail of a queue holding at least two.
@ref("xen/common/sched/credit.c:csched_load_balance")
action steal(p: PCpu, q: PCpu) {
  require p != q && curr[p] == none && len(rq[p]) == 0 && len(rq[q]) >= 2
  let t = last(rq[q])
  rq[p] := rq[p] ++ [t]
  rq[q] := remove_at(rq[q], len(rq[q]) - 1)
}

/// 7. The running vcpu consumes its pending event.
action ack(p: PCpu) {
  require curr[p] != none && pend[get(curr[p])]
  pend[get(curr[p])] := false
}

def ccount(v: VCpu): int = count p: PCpu :: curr[p] == v
def qcount(v: VCpu): int = sum p: PCpu :: count(rq[p], v)

/// I1: no vcpu is current on two pcpus.
invariant I1: forall v: VCpu :: ccount(v) <= 1
/// I2: a running vcpu is current on exactly one pcpu and in no queue.
invariant I2: forall v: VCpu :: st[v] == running => ccount(v) == 1 && qcount(v) == 0
/// I3: a runnable vcpu is in exactly one queue, exactly once.
invariant I3: forall v: VCpu :: st[v] == runnable => qcount(v) == 1
/// I4: a blocked vcpu is in no queue and current nowhere.
invariant I4: forall v: VCpu :: st[v] == blocked => qcount(v) == 0 && ccount(v) == 0
/// I5: queued + running + blocked = N.
invariant I5: (sum p: PCpu :: len(rq[p])) + (count v: VCpu :: st[v] == running)
              + (count v: VCpu :: st[v] == blocked) == N
