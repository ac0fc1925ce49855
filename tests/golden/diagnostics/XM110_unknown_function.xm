// command: xenmodel parse {file}
model m
var q: seq<bool, 2>
invariant i: lenght(q) <= 2
