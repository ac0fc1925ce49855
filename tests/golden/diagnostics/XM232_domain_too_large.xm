// command: xenmodel parse {file}
model m
sort D = d[100]
var x: bool
action a(p: D, q: D, r: D, s: int[0..9]) { x := !x }
