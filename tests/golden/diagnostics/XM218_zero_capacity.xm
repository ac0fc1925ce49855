// command: xenmodel parse {file}
model m
var q: seq<bool, 0>
