// command: xenmodel simulate {file} --steps 10 --runs 1 --seed 0
model m
var running: int[0..3]
action run() { running := running + 1 }
/// At most two vcpus run.
invariant at_most_two: running <= 2
