// command: xenmodel parse {file}
model m
include "lib"
include "XM118_bad_include_path.out"
