// command: xenmodel simulate {file} --steps 10 --runs 1 --seed 0
model m
var q: seq<bool, 2>
var x: bool
action peek() { x := q[1] }
