// command: xenmodel parse {file}
model m
const N: int = limit
var limit: int[0..3]
