// command: xenmodel parse {file} --const N
model m
const N: int[1..3] = 1
var x: bool
action a() { x := !x }
