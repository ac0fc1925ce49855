// command: xenmodel trace show {file} tests/golden/diagnostics/lib/XM245_lasso.itf.json
model m
var x: int[0..2]
var noise: bool
action inc() { require x < 2  x := x + 1 }
action toggle() { noise := !noise }
/// Without fairness on `inc`, toggling forever never reaches 2.
temporal reaches_two: eventually x == 2
