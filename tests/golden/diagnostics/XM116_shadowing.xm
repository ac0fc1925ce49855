// command: xenmodel parse {file}
model m
var x: bool
action a() {
  let x = true
  require x
}
