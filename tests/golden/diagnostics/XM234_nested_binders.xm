// command: xenmodel parse {file}
model m
sort D = d[200]
var x: D -> bool
action a() { x := x }
invariant deep: forall p: D :: forall q: D :: forall r: D :: x[p] || x[q] || x[r] || p == q || q == r
