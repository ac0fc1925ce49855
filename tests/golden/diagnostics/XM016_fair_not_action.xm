// command: xenmodel parse {file}
model m
var x: bool
fair weak proc flip() { x := !x }
