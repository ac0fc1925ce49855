// command: xenmodel parse {file}
model m
var x: bool
action flip() { x := !x }
invariant i: eventually x
