// command: xenmodel parse {file} --instance small
model m
include "lib/inst_a.xm"
include "lib/inst_b.xm"
action a() { }
