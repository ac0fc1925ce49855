// command: xenmodel parse {file}
model m
var x: bool
proc flip() { x := !x }
action a() { flip() }
fairness weak flip
