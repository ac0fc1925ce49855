// command: xenmodel parse {file} --limit nesting=5
model m
var b: bool = false
action a() { b := !(!(!(!b))) }
