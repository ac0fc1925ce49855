// command: xenmodel parse {file}
model m
sort P = p[2]
var on: P -> bool
invariant i: forall p: P on[p]
