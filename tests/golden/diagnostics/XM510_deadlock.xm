// command: xenmodel simulate {file} --steps 10 --runs 1 --seed 0
model m
var done: bool
action finish() {
  require !done
  done := true
}
