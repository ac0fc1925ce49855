// command: xenmodel parse {file}
model m
var x: bool
fair weak action flip() { x := !x }
fairness strong flip
