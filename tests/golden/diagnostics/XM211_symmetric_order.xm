// command: xenmodel parse {file}
model m
symmetric sort Dom = dom[2]
var a: Dom
var b: Dom
invariant i: a < b || a == b || b < a
