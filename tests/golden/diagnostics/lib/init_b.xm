model init_b
var b: int[0..3]
init { b := 2 }
