// command: xenmodel parse {file}
model m
const N: int = 4 / (2 - 2)
