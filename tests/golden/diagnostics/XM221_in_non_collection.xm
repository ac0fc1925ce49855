// command: xenmodel parse {file}
model m
var x: int[0..3]
invariant i: 1 in x
