// command: xenmodel parse {file}
model m
include "lib/no_such_file.xm"
