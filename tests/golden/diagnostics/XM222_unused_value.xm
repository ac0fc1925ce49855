// command: xenmodel parse {file}
model m
var q: seq<bool, 2>
action a() { len(q) }
