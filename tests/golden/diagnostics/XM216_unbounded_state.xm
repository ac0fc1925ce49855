// command: xenmodel parse {file}
model m
var credit: int
