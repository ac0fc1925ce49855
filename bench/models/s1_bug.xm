/// S1-bug: steal copies the tail of the victim's queue instead of moving it, so I3 breaks.
model s1_bug

include "s1.xm"

override action steal(p: PCpu, q: PCpu) {
  require p != q && curr[p] == none && len(rq[p]) == 0 && len(rq[q]) >= 2
  rq[p] := rq[p] ++ [last(rq[q])]
}
