// command: xenmodel parse {file}
model m
var count_x: int[0..3]
action a() { count_x := coutn_x + 1 }
