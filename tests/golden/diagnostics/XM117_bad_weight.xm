// command: xenmodel parse {file}
model weights
var x: int[0..3] = 0
@weight(0)
action reset() { x := 0 }
@weight(2)
invariant small: x <= 3
