model inst_b
const M: int[1..4] = 1
instance small { M = 2 }
