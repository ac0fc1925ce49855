// command: xenmodel parse {file}
model m
include "lib/init_a.xm"
include "lib/init_b.xm"
override init { a := 2 }
