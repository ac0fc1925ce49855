------------------------------- MODULE S1Live -------------------------------
(* S1 (bench/models/s1.xm) written for TLC, with the liveness property of   *)
(* bench_liveness.py: every runnable vcpu eventually runs, under weak       *)
(* fairness of dispatch and preempt on every pcpu. Written from the S1      *)
(* semantics in bench/peers/README.md: D domains of V vcpus (N = D * V),   *)
(* vcpu i in domain i \div V with home pcpu i % P; per pcpu a current vcpu  *)
(* (NoVcpu when idle) and a FIFO run queue.                                 *)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS D, V, P

N == D * V
VCpus == 0 .. N - 1
PCpus == 0 .. P - 1
NoVcpu == N                      \* not a vcpu: the pcpu is idle
DomOf(i) == i \div V
HomeOf(i) == i % P

VARIABLES state, pending, current, queue
vars == << state, pending, current, queue >>

\* the vcpus whose home is p, lowest id first
HomeQueue(p) == LET ids == { i \in VCpus : HomeOf(i) = p }
                    Build[k \in 0 .. N] ==
                      IF k = 0 THEN << >>
                      ELSE IF (k - 1) \in ids THEN Append(Build[k - 1], k - 1) ELSE Build[k - 1]
                IN Build[N]

Init == /\ state = [i \in VCpus |-> "runnable"]
        /\ pending = [i \in VCpus |-> FALSE]
        /\ current = [p \in PCpus |-> NoVcpu]
        /\ queue = [p \in PCpus |-> HomeQueue(p)]

\* an idle pcpu runs the head of its queue
Dispatch(p) == /\ current[p] = NoVcpu /\ queue[p] /= << >>
               /\ current' = [current EXCEPT ![p] = Head(queue[p])]
               /\ state' = [state EXCEPT ![Head(queue[p])] = "running"]
               /\ queue' = [queue EXCEPT ![p] = Tail(queue[p])]
               /\ UNCHANGED pending

\* the current vcpu goes to the tail of the queue and the head runs
Preempt(p) == /\ current[p] /= NoVcpu /\ queue[p] /= << >>
              /\ current' = [current EXCEPT ![p] = Head(queue[p])]
              /\ state' = [state EXCEPT ![current[p]] = "runnable", ![Head(queue[p])] = "running"]
              /\ queue' = [queue EXCEPT ![p] = Append(Tail(queue[p]), current[p])]
              /\ UNCHANGED pending

\* the current vcpu with nothing pending blocks; the pcpu goes idle
Block(p) == /\ current[p] /= NoVcpu /\ ~pending[current[p]]
            /\ state' = [state EXCEPT ![current[p]] = "blocked"]
            /\ current' = [current EXCEPT ![p] = NoVcpu]
            /\ UNCHANGED << pending, queue >>

\* a blocked vcpu with an event pending joins the tail of its home queue
Wake(i) == /\ state[i] = "blocked" /\ pending[i]
           /\ state' = [state EXCEPT ![i] = "runnable"]
           /\ pending' = [pending EXCEPT ![i] = FALSE]
           /\ queue' = [queue EXCEPT ![HomeOf(i)] = Append(queue[HomeOf(i)], i)]
           /\ UNCHANGED current

\* a running vcpu signals a vcpu of another domain
Send(i, j) == /\ state[i] = "running" /\ DomOf(j) /= DomOf(i) /\ ~pending[j]
              /\ pending' = [pending EXCEPT ![j] = TRUE]
              /\ UNCHANGED << state, current, queue >>

\* an idle pcpu with an empty queue takes the tail of a queue of two or more
Steal(p, q) == /\ p /= q /\ current[p] = NoVcpu /\ queue[p] = << >> /\ Len(queue[q]) >= 2
               /\ queue' = [queue EXCEPT ![p] = << queue[q][Len(queue[q])] >>,
                                         ![q] = SubSeq(queue[q], 1, Len(queue[q]) - 1)]
               /\ UNCHANGED << state, pending, current >>

\* the current vcpu consumes its pending event
Ack(p) == /\ current[p] /= NoVcpu /\ pending[current[p]]
          /\ pending' = [pending EXCEPT ![current[p]] = FALSE]
          /\ UNCHANGED << state, current, queue >>

Next == \/ \E p \in PCpus : Dispatch(p) \/ Preempt(p) \/ Block(p) \/ Ack(p) \/ \E q \in PCpus : Steal(p, q)
        \/ \E i \in VCpus : Wake(i) \/ \E j \in VCpus : Send(i, j)

Fairness == \A p \in PCpus : WF_vars(Dispatch(p)) /\ WF_vars(Preempt(p))
Spec == Init /\ [][Next]_vars
LiveSpec == Spec /\ Fairness

\* the safety check the liveness check is compared with: S1's invariants I1-I4
OnPcpus(i) == Cardinality({ p \in PCpus : current[p] = i })
Queued(i) == LET Count[k \in 0 .. P] ==
                   IF k = 0 THEN 0 ELSE Count[k - 1] + Len(SelectSeq(queue[k - 1], LAMBDA x : x = i))
             IN Count[P]
Inv == \A i \in VCpus :
         /\ OnPcpus(i) <= 1
         /\ state[i] = "running" => OnPcpus(i) = 1 /\ Queued(i) = 0
         /\ state[i] = "runnable" => Queued(i) = 1
         /\ state[i] = "blocked" => OnPcpus(i) = 0 /\ Queued(i) = 0

\* the liveness property: every runnable vcpu eventually runs
Runs == \A i \in VCpus : (state[i] = "runnable") ~> (state[i] = "running")
=============================================================================
