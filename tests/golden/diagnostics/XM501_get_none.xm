// command: xenmodel simulate {file} --steps 10 --runs 1 --seed 0
model m
var slot: bool?
var x: bool
action read() { x := get(slot) }
