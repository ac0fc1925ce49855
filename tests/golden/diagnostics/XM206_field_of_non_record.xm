// command: xenmodel parse {file}
model m
var x: int[0..3]
invariant i: x.value == 1
