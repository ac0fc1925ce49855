// command: xenmodel parse {file}
model m
symmetric sort Dom = dom[2]
var owner: Dom
invariant i: ord(owner) < 2
