// command: xenmodel parse {file} --instance large
model m
const NPCPU: int[1..4] = 2
var x: bool
action a() { x := !x }
instance large { NPCPU = 8 }
