// command: xenmodel parse {file}
model m
var x: bool
require x
