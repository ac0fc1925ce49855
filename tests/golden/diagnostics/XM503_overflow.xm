// command: xenmodel simulate {file} --steps 10 --runs 1 --seed 0
model m
var credit: int[0..2]
action burn() { credit := credit + 1 }
