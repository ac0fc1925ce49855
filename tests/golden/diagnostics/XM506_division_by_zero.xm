// command: xenmodel simulate {file} --steps 10 --runs 1 --seed 0
model m
var n: int[0..3]
var d: int[0..3]
action divide() { n := 3 / d }
