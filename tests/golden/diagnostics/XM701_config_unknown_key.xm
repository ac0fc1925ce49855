// command: xenmodel check {file} --config tests/golden/diagnostics/XM701_config_unknown_key.toml
model m
var x: int[0..3]
action inc() { require x < 3  x := x + 1 }
action reset() { require x == 3  x := 0 }
invariant small: x <= 3
invariant nonneg: x >= 0
