// command: xenmodel simulate {file} --steps 10 --runs 1 --seed 0
model m
var paused: int[0..3]
action pause() {
  paused := paused + 1
  assert paused <= 2, "pause count overflows"
}
