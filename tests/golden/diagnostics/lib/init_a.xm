model init_a
var a: int[0..3]
init { a := 1 }
action step_a() { require a < 3  a := a + 1 }
