// command: xenmodel parse {file}
model m
record Vcpu { pending: bool, credit: int[0..3] }
var v: Vcpu
action a() { v.pendng := true }
