// command: xenmodel parse {file} --instance huge
model m
const N: int[1..3] = 1
var x: bool
action a() { x := !x }
instance small { N = 1 }
