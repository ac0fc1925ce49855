// command: xenmodel simulate {file} --steps 10 --runs 1 --seed 0
model m
sort PCpu = pcpu[2]
var cpu: PCpu
var n: int[0..3]
action next() {
  n := n + 1
  cpu := PCpu(n)
}
