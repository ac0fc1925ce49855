model cycle_a
include "cycle_b.xm"
