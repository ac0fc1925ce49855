// command: xenmodel parse {file}
model m
symmetric sort Dom = dom[2]
var owner: Dom
init { owner := dom0 }
