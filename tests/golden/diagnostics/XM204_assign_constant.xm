// command: xenmodel parse {file}
model m
const N: int = 2
action a() { N := 3 }
