// command: xenmodel parse {file}
model m
var x: bool
action a() {
  x := true
