// command: xenmodel parse {file}
model m
var x: bool
action flip() { x := !x }
temporal t: eventually (x ~> !x)
