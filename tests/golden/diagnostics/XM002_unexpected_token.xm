// command: xenmodel parse {file}
model m
var x: bool
invariant i: x && )
