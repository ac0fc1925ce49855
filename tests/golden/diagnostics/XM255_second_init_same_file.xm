// command: xenmodel parse {file}
model m
var x: int[0..3]
var y: int[0..3]
init { x := 1 }
init { y := 2 }
action step() { require x < 3  x := x + 1 }
