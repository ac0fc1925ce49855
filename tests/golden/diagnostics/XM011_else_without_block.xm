// command: xenmodel parse {file}
model m
var x: bool
action a() {
  if x { x := false } else x := true
}
