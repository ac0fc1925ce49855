// command: xenmodel parse {file}
model m
var x: int[0..3]
action a() { require x }
