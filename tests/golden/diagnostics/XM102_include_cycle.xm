// command: xenmodel parse {file}
model m
include "lib/cycle_a.xm"
