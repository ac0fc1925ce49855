// command: xenmodel parse {file}
model m
actoin create() { }
