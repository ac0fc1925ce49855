// command: xenmodel parse {file}
model m
include "lib/base.xm"
override proc step() { }
