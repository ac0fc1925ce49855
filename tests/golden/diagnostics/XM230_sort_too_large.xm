// command: xenmodel parse {file}
model m
sort Page = pg[1000000]
var x: bool
action a() { x := !x }
