// command: xenmodel parse {file}
model m
var x: bool
var x: int[0..1]
