/// S1 with its symmetries exposed: the same state graph as s1.xm for the same (D, V, P) when V is a
/// multiple of P, with domains and pcpus as `symmetric` sorts. A vcpu is a record (domain, home pcpu,
/// index among that domain's vcpus on that pcpu): vcpu id i of s1.xm is d = i / V, p = i % P,
/// j = (i % V) / P. Permuting domains, or pcpus, maps reachable states to reachable states (of the
/// permuted initial state), so the checker explores one state per orbit.
model s1_sym

const D: int[1..4] = 2
const V: int[1..4] = 2
const P: int[1..4] = 2
const N: int = D * V
const J: int = V / P

symmetric sort Dom = dom[D]
symmetric sort PCpu = pcpu[P]
sort Sub = sub[J]
enum RunState { runnable, running, blocked }
record VCpu { d: Dom, p: PCpu, j: Sub }

var st: VCpu -> RunState
var pend: VCpu -> bool
var curr: PCpu -> VCpu?
var rq: PCpu -> seq<VCpu, N>

init {
  // s1.xm's order: each home queue holds its vcpus by increasing id, i.e. by domain, then index
  foreach d: Dom { foreach j: Sub { foreach p: PCpu {
    rq[p] := rq[p] ++ [VCpu { d: d, p: p, j: j }]
  } } }
}

action dispatch(p: PCpu) {
  require curr[p] == none && len(rq[p]) > 0
  let v = head(rq[p])
  rq[p] := tail(rq[p])
  curr[p] := v
  st[v] := running
}

action preempt(p: PCpu) {
  require curr[p] != none && len(rq[p]) > 0
  let v = get(curr[p])
  let w = head(rq[p])
  st[v] := runnable
  st[w] := running
  curr[p] := w
  rq[p] := tail(rq[p]) ++ [v]
}

action block(p: PCpu) {
  require curr[p] != none
  let v = get(curr[p])
  require !pend[v]
  st[v] := blocked
  curr[p] := none
}

action wake(v: VCpu) {
  require st[v] == blocked && pend[v]
  pend[v] := false
  st[v] := runnable
  rq[v.p] := rq[v.p] ++ [v]
}

action send(v: VCpu, w: VCpu) {
  require st[v] == running && w.d != v.d && !pend[w]
  pend[w] := true
}

action steal(p: PCpu, q: PCpu) {
  require p != q && curr[p] == none && len(rq[p]) == 0 && len(rq[q]) >= 2
  let t = last(rq[q])
  rq[p] := rq[p] ++ [t]
  rq[q] := remove_at(rq[q], len(rq[q]) - 1)
}

action ack(p: PCpu) {
  require curr[p] != none && pend[get(curr[p])]
  pend[get(curr[p])] := false
}

def ccount(v: VCpu): int = count p: PCpu :: curr[p] == v
def qcount(v: VCpu): int = sum p: PCpu :: count(rq[p], v)

invariant I1: forall v: VCpu :: ccount(v) <= 1
invariant I2: forall v: VCpu :: st[v] == running => ccount(v) == 1 && qcount(v) == 0
invariant I3: forall v: VCpu :: st[v] == runnable => qcount(v) == 1
invariant I4: forall v: VCpu :: st[v] == blocked => qcount(v) == 0 && ccount(v) == 0
invariant I5: (sum p: PCpu :: len(rq[p])) + (count v: VCpu :: st[v] == running)
              + (count v: VCpu :: st[v] == blocked) == N
