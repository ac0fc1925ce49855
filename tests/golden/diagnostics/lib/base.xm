model base
var x: bool
/// One step.
action step() { x := !x }
