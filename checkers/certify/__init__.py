"""Certificates for `xenmodel prove`: the proof obligations as SMT-LIB 2 files a second solver re-checks.

An encoder of its own (IR -> SMT-LIB text, over unbounded Int), independent of the Z3 engine's
(checkers/smt): `obligations` lists the queries, `smtlib`/`shapes` write terms and values, `exprs`,
`builtins` and `stmts` encode the IR, `writer` writes the files and the manifest, `check` re-checks them
with z3 and cvc5 in fresh processes (`solve` is the worker those processes run).
"""
