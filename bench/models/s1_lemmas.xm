/// Lemmas that make S1's invariants inductive (used by `xenmodel prove bench/models/s1.xm
/// --lemmas bench/models/s1_lemmas.xm` and by bench/bench_z3.py).
model s1_lemmas

include "s1.xm"

/// Needed because I1..I5 allow a pcpu's current vcpu to be runnable or blocked: from such a state
/// `block` would block a queued vcpu (breaks I4/I5) and `dispatch`/`preempt` could make it current twice
/// (breaks I1/I2). In every reachable state the current vcpu of a pcpu is running.
lemma curr_running: forall p: PCpu :: curr[p] != none => st[get(curr[p])] == running
