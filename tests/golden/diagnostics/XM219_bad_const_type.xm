// command: xenmodel parse {file}
model m
const S: set<bool> = {}
