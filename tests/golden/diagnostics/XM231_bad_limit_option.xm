// command: xenmodel parse {file} --limit sortsize=5
model m
var x: bool
action a() { x := !x }
