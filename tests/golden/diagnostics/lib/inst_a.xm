model inst_a
const N: int[1..4] = 1
instance small { N = 1 }
