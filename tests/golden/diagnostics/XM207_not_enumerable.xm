// command: xenmodel parse {file}
model m
var s: set<bool>
invariant i: forall t: seq<bool, 2> :: len(t) <= 2
