model cycle_b
include "cycle_a.xm"
