/// K workers, each with its own phase and counter; a lock shared by all guards one critical step;
/// each worker runs once (no cycle).
/// Most steps are independent of the other workers': the model partial-order reduction is built for
/// (bench/bench_por.py). Without it the search explores every interleaving of the workers' local steps.
model por_workers

const K: int[1..6] = 4
const STEPS: int[1..8] = 3

sort Worker = worker[K]
enum Phase { idle, busy, waiting, critical, done }

var phase: Worker -> Phase
var steps: Worker -> int[0..8]
var holder: Worker?

/// A worker starts.
action start(w: Worker) {
  require phase[w] == idle
  phase[w] := busy
}

/// A local step of a busy worker.
action work(w: Worker) {
  require phase[w] == busy && steps[w] < STEPS
  steps[w] := steps[w] + 1
}

/// A worker that has done its steps asks for the lock.
action ask(w: Worker) {
  require phase[w] == busy && steps[w] == STEPS
  phase[w] := waiting
}

/// The lock, taken when free.
action enter(w: Worker) {
  require phase[w] == waiting && holder == none
  holder := w
  phase[w] := critical
}

/// Leave the critical step and finish.
action leave(w: Worker) {
  require phase[w] == critical
  holder := none
  phase[w] := done
}

invariant steps_bounded: forall w: Worker :: steps[w] <= STEPS
invariant one_holder: forall w: Worker :: phase[w] == critical => holder == w

instance small { K = 3, STEPS = 2 }
instance default { K = 4, STEPS = 3 }
