"""The Z3 engines and their encoding of the IR.

values.py (the symbolic values and their operations) <- runtime.py (fresh variables, instances, the
functional next state) <- encode.py (expressions; builtin_hooks.py: one hook per builtin) <-
encode_stmts.py (statements, actions, properties) <- unroll.py (solver, queries, the unrolled system)
<- bmc.py (bounded model checking), induction.py (induction with CTIs, k-induction).
"""
