// command: xenmodel parse {file}
model m
var x: bool
var n: int[0..3]
action a() { n := x + 1 }
