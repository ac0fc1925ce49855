// command: xenmodel parse {file}
model m
include ""
