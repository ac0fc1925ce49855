// command: xenmodel parse {file} --const BUG=3
model m
const BUG: bool = false
var x: bool
action a() { x := !x }
