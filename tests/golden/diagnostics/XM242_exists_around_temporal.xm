// command: xenmodel parse {file}
model m
var x: bool
action flip() { x := !x }
temporal t: exists b: bool :: eventually x == b
