// command: xenmodel check {file} --trace-out /dev/null
/// --trace-out refuses a path that exists and is not a regular file (here a character device), before the run.
model trace_out_device

var x: int[0..1] = 0

action flip() { x := 1 - x }
